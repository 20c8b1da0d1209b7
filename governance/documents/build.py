"""Build the content of a decision or of minutes from poll facts and the statute's record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from governance.documents import explain
from governance.documents.content import Block, Content
from governance.documents.corrections import annulled_block
from governance.documents.labels import labels

_REGION_ORDER = {"west": 0, "central": 1, "east": 2}


@dataclass(frozen=True)
class PollFacts:
    """What a published poll contributes to a document: its reconciliation and outcome."""

    title: str
    rule: str
    outcome: str
    digest: str
    snapshot: dict[str, Any]
    counts: dict[str, str]
    withheld_below: int | None = None  # set when a secret poll is too small to show counts
    method: str = "yes-no-abstain"
    options: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)  # the published result's JSON
    constraints: tuple[dict[str, Any], ...] = ()
    regions: dict[str, str] = field(default_factory=dict)  # candidate alias -> region key
    seats: int = 0
    roles: dict[str, str] = field(default_factory=dict)  # alias -> ketua / wakil ketua / ...
    candidate: str = ""  # the person a ratification is about
    office: str = ""  # the position's own title ("Sekretaris"), when the poll is on a position
    text: tuple[str, ...] = ()  # the full adopted text (a declaration), paragraph by paragraph
    wording: str = ""  # an adopted amendment's wording
    # Why an election's count left its position undecided (a runoff, a tie the rules of
    # procedure settle), in words; then nobody is named elected by this poll (issue 14).
    undecided: tuple[str, ...] = ()
    # Everyone the poll's position holds once this poll decided it, when that is more than the
    # poll itself elected (a re-vote among the tied completes the seats the tie did not touch).
    holders: tuple[str, ...] = ()

    @property
    def is_election(self) -> bool:
        return self.method != "yes-no-abstain"

    def elected(self) -> list[str]:
        if self.holders:
            return list(self.holders)
        return [str(e["name"]) for e in self.data.get("elected") or []]

    def reconciliation(self) -> dict[str, int]:
        cast = int(self.snapshot.get("ballots", 0))
        blank = int(self.counts.get("blank", 0))
        valid = sum(int(self.counts.get(k, 0)) for k in ("yes", "no", "abstain"))
        return {
            "entitled": int(self.snapshot.get("entitled", 0)),
            "present": int(self.snapshot.get("present", 0)),
            "cards": int(self.snapshot.get("cards_issued", 0)),
            "cast": cast,
            "valid": valid if self.counts else cast - blank,
            "invalid": max(cast - valid - blank, 0) if self.counts else 0,
            "blank": blank,
        }


def _rows(facts: PollFacts, lab: dict[str, str]) -> tuple[tuple[str, str], ...]:
    numbers = facts.reconciliation()
    if facts.withheld_below is not None:
        # Counts of a handful of secret ballots could reveal how individuals voted.
        rows = [(lab[k], str(numbers[k])) for k in ("entitled", "present", "cards")]
        rows.append((lab["cast"], lab["withheld"].format(n=facts.withheld_below)))
    elif facts.is_election:
        rows = [(lab[k], str(numbers[k])) for k in ("entitled", "present", "cards", "cast")]
    else:
        rows = [(lab[k], str(v)) for k, v in numbers.items()]
        rows += [(lab[k], facts.counts[k]) for k in ("yes", "no", "abstain") if k in facts.counts]
    if not facts.is_election:
        rows.append((lab["outcome"], lab.get(facts.outcome, facts.outcome)))
    rows.append((lab["digest"], facts.digest))
    return tuple(rows)


def _role(facts: PollFacts, name: str, lab: dict[str, str]) -> str:
    role = facts.roles.get(name, "")
    return lab.get(f"role_{role}", role) if role else ""


def _person(facts: PollFacts, name: str, language: str, lab: dict[str, str]) -> str:
    """ "Mawar Bulan, Ketua (Wilayah Tengah)": the alias, the role, the region."""
    role = _role(facts, name, lab)
    region = facts.regions.get(name)
    where = (
        f" ({lab['region_name'].format(name=explain.region_name(region, language))})"
        if region
        else ""
    )
    return f"{name}{', ' + role if role else ''}{where}"


def _ordered_elected(facts: PollFacts) -> list[str]:
    order = {"chair": 0, "vice": 1}
    names = [] if facts.undecided else facts.elected()
    return sorted(names, key=lambda n: (order.get(facts.roles.get(n, ""), 2), names.index(n)))


def _table(facts: PollFacts, language: str, lab: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    if facts.withheld_below is not None or not facts.data.get("stages"):
        return ()
    found = explain.rows(facts.data, facts.options, facts.regions, language)
    header: tuple[str, ...] = (lab["col_candidate"], lab["col_region"], lab["col_first"])
    header += (lab["col_final"],)
    multi = len(facts.data.get("stages") or []) > 1
    if not multi:
        header = (lab["col_candidate"], lab["col_region"], lab["col_final"])
    body = tuple(
        (r.name, r.region, r.first, r.final, r.status)
        if multi
        else (r.name, r.region, r.final, r.status)
        for r in found
    )
    return ((*header, lab["col_status"]), *body)


def _ties(facts: PollFacts, language: str) -> tuple[str, ...]:
    stages = list(facts.data.get("stages") or [])
    return tuple(explain.tie_sentence(str(t), stages, language) for t in facts.data.get("ties", []))


def _composition(facts: PollFacts, language: str, lab: dict[str, str]) -> str:
    if not facts.regions or facts.seats <= 1:
        return ""
    counts: dict[str, int] = {}
    for name in facts.elected():
        region = facts.regions.get(name)
        if region:
            counts[region] = counts.get(region, 0) + 1
    # Every bounded region and every region with a seat (a re-vote's bounds name fewer).
    named = {str(g["name"]) for g in facts.constraints} | set(counts)
    order = sorted(named, key=lambda r: (_REGION_ORDER.get(r, 9), r))
    parts = ", ".join(
        f"{explain.region_name(r, language)} {lab['persons'].format(n=counts.get(r, 0))}"
        for r in order
    )
    return lab["composition"].format(parts=parts)


def _election_blocks(facts: PollFacts, language: str, lab: dict[str, str]) -> tuple[Block, ...]:
    recalling = [
        lab["recalling_election"].format(
            method=explain.method_name(facts.method, language), seats=facts.seats or 1
        )
    ]
    minimum = max((int(c.get("minimum", 0) or 0) for c in facts.constraints), default=0)
    if minimum:
        regions = ", ".join(
            explain.region_name(str(c["name"]), language) for c in facts.constraints
        )
        recalling.append(lab["recalling_regions"].format(regions=regions, minimum=minimum))
    after = []
    if facts.data.get("quota") and facts.withheld_below is None:
        after.append(lab["quota"].format(quota=explain.number(facts.data["quota"], language)))
    names = _ordered_elected(facts)
    if len(names) == 1 and facts.seats <= 1:
        deciding: tuple[str, ...] = (
            lab["first_clause_one"].format(
                name=_person(facts, names[0], language, lab), title=facts.title
            ),
        )
        items: tuple[str, ...] = ()
    else:
        deciding = (lab["first_clause"].format(title=facts.title),)
        items = tuple(_person(facts, n, language, lab) for n in names) or (
            facts.undecided or (lab["none_elected"],)
        )
    closing = [c for c in (_composition(facts, language, lab),) if c]
    ties = _ties(facts, language) if facts.withheld_below is None else ()
    if ties:
        closing.append(lab["third_clause"].format(text=" ".join(ties)))
    closing.append(lab["in_force"])
    return (
        Block(
            lab["considering"],
            items=(
                lab["considering_election"].format(title=facts.title),
                lab["considering_ballot"],
            ),
        ),
        Block(lab["recalling"], items=tuple(recalling)),
        Block(
            lab["noting"],
            items=(lab["noting_election"],),
            rows=_rows(facts, lab),
            table=_table(facts, language, lab),
            after=tuple(after),
        ),
        Block(lab["deciding"]),
        Block(lab["establishing"], paragraphs=deciding, items=items, after=tuple(closing)),
    )


def _establishing(facts: PollFacts, lab: dict[str, str]) -> Block:
    outcome = lab.get(facts.outcome, facts.outcome)
    if facts.candidate:
        key = "ratified" if facts.outcome == "adopted" else "not_ratified"
        text = lab[key].format(name=facts.candidate, title=facts.office or facts.title)
        return Block(lab["establishing"], paragraphs=(text, lab["in_force"]))
    if facts.text and facts.outcome == "adopted":
        first = lab["with_text"].format(title=facts.title, outcome=outcome)
        return Block(lab["establishing"], paragraphs=(first, *facts.text, lab["in_force"]))
    paragraphs = [lab["establishing_text"].format(title=facts.title, outcome=outcome)]
    if facts.wording and facts.outcome == "adopted":
        paragraphs.append(lab["amendment_text"].format(text=facts.wording))
    return Block(lab["establishing"], paragraphs=tuple(paragraphs))


def decision(
    number: str,
    facts: PollFacts,
    language: str,
    signatures: tuple[str, str],
    date: str,
    annex: tuple[Block, ...] = (),
    place: str = "",
) -> Content:
    """Keputusan Kongres: Menimbang, Mengingat, Memperhatikan, Memutuskan, Menetapkan."""
    lab = labels(language)
    if facts.is_election:
        blocks: tuple[Block, ...] = (*_election_blocks(facts, language, lab), *annex)
    else:
        blocks = (
            Block(
                lab["considering"],
                items=(
                    lab["considering_text"].format(title=facts.title),
                    lab["considering_vote"],
                ),
            ),
            Block(lab["recalling"], items=(lab["recalling_text"].format(rule=facts.rule),)),
            Block(lab["noting"], items=(lab["noting_text"],), rows=_rows(facts, lab)),
            Block(lab["deciding"]),
            _establishing(facts, lab),
            *annex,
        )
    return Content(
        language,
        lab["decision"],
        f"{lab['number']}: {number}",
        f"{lab['about']} {facts.title.upper()}",
        blocks,
        lab["signed"].format(date=date, place=place or lab["blank_place"]),
        ((lab["chair"], signatures[0]), (lab["secretary"], signatures[1])),
    )


@dataclass(frozen=True)
class Session:
    """What the minutes print about the congress itself."""

    congress: str = ""
    organisation: str = ""
    venue: str = ""
    place: str = ""
    fingerprint: str = ""
    amendments: tuple[tuple[int, str, str, str], ...] = ()  # number, article, kind, text
    annulled: tuple[tuple[str, str], ...] = ()  # annulled polls: title, reason (issue 14)


def _poll_block(index: int, facts: PollFacts, language: str, lab: dict[str, str]) -> Block:
    heading = f"{lab['polls']} {index}: {facts.title}"
    if not facts.is_election:
        after: list[str] = []
        if facts.candidate:
            key = "ratified" if facts.outcome == "adopted" else "not_ratified"
            after.append(lab[key].format(name=facts.candidate, title=facts.office or facts.title))
        if facts.wording and facts.outcome == "adopted":
            after.append(lab["amendment_text"].format(text=facts.wording))
        return Block(heading, rows=_rows(facts, lab), after=tuple(after))
    rows = (
        (lab["method"], explain.method_name(facts.method, language)),
        (lab["seats"], str(facts.seats or 1)),
        *_rows(facts, lab),
    )
    names = _ordered_elected(facts)
    people = ", ".join(_person(facts, n, language, lab) for n in names)
    after = [
        lab["result_elected"].format(names=people)
        if names
        else " ".join(facts.undecided) or lab["none_elected"]
    ]
    composition = _composition(facts, language, lab)
    if composition:
        after.append(composition.split(": ", 1)[1])  # without the decision's "KEDUA: "
    if facts.withheld_below is None:
        after.extend(_ties(facts, language))
    return Block(heading, rows=rows, table=_table(facts, language, lab), after=tuple(after))


def minutes(
    number: str,
    attendance: dict[str, int],
    deliberations: list[tuple[str, bool, str]],
    polls: list[PollFacts],
    language: str,
    signatures: tuple[str, str],
    date: str,
    regions: dict[str, tuple[int, int]] | None = None,
    session: Session | None = None,
) -> Content:
    """Berita Acara: attendance, every deliberation, and each poll's reconciliation."""
    lab = labels(language)
    session = session or Session()
    blocks = [
        Block(
            lab["attendance"],
            rows=(
                (lab["entitled"], str(attendance["entitled"])),
                (lab["present"], str(attendance["present"])),
                (lab["cards"], str(attendance["cards_issued"])),
                *(
                    (
                        f"{lab['region']} {explain.region_name(name, language)}",
                        f"{present} / {entitled}",
                    )
                    for name, (entitled, present) in sorted(
                        (regions or {}).items(), key=lambda kv: _REGION_ORDER.get(kv[0], 9)
                    )
                ),
            ),
        ),
    ]
    if session.fingerprint:
        blocks.append(
            Block(
                lab["keys"],
                paragraphs=(lab["keys_text"],),
                rows=((lab["fingerprint"], session.fingerprint),),
            )
        )
    if deliberations:
        items = tuple(
            f"{subject}: {lab['consensus'] if consensus else lab['no_consensus']}"
            + (f" ({note})" if note else "")
            for subject, consensus, note in deliberations
        )
        blocks.append(Block(lab["deliberations"], items=items))
    if session.amendments:
        items = tuple(
            lab["amendment_item"].format(
                n=n, article=article, kind=lab.get(f"kind_{kind}", kind), text=text or "-"
            )
            for n, article, kind, text in session.amendments
        )
        blocks.append(Block(lab["amendments"], items=items))
    for index, facts in enumerate(polls, start=1):
        blocks.append(_poll_block(index, facts, language, lab))
    annulled = annulled_block(session.annulled, language)
    if annulled is not None:
        blocks.append(annulled)
    organisation = (
        lab["of_organisation"].format(organisation=session.organisation)
        if session.organisation
        else ""
    )
    venue = ", ".join(v for v in (session.venue, session.place) if v) or lab["blank_place"]
    intro = (
        lab["opening"].format(
            date=date, venue=venue, congress=session.congress, organisation=organisation
        ),
    )
    return Content(
        language,
        lab["minutes"],
        f"{lab['number']}: {number}",
        (session.congress or session.organisation).upper(),
        tuple(blocks),
        lab["signed_minutes"].format(date=date, place=session.place or lab["blank_place"]),
        ((lab["chair"], signatures[0]), (lab["secretary"], signatures[1])),
        intro=intro,
    )
