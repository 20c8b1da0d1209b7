"""The rehearsal's plenary, through HTTP: an agenda item with its list of speakers and a point
of order, a motion and an amendment from the floor with seconders (musyawarah first, the
amendment voted before the motion), a procedural motion by named vote, and a quorum lost:
the chair is told, suspends (skorsing), no poll opens meanwhile, and the sitting reconvenes.

Each refusal on the way is checked for its status and its Indonesian message.
"""

from __future__ import annotations

import re
from typing import Any

import httpx2

from governance.rehearsal import steps  # a module import: steps.py calls this module
from governance.rehearsal.driver import Person, Rehearsal, RehearsalFailed

ITEMS = (
    ("Pleno IV", "Program kerja dan rekomendasi / Work programme", "14:00", "45"),
    ("Pleno IV", "Tempat kongres berikutnya / Venue of the next congress", "", "30"),
)


def _tail(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[1]


async def refused(
    r: Rehearsal, client: httpx2.AsyncClient, path: str, status: int, words: str, **data: Any
) -> None:
    """Post a form that must be refused with `status` and a message containing `words`."""
    token = await r.csrf(client, f"/congresses/{r.congress_id}")
    answer = await client.post(path, data={"csrf_token": token, **data})
    found = re.search(r'role="alert"[^>]*>([^<]+)<', answer.text)
    message = found.group(1) if found else ""
    if answer.status_code != status or words not in message:
        raise RehearsalFailed(f"POST {path}: expected {status} '{words}', got {answer.status_code}")


async def _page(r: Rehearsal, path: str) -> str:
    page = await r.officials["observer"].get(path)
    if page.status_code != 200:
        raise RehearsalFailed(f"GET {path} -> {page.status_code}")
    return page.text


async def agenda(r: Rehearsal) -> list[str]:
    """The secretariat adds the afternoon's items with their time plan; the chair opens one."""
    desk = r.officials["secretariat"]
    for session, title, starts, minutes in ITEMS:
        data = {"session": session, "kind": "plenary", "title": title}
        await r.post(
            desk, f"/congresses/{r.congress_id}/agenda", **data, starts_at=starts, minutes=minutes
        )
    page = await _page(r, f"/congresses/{r.congress_id}/agenda")
    # The link to each item is the one whose text holds its title.
    ids = [
        re.search(rf'href="/agenda/([0-9a-f]{{32}})">(?:(?!</a>).)*?{re.escape(t)}', page)
        for _, t, _, _ in ITEMS
    ]
    if not all(ids) or "14:45\u201315:15" not in page:
        raise RehearsalFailed("the agenda's items or time plan are not shown")
    items = [m.group(1) for m in ids if m]
    await r.post(r.officials["chair"], f"/agenda/{items[0]}/current")
    return items


def _queue(page: str) -> list[str]:
    listed = page.split('id="queue"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<li><span class="pos">\d+\.</span>\s*([^<]+?) <span', listed)


async def speakers(r: Rehearsal, item: str, people: list[Person]) -> None:
    """Three delegates ask for the floor from their phones, a fourth raises a point of order:
    it goes first. The chair gives the floor in turn; a second request is refused."""
    for person in people[:3]:
        await r.post(await r.me(person.alias), f"/agenda/{item}/speakers", kind="speech")
    await refused(
        r, await r.me(people[0].alias), f"/agenda/{item}/speakers", 409, "Sudah ada", kind="speech"
    )
    point = people[3]
    await r.post(await r.me(point.alias), f"/agenda/{item}/speakers", kind="point_of_order")
    queue = _queue(await _page(r, f"/agenda/{item}"))
    if queue != [point.alias] + [p.alias for p in people[:3]]:
        raise RehearsalFailed(f"the point of order does not go first: {queue}")
    chair = r.officials["chair"]
    for expected in [point, *people[:3]]:
        await r.post(chair, f"/agenda/{item}/speakers/next")
        page = await _page(r, f"/agenda/{item}")
        floor = page.split('id="current-speaker"', 1)[1].split("</div>", 1)[0]
        if expected.alias not in floor or "data-countdown" not in floor:
            raise RehearsalFailed(f"{expected.alias} does not have the floor on the clock")
    await r.post(chair, f"/agenda/{item}/speakers/end")
    await refused(r, chair, f"/agenda/{item}/speakers/next", 409, "Tidak ada yang menunggu")


async def table(r: Rehearsal, alias: str, path: str, **data: str) -> str:
    return _tail(await r.post(await r.me(alias), path, **data))


async def second_by(r: Rehearsal, motion: str, seconders: list[str]) -> None:
    for alias in seconders:
        await r.post(await r.me(alias), f"/floor-motions/{motion}/second")


def _yes(share: float, r: Rehearsal) -> Any:
    def ballot(_: Person, __: tuple[str, ...]) -> dict[str, Any]:
        return {"choice": "0" if r.rng.random() < share else "1"}

    return ballot


async def floor_motions(r: Rehearsal, item: str, aliases: list[str]) -> None:
    """A motion and an amendment from the floor, each with the rules' two seconders."""
    chair, desk = r.officials["chair"], r.officials["secretariat"]
    proposer, amender, *seconders = aliases
    motion = await table(
        r,
        proposer,
        f"/congresses/{r.congress_id}/floor-motions",
        title="Tempat kongres berikutnya",
        text="Kongres Nasional II diselenggarakan di Makassar.",
        reason="Kota yang mudah dijangkau dari ketiga wilayah.",
    )
    await refused(r, chair, f"/floor-motions/{motion}/admit", 409, "mensyaratkan 2 pendukung")
    await second_by(r, motion, seconders[:2])
    await r.post(chair, f"/floor-motions/{motion}/admit", item=item)
    amendment = await table(
        r,
        amender,
        f"/floor-motions/{motion}/amendments",
        kind="replace",
        text="Kongres Nasional II diselenggarakan di Kupang.",
        reason="Giliran wilayah timur.",
    )
    await second_by(r, amendment, seconders[2:4])
    await r.post(chair, f"/floor-motions/{amendment}/admit")
    await refused(r, chair, f"/floor-motions/{motion}/vote", 409, "Musyawarah untuk mufakat")
    no_consensus = {"consensus": "no", "note": "Dua pendapat tetap dipertahankan."}
    await r.post(desk, f"/floor-motions/{motion}/deliberation", **no_consensus)
    await refused(r, chair, f"/floor-motions/{motion}/vote", 409, "diputuskan lebih dahulu")
    poll = _tail(await r.post(chair, f"/floor-motions/{amendment}/vote"))
    await steps.vote(r, poll, _yes(0.3, r))
    await steps.close_and_publish(r, "floor-amendment", poll)
    poll = _tail(await r.post(chair, f"/floor-motions/{motion}/vote"))
    await steps.vote(r, poll, _yes(0.8, r))
    await steps.close_and_publish(r, "floor-motion", poll)


async def named_vote(r: Rehearsal, item: str, aliases: list[str]) -> None:
    """A procedural motion from the floor, decided by an open (named) vote by identity card."""
    chair = r.officials["chair"]
    motion = await table(
        r,
        aliases[0],
        f"/congresses/{r.congress_id}/floor-motions",
        title="Waktu bicara",
        text="Waktu bicara dibatasi dua menit per pembicara untuk acara ini.",
        procedural="yes",
    )
    await second_by(r, motion, aliases[1:3])
    await r.post(chair, f"/floor-motions/{motion}/admit", item=item)
    no = {"consensus": "no", "note": "Tidak mufakat."}
    await r.post(r.officials["secretariat"], f"/floor-motions/{motion}/deliberation", **no)
    poll = _tail(await r.post(chair, f"/floor-motions/{motion}/vote", named="yes"))
    for person in r.present():
        choice = "0" if r.rng.random() < 0.7 else "1"
        await r.post(await r.me(person.alias), f"/polls/{poll}/named-vote", choice=choice)
    await steps.close_and_publish(r, "floor-procedural-named", poll)


async def quorum_and_skorsing(r: Rehearsal, item: str) -> None:
    """Delegates leave the hall until the quorum is lost: the chair is told, the poll does not
    open, the chair suspends; they come back; nothing opens until the chair reconvenes."""
    chair, desk = r.officials["chair"], r.officials["secretariat"]
    poll = _tail(
        await r.post(
            desk, f"/congresses/{r.congress_id}/motions", title="Rekomendasi kongres", item=item
        )
    )
    leaving = r.present()[-16:]  # 50 present of 52; 2/3 of 52 needs 35
    checkin = f"/congresses/{r.congress_id}/checkin"
    for person in leaving:
        await r.post(desk, checkin, delegate=person.id, present="no")
    page = (await chair.get(f"/agenda/{item}")).text
    if 'id="quorum-alert"' not in page or "34 dari 52" not in page:
        raise RehearsalFailed("the chair is not told that the quorum was lost")
    await refused(r, chair, f"/polls/{poll}/open", 409, "Tidak kuorum: 34 dari 52")
    back = f"/agenda/{item}"
    reason = "Kuorum tidak terpenuhi"
    await r.post(
        chair,
        f"/congresses/{r.congress_id}/sitting/suspend",
        minutes="15",
        reason=reason,
        back=back,
    )
    projector = (await r.officials["observer"].get(f"/congresses/{r.congress_id}/projector")).text
    if "Sidang diskors" not in projector:
        raise RehearsalFailed("the projector does not show the suspension")
    for person in leaving:
        await r.post(desk, checkin, delegate=person.id, present="yes")
    await refused(r, chair, f"/polls/{poll}/open", 409, "Sidang sedang diskors")
    await r.post(chair, f"/congresses/{r.congress_id}/sitting/resume", back=back)
    await r.post(chair, f"/polls/{poll}/open")
    await steps.vote(r, poll, _yes(0.9, r))
    await steps.close_and_publish(r, "after-skorsing", poll)


async def plenary_session(r: Rehearsal) -> None:
    """The afternoon plenary: speakers, motions from the floor, a suspension."""
    first, later = await agenda(r)
    people = r.present()
    await speakers(r, first, people[10:14])
    aliases = [p.alias for p in people[20:28]]
    await floor_motions(r, later, aliases)
    await r.post(r.officials["chair"], f"/agenda/{later}/current")
    await named_vote(r, later, aliases[4:])
    await quorum_and_skorsing(r, first)
