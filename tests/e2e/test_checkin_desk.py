"""The check-in desk at a large congress: a page of the roster, search, a tick that comes back to
the same page, and a bulk path from a printed list (issue 16)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.delegates import SECRETARIAT_CARD, Delegate, Role
from governance.service_layer import setup
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e

DELEGATES = 1_050


def test_the_desk_pages_searches_ticks_back_in_place_and_takes_a_printed_list(
    sqlite_app: Suara,
) -> None:
    congress_id = setup.create_congress(sqlite_app.uow_factory, f"c-{codes.new_id()[:8]}", "K")
    people = [
        Delegate(codes.new_id(), congress_id, i, f"Anggrek {i:04d}", "Bali", "east")
        for i in range(1, DELEGATES + 1)
    ]
    setup.add_delegates(sqlite_app.uow_factory, congress_id, people)
    printed = setup.issue_identity_cards(
        sqlite_app.uow_factory,
        sqlite_app.hasher,
        congress_id,
        [(SECRETARIAT_CARD, Role.SECRETARIAT, None, "Sekretariat")],
    )
    desk = f"/congresses/{congress_id}/checkin"
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress_id}/signin")
        client.post(
            f"/congresses/{congress_id}/signin",
            data={"csrf_token": csrf(page.text), "code": printed[SECRETARIAT_CARD]},
        )
        first = client.get(desk)
        assert first.status_code == 200
        assert len(first.content) <= 60_000, len(first.content)  # a first screen, not 2 MB
        assert first.text.count('<li id="d-') == 100
        assert "Halaman 1 dari 11" in first.text

        found = client.get(desk, params={"q": "anggrek 1049"})
        assert found.text.count('<li id="d-') == 1 and "Anggrek 1049" in found.text
        by_number = client.get(desk, params={"q": "777"})
        assert by_number.text.count('<li id="d-') == 1 and "Anggrek 0777" in by_number.text

        person = people[1048]
        ticked = client.post(
            desk,
            data={
                "csrf_token": csrf(found.text),
                "delegate": person.id,
                "present": "yes",
                "q": "anggrek 1049",
            },
        )
        assert ticked.status_code == 303
        assert ticked.headers["location"] == f"{desk}?q=anggrek+1049#d-{person.id}"

        token = csrf(first.text)
        refused = client.post(f"{desk}/bulk", data={"csrf_token": token, "numbers": "1, 99999"})
        assert refused.status_code == 422 and f'href="{desk}"' in refused.text
        bad = client.post(f"{desk}/bulk", data={"csrf_token": token, "numbers": "1, tiga"})
        assert bad.status_code == 422
        assert sqlite_app.queries.attendance(congress_id).present == 1  # nothing changed

        many = client.post(f"{desk}/bulk", data={"csrf_token": token, "numbers": "1, 3-5 1049"})
        assert many.status_code == 303
        shown = client.get(many.headers["location"])
        assert re.search(r"Tersimpan: 5 peserta ditandai hadir", shown.text)
    present = {d.number for d in sqlite_app.queries.delegates(congress_id) if d.present}
    assert present == {1, 3, 4, 5, 1049}
