"""A count told in plain words, in the order it happened; shared by result pages and documents.

The counting engine writes its transcript in terse English (`"X excluded"`, `"tie for
exclusion at stage 4 between A, B: ... lot drawn with seed ..."`). This module turns the
published JSON back into sentences a hall can follow, in Indonesian or English: each round's
totals, who is elected or excluded and why (quota, majority, a regional bound, the last seats),
and every tie with the rule that settled it and, for a lot, the seed and ticket. A tie is told
as a tie, never as a defeat. Numbers are written one way everywhere (`number`).
"""

# ruff: noqa: E501  (the wording tables read best one sentence a line)
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_decimal

from governance.domain.deciding import deciding_tie, runoff_names

REGION_NAMES = {
    "id": {"west": "Barat", "central": "Tengah", "east": "Timur"},
    "en": {"west": "West", "central": "Central", "east": "East"},
}
METHOD_NAMES = {
    "id": {
        "yes-no-abstain": "pemungutan suara setuju / tidak setuju / abstain",
        "plurality": "suara terbanyak",
        "approval": "suara persetujuan (memilih beberapa kandidat)",
        "two-round": "dua putaran",
        "irv": "pilihan berperingkat, satu kursi (instant-runoff)",
        "scottish-stv": "pilihan berperingkat, suara tunggal yang dapat dialihkan (STV, aturan Skotlandia)",
        "meek-stv": "pilihan berperingkat, suara tunggal yang dapat dialihkan (STV, metode Meek)",
        "schulze": "pilihan berperingkat, perbandingan berpasangan (metode Schulze)",
    },
    "en": {
        "yes-no-abstain": "a yes / no / abstain vote",
        "plurality": "most votes (plurality)",
        "approval": "approval voting",
        "two-round": "two-round system",
        "irv": "ranked choice, one seat (instant-runoff)",
        "scottish-stv": "ranked choice, single transferable vote (STV, Scottish rules)",
        "meek-stv": "ranked choice, single transferable vote (STV, Meek's method)",
        "schulze": "ranked choice, pairwise comparison (Schulze method)",
    },
}
MONTHS: tuple[str, ...] = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli")
MONTHS += ("Agustus", "September", "Oktober", "November", "Desember")

