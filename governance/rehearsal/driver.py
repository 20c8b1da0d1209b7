"""`suara rehearse`: the whole reference congress through the app's own HTTP interface.

Offline steps stay offline, as on the day (creating the congress, printing identity and
voting cards); everything the secretariat, the chair and the 52 delegates do goes through
HTTP requests to the ASGI app, in process. Each poll's published result is written as JSON.
"""

from __future__ import annotations

import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.delegates import OFFICIALS, Role
from governance.rehearsal.demo import REGIONS, demo_delegates
from governance.service_layer import setup

ASGIApp = Callable[..., Awaitable[None]]
BASE = "https://rehearsal.suara"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PRESENT = 50  # two delegates do not come


class RehearsalFailed(Exception):
    """A step of the rehearsal was refused; the message says which."""


def roster_csv() -> str:
    """The 52 demo delegates as the preparatory committee's CSV file."""
    lines = ["alias,province,region,caucus,membership_class,voting_right,legal_name"]
    for d in demo_delegates("x"):
        lines.append(f"{d.alias},{d.province},{d.region},{d.caucus},ordinary,yes,")
    return "\n".join(lines) + "\n"


@dataclass
class Person:
    alias: str
    region: str
    identity: str
    id: str = ""
    client: httpx2.AsyncClient | None = None
    voter: httpx2.AsyncClient | None = None


@dataclass
class Rehearsal:
    app: Suara
    asgi: ASGIApp
    out: Path
    # A seeded simulation of how delegates vote, not a secret: reproducible on purpose.
    rng: random.Random = field(default_factory=lambda: random.Random(2026))  # nosec B311
    congress_id: str = ""
    people: dict[str, Person] = field(default_factory=dict)
    officials: dict[str, httpx2.AsyncClient] = field(default_factory=dict)
    cards: list[str] = field(default_factory=list)
    drawn: list[str] = field(default_factory=list)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Who holds each elected position at the end, by the rehearsal's name for it (issue 14).
    positions: dict[str, list[str]] = field(default_factory=dict)

    def client(self) -> httpx2.AsyncClient:
        transport = httpx2.ASGITransport(app=self.asgi)
        return httpx2.AsyncClient(transport=transport, base_url=BASE, follow_redirects=False)

    async def csrf(self, client: httpx2.AsyncClient, path: str) -> str:
        page = await client.get(path)
        found = _CSRF.search(page.text)
        if not found:
            raise RehearsalFailed(f"no form on {path} ({page.status_code})")
        return found.group(1)

    async def post(self, client: httpx2.AsyncClient, path: str, **data: Any) -> str:
        """Post a form (with the CSRF token of the congress page); return the redirect."""
        token = await self.csrf(client, f"/congresses/{self.congress_id}")
        answer = await client.post(path, data={"csrf_token": token, **data})
        if answer.status_code != 303:
            found = re.search(r'role="alert"[^>]*>([^<]+)<', answer.text)
            reason = found.group(1) if found else answer.text[:200]
            raise RehearsalFailed(f"POST {path} -> {answer.status_code}: {reason}")
        return str(answer.headers["location"])

    async def sign_in(self, code: str) -> httpx2.AsyncClient:
        client = self.client()
        path = f"/congresses/{self.congress_id}/signin"
        token = await self.csrf(client, path)
        answer = await client.post(path, data={"csrf_token": token, "code": code})
        if answer.status_code != 303:
            raise RehearsalFailed("sign-in refused")
        return client

    # -- accreditation ---------------------------------------------------------------------
    async def accredit(self) -> None:
        """Offline: the congress and the officials' cards. Then the CSV import over HTTP."""
        self.congress_id = setup.create_congress(
            self.app.uow_factory, f"rehearsal-{codes.new_id()[:6]}", "Kongres Nasional I"
        )
        officials = [(number, role, None, label) for number, role, label in OFFICIALS]
        printed = setup.issue_identity_cards(
            self.app.uow_factory, self.app.hasher, self.congress_id, officials
        )
        for number, role, _label in OFFICIALS:
            self.officials[role.value] = await self.sign_in(printed[number])
        desk = self.officials["secretariat"]
        path = f"/congresses/{self.congress_id}/delegates/import"
        token = await self.csrf(desk, f"/congresses/{self.congress_id}/delegates")
        dry = await desk.post(path, data={"csrf_token": token, "csv": roster_csv()})
        if 'id="dry-run"' not in dry.text:
            raise RehearsalFailed("the dry run of the delegate import failed")
        await self.post(desk, path, csv=roster_csv(), apply="yes")
        await self.print_cards()

    async def print_cards(self) -> None:
        """Offline: identity cards for every delegate, and 60 anonymous voting cards."""
        delegates = self.app.queries.delegates(self.congress_id)
        holders = [(d.number, Role.DELEGATE, d.id, d.alias) for d in delegates]
        printed = setup.issue_identity_cards(
            self.app.uow_factory, self.app.hasher, self.congress_id, holders
        )
        for d in delegates:
            self.people[d.alias] = Person(d.alias, d.region, printed[d.number], d.id)
        self.cards = [codes.new_voting_code() for _ in range(60)]
        tags = [codes.card_tag(self.app.settings.secret_key, c) for c in self.cards]
        setup.register_voting_cards(self.app.uow_factory, self.congress_id, tags)

    async def check_in(self) -> None:
        """Tick 50 delegates present; each draws a card from the shuffled box."""
        desk = self.officials["secretariat"]
        box = list(self.cards)
        self.rng.shuffle(box)
        for person in list(self.people.values())[:PRESENT]:
            await self.post(
                desk, f"/congresses/{self.congress_id}/checkin", delegate=person.id, present="yes"
            )
            person.voter = self.client()
            path = f"/congresses/{self.congress_id}/voting-card"
            token = await self.csrf(person.voter, path)
            code = box.pop()
            self.drawn.append(code)  # the simulation's own knowledge; the server never learns it
            answer = await person.voter.post(path, data={"csrf_token": token, "code": code})
            if answer.status_code != 303:
                raise RehearsalFailed("a voting card was refused")

    async def me(self, alias: str) -> httpx2.AsyncClient:
        person = self.people[alias]
        if person.client is None:
            person.client = await self.sign_in(person.identity)
        return person.client

    async def close(self) -> None:
        for official in self.officials.values():
            await official.aclose()
        for person in self.people.values():
            for client in (person.client, person.voter):
                if client is not None:
                    await client.aclose()

    def present(self) -> list[Person]:
        return [p for p in self.people.values() if p.voter is not None]

    def by_region(self, region: str) -> list[str]:
        return [p.alias for p in self.people.values() if p.region == region]


REGION_NAMES = tuple(REGIONS)
