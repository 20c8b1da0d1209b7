"""The plenary through HTTP on both backends: the agenda, the list of speakers, motions from the
floor, quorum and skorsing. Each refusal is an Indonesian message and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from governance.adapters.tables import agenda_polls, floor_motions, polls, sittings, speakers
from governance.bootstrap import Suara
from governance.domain.commands import (
    CastBallot,
    CheckInDelegate,
    ClosePoll,
    CreatePoll,
    PublishResult,
    TallyPoll,
)
from governance.domain.delegates import Role
from governance.domain.rules import Rules
from governance.service_layer import setup
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e


@dataclass
class Hall:
    app: Suara
    congress: factories.Congress
    clients: dict[str, TestClient]

    @property
    def cid(self) -> str:
        return self.congress.id

    def post(self, who: str, path: str, data: dict[str, Any] | None = None) -> Any:
        client = self.clients[who]
        token = csrf(client.get(f"/congresses/{self.cid}").text)
        return client.post(path, data={"csrf_token": token, **(data or {})})

    def get(self, who: str, path: str) -> str:
        answer = self.clients[who].get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        return str(answer.text)

    def rows(self) -> tuple[object, ...]:
        """Everything the plenary stores, to show a refusal changed nothing."""
        with self.app.engine.connect() as conn:
            return tuple(
                tuple(conn.execute(sa.select(t)).all())
                for t in (sittings, speakers, floor_motions, agenda_polls, polls)
            )

    def item(self, title: str = "Laporan pertanggungjawaban") -> str:
        data = {"session": "Pleno I", "kind": "plenary", "title": title}
        added = self.post("sec", f"/congresses/{self.cid}/agenda", data | {"starts_at": "9.00"})
        assert added.status_code == 303
        items = self.app.queries.plenary.agenda(self.cid)
        return next(v.id for v in items if v.item.title == title)


def alert(answer: Any) -> str:
    found = re.search(r'role="alert"[^>]*>([^<]+)<', answer.text)
    assert found, answer.text[:300]
    return found.group(1)


@pytest.fixture
def hall(app: Suara) -> Iterator[Hall]:
    congress = factories.congress(app, delegates=6, cards=6)
    holders = [
        (n, Role.DELEGATE, congress.delegate_ids[n - 1], f"Alias {n}") for n in range(2, 5)
    ] + [(800, Role.SECRETARIAT, None, "Sekretariat")]
    printed = setup.issue_identity_cards(app.uow_factory, app.hasher, congress.id, holders)
    codes = {"d1": congress.identity["delegate"], "chair": congress.identity["chair"]}
    codes |= {f"d{n}": printed[n] for n in range(2, 5)} | {"sec": printed[800]}
    web = create_app(app)
    clients = {name: TestClient(web, follow_redirects=False) for name in codes}
    for client in clients.values():
        client.__enter__()
    try:
        for name, client in clients.items():
            page = client.get(f"/congresses/{congress.id}/signin")
            data = {"csrf_token": csrf(page.text), "code": codes[name]}
            assert client.post(f"/congresses/{congress.id}/signin", data=data).status_code == 303
        yield Hall(app, congress, clients)
    finally:
        for client in clients.values():
            client.__exit__(None, None, None)


def test_the_chair_runs_an_item_and_a_point_of_order_goes_first(hall: Hall) -> None:
    item = hall.item()
    agenda = hall.get("d1", f"/congresses/{hall.cid}/agenda")
    assert "09:00" in agenda and "Laporan pertanggungjawaban" in agenda
    assert hall.post("d1", f"/agenda/{item}/current").status_code == 403
    assert hall.post("chair", f"/agenda/{item}/current").status_code == 303
    assert "Acara sekarang" in hall.get("d1", f"/congresses/{hall.cid}")
    for who in ("d1", "d2"):
        assert hall.post(who, f"/agenda/{item}/speakers", {"kind": "speech"}).status_code == 303
    before = hall.rows()
    again = hall.post("d1", f"/agenda/{item}/speakers", {"kind": "speech"})
    assert again.status_code == 409
    assert alert(again).startswith("Sudah ada dalam daftar pembicara")
    assert f'href="/agenda/{item}"' in again.text  # the way back to the item
    assert hall.rows() == before
    hall.post("d3", f"/agenda/{item}/speakers", {"kind": "point_of_order"})
    page = hall.get("d4", f"/agenda/{item}")
    queue = page.split('id="queue"', 1)[1].split("</ol>", 1)[0]
    assert [a for a in re.findall(r"Alias \d", queue)] == ["Alias 3", "Alias 1", "Alias 2"]
    assert "interupsi" in queue
    assert hall.post("d1", f"/agenda/{item}/speakers/next").status_code == 403
    assert hall.post("chair", f"/agenda/{item}/speakers/next").status_code == 303
    page = hall.get("chair", f"/agenda/{item}")
    current = page.split('id="current-speaker"', 1)[1].split("</div>", 1)[0]
    assert "Alias 3" in current and 'data-countdown="60"' in current  # a point of order: 1 min
    projector = TestClient(create_app(hall.app)).get(f"/congresses/{hall.cid}/projector").text
    assert "Laporan pertanggungjawaban" in projector and "Peserta no. 3" in projector
    assert "Alias 3" not in projector  # names stay off the projector unless turned on
    # The secretariat adds a delegate by number; a delegate withdraws their own request only.
    assert hall.post("sec", f"/agenda/{item}/speakers", {"number": "5"}).status_code == 303
    listed = hall.app.queries.plenary.speakers(hall.cid, item, datetime.now(UTC))
    mine = next(s.entry.id for s in listed.queue if s.person and s.person.alias == "Alias 2")
    assert hall.post("d1", f"/speakers/{mine}/withdraw").status_code == 403
    assert hall.post("d2", f"/speakers/{mine}/withdraw").status_code == 303


def test_a_motion_and_its_amendment_from_the_floor_with_seconders(hall: Hall) -> None:
    item = hall.item()
    hall.post("chair", f"/agenda/{item}/current")
    tabled = hall.post(
        "d1",
        f"/congresses/{hall.cid}/floor-motions",
        {"title": "Tempat kongres berikut", "text": "Kongres berikut di Makassar."},
    )
    assert tabled.status_code == 303
    motion = tabled.headers["location"].rsplit("/", 1)[1]
    before = hall.rows()
    refused = hall.post("chair", f"/floor-motions/{motion}/admit")
    assert refused.status_code == 409
    assert alert(refused) == (
        "Usul ini belum dapat dimasukkan ke acara: tata tertib mensyaratkan 2 pendukung dan "
        "baru ada 0. Tidak ada yang diubah."
    )
    own = hall.post("d1", f"/floor-motions/{motion}/second")
    assert own.status_code == 422 and alert(own) == "Anda tidak dapat mendukung usul Anda sendiri."
    assert hall.rows() == before
    for who in ("d2", "d3"):
        assert hall.post(who, f"/floor-motions/{motion}/second").status_code == 303
    assert hall.post("chair", f"/floor-motions/{motion}/admit").status_code == 303
    amended = hall.post(
        "d2",
        f"/floor-motions/{motion}/amendments",
        {"kind": "replace", "text": "Kongres berikut di Kupang.", "reason": "Giliran timur"},
    )
    amendment = amended.headers["location"].rsplit("/", 1)[1]
    for who in ("d1", "d4"):
        hall.post(who, f"/floor-motions/{amendment}/second")
    assert hall.post("chair", f"/floor-motions/{amendment}/admit").status_code == 303
    early = hall.post("chair", f"/floor-motions/{motion}/vote")
    assert early.status_code == 409 and alert(early).startswith("Musyawarah untuk mufakat")
    no = {"consensus": "no", "note": "Belum mufakat"}
    assert hall.post("sec", f"/floor-motions/{motion}/deliberation", no).status_code == 303
    before = hall.rows()
    first = hall.post("chair", f"/floor-motions/{motion}/vote")
    assert first.status_code == 409
    assert alert(first) == (
        "Usul perubahan atas usul ini diputuskan lebih dahulu: usul perubahan nomor 2 belum "
        "diputuskan."
    )
    assert hall.rows() == before
    opened = hall.post("chair", f"/floor-motions/{amendment}/vote")
    assert opened.status_code == 303
    poll_id = opened.headers["location"].rsplit("/", 1)[1]
    for tag in hall.congress.tags[:5]:
        hall.app.bus.handle(CastBallot(poll_id, tag, (0,)))
    for command in (ClosePoll(poll_id), TallyPoll(poll_id), PublishResult(poll_id)):
        hall.app.bus.handle(command)
    opened = hall.post("sec", f"/floor-motions/{motion}/vote")
    assert opened.status_code == 303
    final = hall.app.queries.poll(opened.headers["location"].rsplit("/", 1)[1])
    assert final is not None and final.description == "Kongres berikut di Kupang."
    page = hall.get("d3", f"/agenda/{item}")
    assert "Usul perubahan 2 atas usul 1" in page  # both votes are on the item
    assert "diterima melalui pemungutan suara" in hall.get("d3", f"/floor-motions/{amendment}")


def test_observers_speak_but_never_table_or_second(hall: Hall) -> None:
    with hall.app.uow_factory() as uow:
        uow.conn.execute(
            sa.text("UPDATE delegates SET voting_right = :no WHERE id = :id"),
            {"no": False, "id": hall.congress.delegate_ids[3]},
        )
        uow.commit()
    item = hall.item()
    assert hall.post("d4", f"/agenda/{item}/speakers").status_code == 303
    before = hall.rows()
    refused = hall.post("d4", f"/congresses/{hall.cid}/floor-motions", {"title": "X", "text": "Y"})
    assert refused.status_code == 403
    assert alert(refused).startswith("Peninjau boleh berbicara")
    assert hall.rows() == before


def test_named_votes_are_for_procedural_motions_only(hall: Hall) -> None:
    item = hall.item()
    hall.post("chair", f"/agenda/{item}/current")
    ids = {}
    for title, procedural in (("Tutup pembahasan", "yes"), ("Program kerja", "")):
        data = {"title": title, "text": title + ".", "procedural": procedural}
        where = hall.post("d1", f"/congresses/{hall.cid}/floor-motions", data)
        ids[title] = where.headers["location"].rsplit("/", 1)[1]
        for who in ("d2", "d3"):
            hall.post(who, f"/floor-motions/{ids[title]}/second")
        hall.post("chair", f"/floor-motions/{ids[title]}/admit")
        hall.post("sec", f"/floor-motions/{ids[title]}/deliberation", {"consensus": "no"})
    before = hall.rows()
    refused = hall.post("chair", f"/floor-motions/{ids['Program kerja']}/vote", {"named": "yes"})
    assert refused.status_code == 422
    assert alert(refused) == "Pemungutan suara terbuka (dengan nama) hanya untuk usul prosedural."
    assert hall.rows() == before
    opened = hall.post("chair", f"/floor-motions/{ids['Tutup pembahasan']}/vote", {"named": "yes"})
    poll = hall.app.queries.poll(opened.headers["location"].rsplit("/", 1)[1])
    assert poll is not None and poll.named
    # The secretariat's own procedural motion may be named too, and goes on the item.
    data = {"title": "Pengesahan agenda", "named": "yes", "item": item}
    made = hall.post("sec", f"/congresses/{hall.cid}/motions", data)
    agenda_poll = hall.app.queries.poll(made.headers["location"].rsplit("/", 1)[1])
    assert agenda_poll is not None and agenda_poll.named
    assert agenda_poll.id in {p.id for p in hall.app.queries.plenary.item_polls(item)}
    before = hall.rows()
    wrong = hall.post("sec", f"/congresses/{hall.cid}/motions", data | {"item": "0" * 32})
    assert wrong.status_code == 404 and hall.rows() == before  # no poll without its item
    # Musyawarah reaching consensus decides a motion without any vote.
    where = hall.post("d2", f"/congresses/{hall.cid}/floor-motions", {"title": "Z", "text": "Z."})
    mufakat = where.headers["location"].rsplit("/", 1)[1]
    for who in ("d1", "d3"):
        hall.post(who, f"/floor-motions/{mufakat}/second")
    hall.post("chair", f"/floor-motions/{mufakat}/admit")
    hall.post("sec", f"/floor-motions/{mufakat}/deliberation", {"consensus": "yes", "note": "Ok"})
    assert "diterima secara mufakat" in hall.get("d1", f"/floor-motions/{mufakat}")


def test_below_quorum_the_chair_is_told_suspends_and_no_poll_opens_until_reconvened(
    hall: Hall,
) -> None:
    with hall.app.uow_factory() as uow:
        uow.rules.adopt(hall.cid, Rules(quorum="2/3"))
        uow.commit()
    item = hall.item()
    poll_id = hall.app.bus.handle(CreatePoll(hall.cid, "Laporan diterima"))
    for delegate_id in hall.congress.delegate_ids[3:]:
        hall.app.bus.handle(CheckInDelegate(hall.cid, delegate_id, False))
    page = hall.get("chair", f"/agenda/{item}")
    told = page.split('id="quorum-alert"', 1)[1].split("</section>", 1)[0]
    assert "3 dari 6 peserta yang berhak suara hadir; tata tertib mensyaratkan 4" in told
    assert "/sitting/suspend" in told
    assert 'id="quorum-alert"' not in hall.get("d1", f"/agenda/{item}")  # the chair is told
    before = hall.rows()
    below = hall.post("chair", f"/polls/{poll_id}/open")
    assert below.status_code == 409 and alert(below).startswith("Tidak kuorum: 3 dari 6")
    assert hall.rows() == before
    data = {"minutes": "15", "reason": "Kuorum tidak terpenuhi", "back": f"/agenda/{item}"}
    assert hall.post("d1", f"/congresses/{hall.cid}/sitting/suspend", data).status_code == 403
    suspended = hall.post("chair", f"/congresses/{hall.cid}/sitting/suspend", data)
    assert suspended.status_code == 303 and suspended.headers["location"] == f"/agenda/{item}"
    assert "Sidang diskors" in hall.get("d1", f"/agenda/{item}")
    projector = TestClient(create_app(hall.app)).get(f"/congresses/{hall.cid}/projector").text
    assert "Sidang diskors" in projector and "Kuorum tidak terpenuhi" in projector
    for delegate_id in hall.congress.delegate_ids[3:]:
        hall.app.bus.handle(CheckInDelegate(hall.cid, delegate_id, True))
    before = hall.rows()
    while_suspended = hall.post("chair", f"/polls/{poll_id}/open")
    assert while_suspended.status_code == 409
    assert alert(while_suspended) == (
        "Sidang sedang diskors: tidak ada pemungutan suara yang dibuka sampai pimpinan sidang "
        "mencabut skorsing."
    )
    assert hall.rows() == before
    again = hall.post("chair", f"/congresses/{hall.cid}/sitting/suspend", data)
    assert again.status_code == 409 and hall.rows() == before
    assert hall.post("chair", f"/congresses/{hall.cid}/sitting/resume", data).status_code == 303
    assert hall.post("chair", f"/polls/{poll_id}/open").status_code == 303
    opened = hall.app.queries.poll(poll_id)
    assert opened is not None and "suspended" not in opened.opened_snapshot
    actions = [e.action for e in hall.app.queries.audit(hall.cid)]
    assert "suspend_sitting" in actions and "resume_sitting" in actions