W: dict[str, dict[str, str]] = {
    "id": {
        "round": "Putaran {n}: {action} Perolehan suara: {totals}.",
        "first": "Pilihan pertama dihitung.",
        "count": "Suara dihitung.",
        "surplus": "{name} memperoleh suara melebihi kuota; kelebihannya dialihkan ke pilihan berikutnya.",
        "excluded": "{name} memperoleh suara paling sedikit dan dikeluarkan; suaranya dialihkan ke pilihan berikutnya.",
        "excluded_tie": "{name} dikeluarkan karena hasil penentuan seri di atas; suaranya dialihkan ke pilihan berikutnya.",
        "doomed": "{name} dikeluarkan, karena jika terpilih aturan wilayah tidak dapat dipenuhi; suaranya dialihkan ke pilihan berikutnya.",
        "keep": "Nilai simpan (keep value) diperbarui setelah ada yang terpilih.",
        "by_quota": "{name} terpilih pada putaran {n} karena mencapai kuota ({quota} suara).",
        "by_majority": "{name} terpilih pada putaran {n} karena memperoleh lebih dari separuh suara yang masih berlaku ({votes} dari {live}).",
        "by_region": "{name} terpilih pada putaran {n} karena wilayah {region} harus terwakili (sekurang-kurangnya {minimum} kursi), walaupun hanya memperoleh {votes} suara.",
        "by_remaining": "{name} terpilih pada putaran {n} karena jumlah kandidat yang tersisa sama dengan jumlah kursi yang tersisa ({votes} suara).",
        "by_most": "{name} terpilih karena termasuk {seats} perolehan suara terbanyak ({votes} suara).",
        "by_last": "{name} terpilih karena tinggal satu kandidat ({votes} suara).",
        "by_order": "{name} terpilih (urutan {place} menurut perbandingan berpasangan).",
        "not_region": "{name} tidak terpilih walaupun memperoleh {votes} suara: kursi terakhir harus diisi dari wilayah lain agar setiap wilayah terwakili.",
        "not_full": "{name} tidak terpilih ({votes} suara): semua kursi sudah terisi.",
        "tie_lot": "Seri: {names} memperoleh suara sama ({value}) dan sama pula di setiap putaran sebelumnya. Sesuai tata cara, diadakan undian dengan benih (seed) {seed} yang diumumkan saat pemungutan suara dibuka: {chosen} {effect} (tiket {ticket}). Siapa pun dapat mengulang undian ini.",
        "tie_back": "Seri: {names} memperoleh suara sama ({value}). Sesuai tata cara, penentunya perolehan pada putaran {stage}, di mana {chosen} {side}: {chosen} {effect}.",
        "higher": "lebih tinggi",
        "lower": "lebih rendah",
        "eff_exclusion": "dikeluarkan",
        "eff_order": "didahulukan dalam urutan keterpilihan",
        "eff_surplus": "surplusnya dialihkan lebih dulu",
        "eff_place": "mendapat urutan lebih dahulu",
        "and": "dan",
        "motion": "Setuju {yes}, tidak setuju {no}, abstain {abstain}. Diperlukan sekurang-kurangnya {required} suara setuju dari {base} {base_name}.",
        "motion_adopted": "Usul diterima.",
        "motion_rejected": "Usul ditolak.",
        "no_quorum": "Kuorum tidak tercapai: hadir {present}, diperlukan {required}. Usul tidak dapat diputuskan.",
        "base_valid": "suara sah",
        "base_present": "peserta hadir",
        "base_members": "peserta berhak suara",
        "no_winner": "Tidak ada yang terpilih.",
        "st_elected": "Terpilih (putaran {n})",
        "st_elected_final": "Terpilih",
        "st_excluded": "Dikeluarkan (putaran {n})",
        "st_excluded_tie": "Dikeluarkan (putaran {n}, penentuan seri)",
        "st_not": "Tidak terpilih",
        "runoff": "Tidak ada mayoritas: putaran kedua antara {names}. Tidak seorang pun memperoleh lebih dari separuh suara sah.",
        "tie_open": "Seri ini menentukan kursi: sesuai tata tertib, undian dalam penghitungan tidak dipakai. Jabatan belum diputuskan sampai seri di antara {names} diselesaikan ({steps}).",
        "step_revote": "pemungutan suara ulang di antara yang seri",
        "step_musyawarah": "musyawarah yang dicatat sekretariat",
        "step_lot": "undian di depan sidang dengan benih yang diumumkan lebih dulu",
        "then": "lalu",
    },
    "en": {
        "round": "Round {n}: {action} Totals: {totals}.",
        "first": "First preferences are counted.",
        "count": "The votes are counted.",
        "surplus": "{name} has more votes than the quota; the surplus goes to the next preferences.",
        "excluded": "{name} has the fewest votes and is excluded; their votes go to the next preferences.",
        "excluded_tie": "{name} is excluded as the tie above was settled; their votes go to the next preferences.",
        "doomed": "{name} is excluded, because electing them would break the regional rule; their votes go to the next preferences.",
        "keep": "The keep values are updated after an election.",
        "by_quota": "{name} is elected in round {n}, having reached the quota ({quota} votes).",
        "by_majority": "{name} is elected in round {n}, with more than half of the votes still in play ({votes} of {live}).",
        "by_region": "{name} is elected in round {n} because the {region} region must be represented (at least {minimum} seats), with only {votes} votes.",
        "by_remaining": "{name} is elected in round {n}, as only as many candidates remain as seats ({votes} votes).",
        "by_most": "{name} is elected, being among the {seats} highest totals ({votes} votes).",
        "by_last": "{name} is elected as the last candidate remaining ({votes} votes).",
        "by_order": "{name} is elected (place {place} in the pairwise comparison).",
        "not_region": "{name} is not elected despite {votes} votes: the last seat had to go to another region so that every region is represented.",
        "not_full": "{name} is not elected ({votes} votes): every seat is filled.",
        "tie_lot": "Tie: {names} have the same total ({value}) and were equal at every earlier round. As the rules say, a lot was drawn with the seed {seed} published when the poll opened: {chosen} {effect} (ticket {ticket}). Anyone can redo the draw.",
        "tie_back": "Tie: {names} have the same total ({value}). As the rules say, the totals of round {stage} decide, where {chosen} was {side}: {chosen} {effect}.",
        "higher": "higher",
        "lower": "lower",
        "eff_exclusion": "is excluded",
        "eff_order": "comes first in the order of election",
        "eff_surplus": "has their surplus transferred first",
        "eff_place": "takes the earlier place",
        "and": "and",
        "motion": "Yes {yes}, no {no}, abstain {abstain}. At least {required} yes votes were needed out of {base} {base_name}.",
        "motion_adopted": "The motion is adopted.",
        "motion_rejected": "The motion is rejected.",
        "no_quorum": "No quorum: {present} present, {required} needed. The motion cannot be decided.",
        "base_valid": "valid votes",
        "base_present": "delegates present",
        "base_members": "delegates entitled to vote",
        "no_winner": "No one is elected.",
        "st_elected": "Elected (round {n})",
        "st_elected_final": "Elected",
        "st_excluded": "Excluded (round {n})",
        "st_excluded_tie": "Excluded (round {n}, tie settled)",
        "st_not": "Not elected",
        "runoff": "No majority: runoff between {names}. Nobody has more than half of the valid votes.",
        "tie_open": "This tie decides a seat: under the rules of procedure, the count's lot is not used. The position is not decided until the tie between {names} is settled ({steps}).",
        "step_revote": "a re-vote among the tied",
        "step_musyawarah": "musyawarah recorded by the secretariat",
        "step_lot": "a lot drawn in front of the hall with a seed shown first",
        "then": "then",
    },
}

