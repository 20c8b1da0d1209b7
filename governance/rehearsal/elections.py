"""The rehearsal's election procedure (issue 14), through HTTP as the hall would run it.

After a count, a position may wait: the chair opens the runoff or the re-vote among the
tied, the secretariat records that musyawarah reached no consensus, the chair shows the
lot's seed and draws it. A two-round race goes to a runoff.
"""

from __future__ import annotations

import asyncio
from typing import Any

from governance.rehearsal.driver import Person, Rehearsal, RehearsalFailed

RANKED = ("irv", "scottish-stv", "meek-stv", "schulze")


def single(ballot: Any) -> Any:
    """A single-choice ballot from a ranked one: the first preference."""

    def choose(person: Person, options: tuple[str, ...]) -> dict[str, Any]:
        return {"choice": ballot(person, options)["rank-1"]}

    return choose


async def settle(
    r: Rehearsal, name: str, position_id: str, ranked_ballot: Any, vote: Any, publish: Any
) -> list[str]:
    """Follow the position's procedure until it is decided; return who holds it.

    `vote` and `publish` are the rehearsal's own steps (every present delegate votes; the
    chair closes and the published result is written to DIR)."""
    chair, desk = r.officials["chair"], r.officials["secretariat"]
    aliases = {p.id: p.alias for p in r.people.values()}
    for attempt in range(2, 8):
        position = await asyncio.to_thread(r.app.queries.position, position_id)
        if position is None:
            raise RehearsalFailed(f"{name}: the position is gone")
        if position.status.value != "undecided":
            return [aliases.get(i, i) for i in position.elected_ids]
        step = position.step
        if step in ("runoff", "revote"):
            location = await r.post(chair, f"/positions/{position_id}/next-round")
            poll_id = location.rsplit("/", 1)[1]
            summary = (await r.officials["observer"].get(f"/api/polls/{poll_id}")).json()
            method = str(summary.get("method", ""))
            await vote(r, poll_id, ranked_ballot if method in RANKED else single(ranked_ballot))
            await publish(r, f"{name}-{step}-{attempt}", poll_id)
        elif step == "musyawarah":
            await r.post(desk, f"/positions/{position_id}/musyawarah", agreed="no")
        elif step == "lot":
            await r.post(chair, f"/positions/{position_id}/lot-seed")
            page = (await r.officials["observer"].get(f"/positions/{position_id}")).text
            if 'id="lot-seed"' not in page:
                raise RehearsalFailed(f"{name}: the lot's seed is not shown before the draw")
            await r.post(chair, f"/positions/{position_id}/lot")
        else:
            raise RehearsalFailed(f"{name}: unknown step {step!r}")
    raise RehearsalFailed(f"{name} was not decided")
