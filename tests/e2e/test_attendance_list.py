"""The printable attendance list (daftar hadir): every delegate by number and alias, never a
legal name; who is present ticked; only the secretariat sees it (issue 17 item 9)."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.commands import CheckInDelegate, SaveDelegate
from governance.domain.delegates import SECRETARIAT_CARD, Role
from governance.service_layer import setup
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e


def test_the_attendance_list_names_aliases_ticks_the_present_and_never_a_legal_name(
    sqlite_app: Suara,
) -> None:
    congress_id = setup.create_congress(sqlite_app.uow_factory, f"c-{codes.new_id()[:8]}", "K")
    for alias, region in (("Melati Fajar", "west"), ("Kenanga Senja", "east")):
        sqlite_app.bus.handle(
            SaveDelegate(congress_id, alias, "Bali", region, "perempuan", legal_name="Nama Asli")
        )
    people = {d.alias: d for d in sqlite_app.queries.delegates(congress_id)}
    sqlite_app.bus.handle(CheckInDelegate(congress_id, people["Kenanga Senja"].id))
    printed = setup.issue_identity_cards(
        sqlite_app.uow_factory,
        sqlite_app.hasher,
        congress_id,
        [(SECRETARIAT_CARD, Role.SECRETARIAT, None, "Sekretariat")],
    )
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        assert client.get(f"/congresses/{congress_id}/attendance").status_code == 403
        page = client.get(f"/congresses/{congress_id}/signin")
        client.post(
            f"/congresses/{congress_id}/signin",
            data={"csrf_token": csrf(page.text), "code": printed[SECRETARIAT_CARD]},
        )
        answer = client.get(f"/congresses/{congress_id}/attendance")
    assert answer.status_code == 200
    rows = re.findall(
        r"<tr><td>(\d+)</td><td>([^<]+)</td><td>[^<]*</td><td>([^<]+)</td>"
        r"<td>(✓?)</td>",
        answer.text,
    )
    shown = {alias: (region, tick) for _, alias, region, tick in rows}
    assert shown == {"Melati Fajar": ("Barat", ""), "Kenanga Senja": ("Timur", "✓")}
    assert "Nama Asli" not in answer.text
    assert "Hadir: 1 dari 2" in answer.text