_LOT = re.compile(
    r"^tie for (?P<purpose>.+?) between (?P<names>.+?): equal at every stage, lot drawn with "
    r"seed '(?P<seed>[^']*)': (?P<chosen>.+) \(ticket (?P<ticket>\w+)\)$"
)
_BACK = re.compile(
    r"^tie for (?P<purpose>.+?) between (?P<names>.+?): broken by the totals at stage "
    r"(?P<stage>\d+) \((?P<chosen>.+) (?P<want>highest|lowest)\)$"
)


def lang(language: str) -> str:
    return "en" if language == "en" else "id"


def number(value: object, language: str = "id") -> str:
    """One way to write a number everywhere: 1,5 and 1.234 in Indonesian, 1.5 in English."""
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return format_decimal(
        str(value), format="#,##0.##", locale="en_GB" if lang(language) == "en" else "id_ID"
    )


def long_date(day: Date, language: str = "id") -> str:
    """31 Oktober 2009 (the form Indonesian documents use); 31 October 2009 in English."""
    if lang(language) == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def region_name(key: str, language: str = "id") -> str:
    return REGION_NAMES[lang(language)].get(key, key)


def method_name(method: str, language: str = "id") -> str:
    return METHOD_NAMES[lang(language)].get(method, method)


def _dec(text: object) -> Decimal:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _names(listed: str, w: Mapping[str, str]) -> str:
    parts = listed.split(", ")
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {w['and']} {parts[-1]}"


def _effect(purpose: str, w: Mapping[str, str]) -> str:
    if "exclusion" in purpose:
        return w["eff_exclusion"]
    if "surplus" in purpose:
        return w["eff_surplus"]
    if purpose.startswith("place"):
        return w["eff_place"]
    return w["eff_order"]


def _stage_of(purpose: str) -> int | None:
    found = re.search(r"at stage (\d+)", purpose)
    return int(found.group(1)) if found else None


