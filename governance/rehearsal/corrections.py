"""The rehearsal's correction (issues 14 and 18): a paper ballot beyond the hall, an annulled
poll and its re-run, each step by two officials over HTTP."""

from __future__ import annotations

import re
from typing import Any

from governance.rehearsal import steps
from governance.rehearsal.driver import Person, Rehearsal, RehearsalFailed

_COSIGN = re.compile(r"/corrections/([0-9a-f]{32})/cosign")


async def _cosign_all(r: Rehearsal, poll_id: str) -> None:
    """The observer co-signs every proposal waiting on the poll's page."""
    observer = r.officials["observer"]
    page = (await observer.get(f"/polls/{poll_id}")).text
    found = _COSIGN.findall(page)
    if not found:
        raise RehearsalFailed("no correction waits for the observer")
    for correction in found:
        await r.post(observer, f"/polls/{poll_id}/corrections/{correction}/cosign")


async def annul_and_rerun(r: Rehearsal) -> dict[str, Any]:
    """Everyone present votes; a paper ballot beyond them is refused and voided; the poll is
    annulled (the ballot paper was wrong), and the vote is held again as a new poll."""
    desk, chair = r.officials["secretariat"], r.officials["chair"]
    title = "Jadwal sidang / Session schedule"
    poll_id = steps._tail(await r.post(desk, f"/congresses/{r.congress_id}/motions", title=title))
    await r.post(chair, f"/polls/{poll_id}/open")

    def yes(_: Person, __: tuple[str, ...]) -> dict[str, Any]:
        return {"choice": "0"}

    await steps.vote(r, poll_id, yes)
    await r.post(desk, f"/polls/{poll_id}/paper", ballots="1\n")
    page = (await desk.get(f"/polls/{poll_id}")).text
    batch = re.search(r'name="batch" value="([0-9a-f]{32})"', page)
    if batch is None or "kartu suara yang terdaftar" not in page:
        raise RehearsalFailed("the paper ballot beyond the delegates present was not flagged")
    token = await r.csrf(r.officials["observer"], f"/congresses/{r.congress_id}")
    refused = await r.officials["observer"].post(
        f"/polls/{poll_id}/paper/{batch.group(1)}/confirm", data={"csrf_token": token}
    )
    if refused.status_code != 409:
        raise RehearsalFailed(
            f"a paper ballot beyond the hall was confirmed ({refused.status_code})"
        )
    await r.post(desk, f"/polls/{poll_id}/corrections", kind="void_batch", batch=batch.group(1),
                 reason="Pemilih sudah memilih di ponsel / already voted by phone")  # fmt: skip
    await _cosign_all(r, poll_id)
    await r.post(chair, f"/polls/{poll_id}/corrections", kind="annul",
                 reason="Surat suara keliru / wrong ballot paper")  # fmt: skip
    await _cosign_all(r, poll_id)
    again = steps._tail(await r.post(chair, f"/polls/{poll_id}/rerun"))
    await r.post(chair, f"/polls/{again}/open")
    await steps.vote(r, again, yes)
    return await steps.close_and_publish(r, "schedule-rerun", again)
