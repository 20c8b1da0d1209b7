"""The rehearsal's congress day: rules, presidium, its chair and vice-chair, the board."""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import Callable
from typing import Any

from governance.adapters.record_export import write_records
from governance.domain import codes
from governance.rehearsal import corrections, documents, elections, plenary
from governance.rehearsal.adart import run_adart_rehearsal
from governance.rehearsal.driver import Person, Rehearsal, RehearsalFailed
from governance.rehearsal.elections import single

Ballot = Callable[[Person, tuple[str, ...]], dict[str, Any]]
RESULT_TIMEOUT_S = 60


def _tail(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[1]


async def vote(r: Rehearsal, poll_id: str, ballot: Ballot) -> None:
    """Every delegate present votes on their own phone (their anonymous card's session)."""
    summary = (await r.officials["observer"].get(f"/api/polls/{poll_id}")).json()
    options = tuple(summary["options"])
    for person in r.present():
        if person.voter is None:
            raise RehearsalFailed(f"{person.alias} has no voting card")
        page = await person.voter.get(f"/polls/{poll_id}")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        data = {"csrf_token": token, **ballot(person, options)}
        answer = await person.voter.post(f"/polls/{poll_id}/ballot", data=data)
        if answer.status_code != 303:
            raise RehearsalFailed(f"a ballot was refused ({answer.status_code})")


async def close_and_publish(r: Rehearsal, name: str, poll_id: str) -> dict[str, Any]:
    """The chair closes the poll; wait for the published result and write it to DIR."""
    await r.post(r.officials["chair"], f"/polls/{poll_id}/close")
    public = r.officials["observer"]
    for _ in range(RESULT_TIMEOUT_S * 10):
        summary = (await public.get(f"/api/polls/{poll_id}")).json()
        if summary["result"] is not None:
            r.results[name] = summary
            path = r.out / f"{len(r.results):02d}-{name}.json"
            path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
            return dict(summary["result"])
        await asyncio.sleep(0.1)
    raise RehearsalFailed(f"the result of {name} was not published in time")


async def motion(r: Rehearsal, name: str, title: str, yes: float, **rules: str) -> dict[str, Any]:
    desk = r.officials["secretariat"]
    form = {"title": title} | ({"adopts_rules": "yes", **rules} if rules else {})
    poll_id = _tail(await r.post(desk, f"/congresses/{r.congress_id}/motions", **form))
    await r.post(r.officials["chair"], f"/polls/{poll_id}/open")

    def ballot(_: Person, __: tuple[str, ...]) -> dict[str, Any]:
        draw = r.rng.random()
        return {"choice": "0" if draw < yes else ("1" if draw < (1 + yes) / 2 else "2")}

    await vote(r, poll_id, ballot)
    return await close_and_publish(r, name, poll_id)


async def create_position(r: Rehearsal, title: str, seats: int, method: str, **more: str) -> str:
    form = {"title": title, "seats": str(seats), "method": method, "voting_right": "yes"}
    location = await r.post(
        r.officials["secretariat"], f"/congresses/{r.congress_id}/positions", **(form | more)
    )
    return _tail(location)


async def stand(r: Rehearsal, position: str, alias: str, by: str, seconders: list[str]) -> None:
    """Nomination (self or by another), two seconders, and the candidate's consent."""
    candidate = r.people[alias]
    await r.post(await r.me(by), f"/positions/{position}/nominations", candidate=candidate.id)
    page = (await r.officials["observer"].get(f"/positions/{position}")).text
    found = re.search(rf'id="n-([0-9a-f]{{32}})"><strong>{re.escape(alias)}</strong>', page)
    if found is None:
        raise RehearsalFailed(f"the nomination of {alias} is not listed")
    nomination = found.group(1)
    for seconder in seconders:
        await r.post(await r.me(seconder), f"/nominations/{nomination}/second")
    if by != alias:
        if alias.endswith("Bulan"):
            # Some candidates sign a paper form; the secretariat records it.
            await r.post(
                r.officials["secretariat"], f"/nominations/{nomination}/answer", accept="yes"
            )
        else:
            await r.post(await r.me(alias), f"/nominations/{nomination}/answer", accept="yes")


def ranked(popularity: dict[str, float]) -> Ballot:
    """Rank by popularity plus noise and a liking for one's own region; rank 3 to all."""

    def ballot(person: Person, options: tuple[str, ...]) -> dict[str, Any]:
        # A seeded simulation of a delegate's preferences, not a secret.
        rng = random.Random(f"{person.alias}|{'|'.join(options)}")  # nosec B311
        score = {
            i: popularity.get(name, 1.0) * rng.uniform(0.5, 1.5) for i, name in enumerate(options)
        }
        order = sorted(score, key=lambda i: -score[i])
        depth = rng.randint(min(3, len(order)), len(order))
        return {f"rank-{k + 1}": str(i) for k, i in enumerate(order[:depth])}

    return ballot


async def elect(
    r: Rehearsal, name: str, position: str, popularity: dict[str, float]
) -> dict[str, Any]:
    location = await r.post(r.officials["chair"], f"/positions/{position}/open")
    if "/polls/" not in location:
        raise RehearsalFailed(f"{name} was filled without a poll")
    poll_id = _tail(location)
    summary = (await r.officials["observer"].get(f"/api/polls/{poll_id}")).json()
    ballot = ranked(popularity)
    await vote(r, poll_id, ballot if summary["method"] in elections.RANKED else single(ballot))
    result = await close_and_publish(r, name, poll_id)
    # A runoff or a tie waits for the procedure (issue 14): who holds the position at the end.
    final = await elections.settle(r, name, position, ballot, vote, close_and_publish)
    r.positions[name] = final
    return result | {"elected": [{"name": alias} for alias in final]}


def elected(result: dict[str, Any]) -> list[str]:
    return [str(e["name"]) for e in result["elected"]]


async def congress_day(r: Rehearsal) -> None:
    """Rules, agenda, presidium (every region), its chair and vice-chair, the board."""
    await motion(
        r,
        "rules-of-procedure",
        "Tata tertib / Rules of procedure",
        0.9,
        quorum="2/3",
        majority="1/2",
        majority_base="valid",
        seconders="2",
        acclamation="yes",
    )
    await motion(r, "agenda", "Agenda kongres / Congress agenda", 0.85)
    west, central, east = (r.by_region(x) for x in ("west", "central", "east"))
    seconders = [west[-1], central[-1]]
    candidates = west[:4] + central[:4] + east[:2]
    presidium = await create_position(
        r, "Presidium Nasional", 7, "scottish-stv", region_minimum="1"
    )
    for i, alias in enumerate(candidates):
        await stand(r, presidium, alias, alias if i % 2 else west[5], seconders)
    # East candidates are the least popular: only the regional bound gives them a seat.
    popularity = {a: 3.0 for a in candidates} | {a: 0.3 for a in east[:2]}
    seven = elected(await elect(r, "presidium", presidium, popularity))
    # The chair and vice-chair are exclusive: one person cannot hold both (issue 14).
    exclusive = {"among": presidium, "exclusive": "yes"}
    chair = await create_position(r, "Ketua Presidium", 1, "irv", **exclusive)
    for alias in seven[:3]:
        await stand(r, chair, alias, alias, seconders)
    chair_name = elected(await elect(r, "presidium-chair", chair, {}))[0]
    vice = await create_position(r, "Wakil Ketua Presidium", 1, "irv", **exclusive)
    await plenary.refused(
        r,
        await r.me(seconders[0]),
        f"/positions/{vice}/nominations",
        409,
        f"{chair_name} sudah memegang jabatan Ketua Presidium",
        candidate=r.people[chair_name].id,
    )
    for alias in [a for a in seven if a != chair_name][:2]:
        await stand(r, vice, alias, alias, seconders)
    await elect(r, "presidium-vice-chair", vice, {})
    board = await create_position(r, "Ketua Badan Pengurus Nasional", 1, "irv")
    for alias in (west[6], central[5], east[4]):
        await stand(r, board, alias, alias, seconders)
    board_chair = elected(await elect(r, "board-chair", board, {}))[0]
    await ratify(r, board_chair, [west[7], central[6], east[5], west[8]], seconders, board)
    await runoff_race(r, [west[9], central[7], east[2]], seconders)


async def runoff_race(r: Rehearsal, racers: list[str], seconders: list[str]) -> None:
    """A two-round position without a majority: the chair opens the runoff (issue 14)."""
    position = await create_position(r, "Ketua Komisi Organisasi", 1, "two-round")
    for alias in racers:
        await stand(r, position, alias, alias, seconders)
    await elect(r, "commission-chair", position, dict.fromkeys(racers, 1.0))
    if not any(n.startswith("commission-chair-runoff") for n in r.results):
        raise RehearsalFailed("the two-round race was decided without its runoff")


async def ratify(
    r: Rehearsal, board_chair: str, proposed: list[str], seconders: list[str], board: str
) -> None:
    """The board chair proposes the secretary, treasurer and coordinator; yes/no votes. The
    hall rejects the first coordinator; the position stays open and the board chair proposes
    another person (issue 14)."""
    titles = ("Sekretaris", "Bendahara", "Koordinator Program")
    for title, alias in zip(titles, proposed, strict=False):
        position = await create_position(r, title, 1, "yes-no-abstain", proposed_by=board)
        name = f"ratify-{title.lower().replace(' ', '-')}"
        rounds = [(alias, 0.2), (proposed[3], 0.8)] if title == titles[2] else [(alias, 0.8)]
        for number, (person, yes) in enumerate(rounds, start=1):
            helpers = [s for s in seconders if s not in (person, board_chair)] + [
                r.by_region("central")[10]
            ]
            await stand(r, position, person, board_chair, helpers[:2])
            location = await r.post(r.officials["chair"], f"/positions/{position}/open")
            poll_id = _tail(location)

            def ballot(_: Person, __: tuple[str, ...], yes: float = yes) -> dict[str, Any]:
                return {"choice": "0" if r.rng.random() < yes else "1"}

            await vote(r, poll_id, ballot)
            result = await close_and_publish(
                r, name if number == 1 else f"{name}-{number}", poll_id
            )
            if len(rounds) > 1 and number == 1 and result["outcome"] != "rejected":
                raise RehearsalFailed(f"{title}: the first proposal was meant to be rejected")
        found = await asyncio.to_thread(r.app.queries.position, position)
        if found is None or found.status.value != "decided":
            raise RehearsalFailed(f"{title} was not filled")


async def ratify_statutes(r: Rehearsal) -> None:
    """The AD/ART ratification on the sample draft, through the bus as its pages do."""
    present = [p.id for p in r.present()]
    tags = [codes.card_tag(r.app.settings.secret_key, code) for code in r.drawn]
    report = await asyncio.to_thread(run_adart_rehearsal, r.app.bus, r.congress_id, present, tags)
    for subject, poll_id in report.polls.items():
        summary = (await r.officials["observer"].get(f"/api/polls/{poll_id}")).json()
        if summary["result"] is None:
            raise RehearsalFailed(f"the AD/ART vote on {subject} has no published result")
        name = f"adart-{subject.lower()}"
        r.results[name] = summary
        path = r.out / f"{len(r.results):02d}-{name}.json"
        path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")


async def write_election_records(r: Rehearsal) -> None:
    """Once every closed poll's close is checkpointed, write the records observers verify."""
    closed = [p.id for p in r.app.queries.polls(r.congress_id) if p.status.value == "closed"]
    for _ in range(RESULT_TIMEOUT_S * 10):
        signed = {
            c.poll_id
            for c in r.app.trust.checkpoints(r.congress_id)
            if c.kind == "close" and c.poll_id
        }
        if set(closed) <= signed:
            await asyncio.to_thread(
                write_records,
                r.app.queries,
                r.app.trust,
                r.app.settings.secret_key,
                r.app.settings.min_group,
                r.congress_id,
                r.out / "records",
            )
            return
        await asyncio.sleep(0.1)
    raise RehearsalFailed("closing checkpoints were not signed in time")


async def rehearse(r: Rehearsal) -> dict[str, dict[str, Any]]:
    try:
        await r.accredit()
        await r.check_in()
        await documents.document_settings(r)
        await congress_day(r)
        await corrections.annul_and_rerun(r)  # issues 14 and 18: void, annul, re-run
        await plenary.plenary_session(r)
        await ratify_statutes(r)
        await documents.publish_documents(r)
        await write_election_records(r)
        (r.out / "positions.json").write_text(
            json.dumps(r.positions, indent=2, ensure_ascii=False) + "\n"
        )
        regions = {p.alias: p.region for p in r.people.values()}
        (r.out / "regions.json").write_text(json.dumps(regions, indent=2, ensure_ascii=False))
    finally:
        await r.close()
    return r.results