def tie_sentence(note: str, stages: Sequence[Mapping[str, Any]], language: str = "id") -> str:
    """One tie note of the engine, in words: who tied, on what, the rule, and the lot."""
    w = W[lang(language)]
    found = _LOT.match(note) or _BACK.match(note)
    if found is None:
        return note
    parts = found.groupdict()
    at = _stage_of(parts["purpose"])
    value = ""
    if at is not None and 1 <= at <= len(stages):
        totals = stages[at - 1].get("totals", {})
        value = number(totals.get(parts["names"].split(", ")[0], ""), language)
    common = {
        "names": _names(parts["names"], w),
        "value": value or "-",
        "chosen": parts["chosen"],
        "effect": _effect(parts["purpose"], w),
    }
    if "seed" in parts:
        return w["tie_lot"].format(seed=parts["seed"], ticket=parts["ticket"], **common)
    side = w["higher"] if parts["want"] == "highest" else w["lower"]
    return w["tie_back"].format(stage=parts["stage"], side=side, **common)


def _action(action: str, tied: bool, w: Mapping[str, str]) -> str:
    if action.startswith("first preferences"):
        return w["first"]
    if action.startswith("count of votes"):
        return w["count"]
    if action.startswith("keep values"):
        return w["keep"]
    found = re.match(r"^surplus of (.+) transferred", action)
    if found:
        return w["surplus"].format(name=found.group(1))
    found = re.match(r"^(.+) excluded \(doomed by a group bound\)", action)
    if found:
        return w["doomed"].format(name=found.group(1))
    found = re.match(r"^(.+) excluded", action)
    if found:
        return w["excluded_tie" if tied else "excluded"].format(name=found.group(1))
    return action


@dataclass(frozen=True)
class Group:
    """A regional bound of a constrained count, with candidates by name."""

    region: str
    members: frozenset[str]
    minimum: int


def groups_of(constraints: Sequence[Mapping[str, Any]], options: Sequence[str]) -> list[Group]:
    return [
        Group(
            str(c.get("name", "")),
            frozenset(options[i] for i in c.get("members", ()) if 0 <= i < len(options)),
            int(c.get("minimum", 0) or 0),
        )
        for c in constraints
    ]


def regions_of(constraints: Sequence[Mapping[str, Any]], options: Sequence[str]) -> dict[str, str]:
    """Each candidate's region, from the regional bounds frozen in the poll."""
    return {name: g.region for g in groups_of(constraints, options) for name in g.members}


def ordered_totals(totals: Mapping[str, Any], options: Sequence[str]) -> list[tuple[str, str]]:
    """Totals in ballot order (the JSON's keys are sorted, which is no order a voter saw)."""
    known = [(o, str(totals[o])) for o in options if o in totals]
    return known + [(k, str(v)) for k, v in totals.items() if k not in options]


def _label(name: str, language: str) -> str:
    if lang(language) == "en":
        return {"yes": "Yes", "no": "No", "abstain": "Abstain"}.get(name, name)
    return {"yes": "Setuju", "no": "Tidak setuju", "abstain": "Abstain"}.get(name, name)


def _motion(data: Mapping[str, Any], w: Mapping[str, str], language: str) -> list[str]:
    counts = data.get("counts") or {}
    quorum = data.get("quorum") or {}
    if data.get("outcome") == "no_quorum":
        return [
            w["no_quorum"].format(
                present=number(quorum.get("present") or 0, language),
                required=number(quorum.get("required") or 0, language),
            )
        ]
    base = data.get("base") or {}
    line = w["motion"].format(
        yes=number(counts.get("yes", 0), language),
        no=number(counts.get("no", 0), language),
        abstain=number(counts.get("abstain", 0), language),
        required=number(data.get("required_votes", 0), language),
        base=number(base.get("value", 0), language),
        base_name=w.get(f"base_{base.get('kind', 'valid')}", ""),
    )
    verdict = w["motion_adopted" if data.get("outcome") == "adopted" else "motion_rejected"]
    return [line, verdict]


