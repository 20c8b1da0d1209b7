"""Small builders for tests: a congress with delegates, cards and one poll."""

from __future__ import annotations

from dataclasses import dataclass

from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.commands import CheckInDelegate, CreatePoll, OpenPoll
from governance.domain.delegates import Delegate, Role
from governance.service_layer import setup


@dataclass
class Congress:
    id: str
    delegate_ids: list[str]
    voting_codes: list[str]
    tags: list[str]
    identity: dict[str, str]


def congress(
    app: Suara, delegates: int = 6, cards: int = 8, present: int | None = None
) -> Congress:
    congress_id = setup.create_congress(app.uow_factory, f"c-{codes.new_id()[:8]}", "Test congress")
    people = [
        Delegate(codes.new_id(), congress_id, i + 1, f"Alias {i + 1}", "Bali", "east")
        for i in range(delegates)
    ]
    setup.add_delegates(app.uow_factory, congress_id, people)
    holders = [(1, Role.DELEGATE, people[0].id, people[0].alias), (900, Role.CHAIR, None, "Chair")]
    printed = setup.issue_identity_cards(app.uow_factory, app.hasher, congress_id, holders)
    voting = [codes.new_voting_code() for _ in range(cards)]
    tags = [codes.card_tag(app.settings.secret_key, c) for c in voting]
    setup.register_voting_cards(app.uow_factory, congress_id, tags)
    for person in people[: delegates if present is None else present]:
        app.bus.handle(CheckInDelegate(congress_id, person.id))
    return Congress(
        congress_id,
        [p.id for p in people],
        voting,
        tags,
        {"delegate": printed[1], "chair": printed[900]},
    )


def open_motion(
    app: Suara,
    congress_id: str,
    method: str = "yes-no-abstain",
    options: tuple[str, ...] = ("yes", "no", "abstain"),
    seats: int = 1,
    required_cosignatures: int = 0,
) -> str:
    poll_id: str = app.bus.handle(
        CreatePoll(
            congress_id=congress_id,
            title="Motion",
            method=method,
            options=options,
            seats=seats,
            required_cosignatures=required_cosignatures,
        )
    )
    app.bus.handle(OpenPoll(poll_id))
    return poll_id
