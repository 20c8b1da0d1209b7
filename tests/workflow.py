"""Helpers for workflow tests: signed-in HTTP clients and a small congress with regions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.commands import ImportDelegates
from governance.domain.delegates import Role
from governance.service_layer import setup
from tests.e2e.flow import csrf
from web.app import create_app

HEADER = "alias,province,region,caucus,membership_class,voting_right,legal_name\n"


def roster_csv(n_west: int = 3, n_central: int = 3, n_east: int = 2) -> str:
    lines = [HEADER.rstrip("\n")]
    for region, count, province in (
        ("west", n_west, "Aceh"),
        ("central", n_central, "Jakarta"),
        ("east", n_east, "Bali"),
    ):
        lines += [
            f"{region.title()} {i},{province},{region},women,ordinary,yes," for i in range(count)
        ]
    return "\n".join(lines) + "\n"


def congress_with_roster(app: Suara, text: str | None = None) -> tuple[str, dict[str, str]]:
    """A congress, its delegates from CSV, identity cards for all and three officials.

    Returns the congress id and printed identity codes by alias (and by role for officials).
    """
    congress_id = setup.create_congress(app.uow_factory, f"c-{codes.new_id()[:8]}", "Kongres")
    app.bus.handle(ImportDelegates(congress_id, text or roster_csv(), dry_run=False))
    people = app.queries.delegates(congress_id)
    holders = [(d.number, Role.DELEGATE, d.id, d.alias) for d in people]
    holders += [(901, Role.CHAIR, None, "Chair"), (902, Role.SECRETARIAT, None, "Sekretariat")]
    holders += [(903, Role.OBSERVER, None, "Saksi"), (904, Role.SECRETARIAT, None, "Sekretariat 2")]
    printed = setup.issue_identity_cards(app.uow_factory, app.hasher, congress_id, holders)
    by_name = {d.alias: printed[d.number] for d in people}
    by_name |= {"chair": printed[901], "secretariat": printed[902], "observer": printed[903]}
    by_name["secretariat2"] = printed[904]
    return congress_id, by_name


@contextmanager
def signed_in(app: Suara, congress_id: str, code: str) -> Iterator[TestClient]:
    with TestClient(create_app(app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress_id}/signin")
        answer = client.post(
            f"/congresses/{congress_id}/signin", data={"csrf_token": csrf(page.text), "code": code}
        )
        assert answer.status_code == 303, answer.text
        yield client


def token(client: TestClient, congress_id: str) -> str:
    return csrf(client.get(f"/congresses/{congress_id}").text)


def delegate_id(app: Suara, congress_id: str, alias: str) -> str:
    return next(d.id for d in app.queries.delegates(congress_id) if d.alias == alias)


def first_id(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, pattern
    return found.group(1)