def names_list(names: Sequence[str], language: str = "id") -> str:
    """A, B and C (A, B dan C)."""
    return _names(", ".join(names), W[lang(language)]) if names else "-"


def undecided_lines(
    data: Mapping[str, Any],
    options: Sequence[str],
    steps: Sequence[str] = ("revote", "musyawarah", "lot"),
    language: str = "id",
) -> list[str]:
    """Why an election's count did not decide its position: no majority (the runoff's
    candidates), or a tie that decides a seat (the rules' cascade settles it, not the lot)."""
    w = W[lang(language)]
    runoff = runoff_names(data, options)
    if runoff:
        return [w["runoff"].format(names=names_list(runoff, language))]
    tie = deciding_tie(data, options)
    if tie is None:
        return []
    cascade = f" {w['then']} ".join(w[f"step_{s}"] for s in steps if f"step_{s}" in w)
    return [w["tie_open"].format(names=names_list(tie.tied, language), steps=cascade)]


def explain(
    data: Mapping[str, Any],
    options: Sequence[str],
    constraints: Sequence[Mapping[str, Any]] = (),
    language: str = "id",
    *,
    cascade: Sequence[str] | None = None,
) -> list[str]:
    """The whole count in order: round by round, with who is elected or excluded and why.

    `cascade` (the rules' tie steps) is given for a position's poll: a runoff or a tie that
    decides a seat is then told as leaving the position undecided.
    """
    w = W[lang(language)]
    stages: list[Mapping[str, Any]] = list(data.get("stages") or [])
    method = str(data.get("method", ""))
    lines: list[str] = []
    attached: set[str] = set()
    for stage in stages:
        notes = [str(n) for n in stage.get("notes", [])]
        attached.update(notes)
        lines.extend(tie_sentence(n, stages, language) for n in notes)
        tied = any("exclusion" in n for n in notes)
        totals = ", ".join(
            f"{_label(n, language)} {number(v, language)}"
            for n, v in ordered_totals(stage.get("totals", {}), options)
        )
        lines.append(
            w["round"].format(
                n=stage["number"], action=_action(str(stage["action"]), tied, w), totals=totals
            )
        )
        lines.extend(
            _elected_at(data, int(stage["number"]), stages, constraints, options, w, language)
        )
    lines.extend(
        tie_sentence(str(t), stages, language) for t in data.get("ties", []) if t not in attached
    )
    if method == "yes-no-abstain":
        lines.extend(_motion(data, w, language))
        return lines
    lines.extend(_not_elected(data, stages, constraints, options, w, language))
    undecided = undecided_lines(data, options, cascade or (), language)
    if data.get("outcome") == "runoff" or (cascade is not None and undecided):
        lines.extend(undecided)
    elif not data.get("elected") and stages:
        lines.append(w["no_winner"])
    return lines


def _elected_at(
    data: Mapping[str, Any],
    number_: int,
    stages: Sequence[Mapping[str, Any]],
    constraints: Sequence[Mapping[str, Any]],
    options: Sequence[str],
    w: Mapping[str, str],
    language: str,
) -> list[str]:
    method = str(data.get("method", ""))
    elected = list(data.get("elected") or [])
    totals = stages[number_ - 1].get("totals", {}) if stages else {}
    quota = _dec(data["quota"]) if data.get("quota") else None
    groups = groups_of(constraints, options)
    names_elected = [str(e["name"]) for e in elected]
    lines = []
    for place, entry in enumerate(elected, start=1):
        name = str(entry["name"])
        stage = entry.get("stage")
        if stage != number_ and not (stage is None and number_ == len(stages)):
            continue
        votes = _dec(totals.get(name, 0))
        shown = number(totals.get(name, 0), language)
        if method == "schulze":
            lines.append(w["by_order"].format(name=name, place=place))
        elif method in ("plurality", "approval", "two-round"):
            lines.append(w["by_most"].format(name=name, seats=data.get("seats", 1), votes=shown))
        elif quota is not None and votes >= quota:
            lines.append(
                w["by_quota"].format(name=name, n=number_, quota=number(data["quota"], language))
            )
        elif quota is None:
            live = sum(_dec(v) for v in totals.values())
            key = "by_majority" if 2 * votes > live else "by_last"
            lines.append(
                w[key].format(name=name, n=number_, votes=shown, live=number(live, language))
            )
        else:
            needed = next(
                (
                    g
                    for g in groups
                    if name in g.members
                    and g.minimum
                    and sum(1 for e in names_elected if e in g.members) <= g.minimum
                ),
                None,
            )
            if needed is not None:
                lines.append(
                    w["by_region"].format(
                        name=name,
                        n=number_,
                        region=region_name(needed.region, language).lower()
                        if lang(language) == "id"
                        else region_name(needed.region, language),
                        minimum=needed.minimum,
                        votes=shown,
                    )
                )
            else:
                lines.append(w["by_remaining"].format(name=name, n=number_, votes=shown))
    return lines


