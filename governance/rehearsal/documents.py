"""The rehearsal's last act: the declaration, then every decision and the minutes, over HTTP.

The secretariat sets what the documents print (organisation, place, venue), the plenary adopts
the declaration (a motion whose text is its description), and the secretariat publishes one
Keputusan per closed poll and the Berita Acara of all of them, through the decisions page as a
person would. Each published document is downloaded into DIR/documents/ as PDF and HTML.
"""

from __future__ import annotations

import re

from governance.rehearsal.driver import Rehearsal, RehearsalFailed

ORGANISATION = "Jaringan Contoh Nusantara"
PLACE = "Jakarta"
VENUE = "Wisma Contoh, Jalan Kenari 7"
CHAIR, SECRETARY = "Pimpinan Sidang", "Sekretaris"
DECLARATION = (
    "Kami, peserta Kongres Nasional I, menyatakan berdirinya jaringan nasional ini sebagai "
    "wadah bersama yang menjunjung tinggi nilai anti kekerasan, tidak memihak, anti "
    "diskriminasi, kesetaraan gender, kemajemukan, keadilan dan keterbukaan.\n\n"
    "Kami bertekad memperjuangkan hak dan martabat setiap anggota, di setiap wilayah, "
    "bersama-sama dan tanpa kekerasan."
)


def _tail(location: str) -> str:
    return location.split("?", 1)[0].rstrip("/").rsplit("/", 1)[1]


async def declaration(r: Rehearsal) -> str:
    """The declaration: drafted with its full text, voted, closed and published."""
    from governance.rehearsal import steps  # steps imports this module's caller

    desk = r.officials["secretariat"]
    form = {"title": "Deklarasi Kongres", "description": DECLARATION}
    poll_id = _tail(await r.post(desk, f"/congresses/{r.congress_id}/motions", **form))
    await r.post(r.officials["chair"], f"/polls/{poll_id}/open")

    def ballot(_: object, __: tuple[str, ...]) -> dict[str, str]:
        return {"choice": "0" if r.rng.random() < 0.9 else "2"}

    await steps.vote(r, poll_id, ballot)
    await steps.close_and_publish(r, "declaration", poll_id)
    return poll_id


async def document_settings(r: Rehearsal) -> None:
    """Before the day's business: what every document will print."""
    await r.post(
        r.officials["secretariat"],
        f"/congresses/{r.congress_id}/documents/settings",
        organisation=ORGANISATION,
        place=PLACE,
        venue=VENUE,
    )


async def publish_documents(r: Rehearsal) -> list[str]:
    """The declaration, a decision per closed poll, the minutes; each file into DIR."""
    desk = r.officials["secretariat"]
    await declaration(r)
    closed = [p for p in r.app.queries.polls(r.congress_id) if p.status.value == "closed"]
    polls = [p.id for p in closed]
    path = f"/congresses/{r.congress_id}/documents"
    signed = {"language": "id", "chair": CHAIR, "secretary": SECRETARY}
    for poll in closed:
        # An annulled poll has a correction decision instead of a decision (issue 14).
        kind = "correction" if poll.annulled else "decision"
        await r.post(desk, path, kind=kind, poll=poll.id, **signed)
    token = await r.csrf(desk, f"/congresses/{r.congress_id}")
    form = {"csrf_token": token, "kind": "minutes", "poll": polls, **signed}
    answer = await desk.post(path, data=form)
    if answer.status_code != 303:
        raise RehearsalFailed(f"the minutes were refused ({answer.status_code})")
    page = (await desk.get(f"/congresses/{r.congress_id}/decisions")).text
    ids = list(dict.fromkeys(re.findall(r'href="/documents/([0-9a-f]{32})/html"', page)))
    if len(ids) < len(polls) + 1:
        raise RehearsalFailed(f"{len(ids)} documents listed for {len(polls)} polls")
    out = r.out / "documents"
    out.mkdir(parents=True, exist_ok=True)
    for number, document_id in enumerate(ids, start=1):
        for fmt in ("html", "pdf"):
            body = await r.officials["observer"].get(f"/documents/{document_id}/{fmt}")
            if body.status_code != 200:
                raise RehearsalFailed(f"document {document_id} {fmt}: {body.status_code}")
            (out / f"{number:02d}-{document_id[:8]}.{fmt}").write_bytes(body.content)
    return ids