def _not_elected(
    data: Mapping[str, Any],
    stages: Sequence[Mapping[str, Any]],
    constraints: Sequence[Mapping[str, Any]],
    options: Sequence[str],
    w: Mapping[str, str],
    language: str,
) -> list[str]:
    """Candidates neither elected nor excluded: say why they are out (seats full or a bound)."""
    if not stages or data.get("method") in ("schulze", "plurality", "approval", "two-round"):
        return []
    done = {str(e["name"]) for e in data.get("elected") or []} | {
        str(e["name"]) for e in data.get("excluded") or []
    }
    final = stages[-1].get("totals", {})
    lines = []
    for name, votes in ordered_totals(final, options):
        if name in done or name in ("yes", "no", "abstain"):
            continue
        key = "not_region" if constraints else "not_full"
        lines.append(w[key].format(name=name, votes=number(votes, language)))
    return lines


@dataclass(frozen=True)
class Row:
    """One line of a result's table: the same numbers on the page, the chart and the documents."""

    name: str
    region: str
    first: str
    final: str
    status: str
    elected: bool
    value: str = "0"  # the final total as the count wrote it (for drawing, not for reading)


def rows(
    data: Mapping[str, Any],
    options: Sequence[str],
    regions: Mapping[str, str] | None = None,
    language: str = "id",
) -> list[Row]:
    """Per option: first-round and final votes (an excluded candidate's last total, not 0)."""
    w = W[lang(language)]
    stages: list[Mapping[str, Any]] = list(data.get("stages") or [])
    if not stages:
        return []
    regions = regions or {}
    elected = {str(e["name"]): e.get("stage") for e in data.get("elected") or []}
    excluded = {str(e["name"]): int(e.get("stage") or 0) for e in data.get("excluded") or []}
    tied = {
        name
        for t in data.get("ties", [])
        if (m := _LOT.match(str(t)) or _BACK.match(str(t))) and "exclusion" in m["purpose"]
        for name in [m["chosen"]]
    }
    first = stages[0].get("totals", {})
    out = []
    for name, last in ordered_totals(stages[-1].get("totals", {}), options):
        final = last
        if name in excluded and 1 <= excluded[name] <= len(stages):
            final = str(stages[excluded[name] - 1]["totals"].get(name, last))
        if name in elected:
            status = (
                w["st_elected"].format(n=elected[name])
                if elected[name] and len(stages) > 1
                else w["st_elected_final"]
            )
        elif name in excluded:
            key = "st_excluded_tie" if name in tied else "st_excluded"
            status = w[key].format(n=excluded[name] + 1)  # the round that moved their votes
        elif name in ("yes", "no", "abstain"):
            status = ""
        else:
            status = w["st_not"]
        out.append(
            Row(
                _label(name, language),
                region_name(regions[name], language) if name in regions else "",
                number(first.get(name, 0), language),
                number(final, language),
                status,
                name in elected,
                final,
            )
        )
    return out
