"""A record of a constrained election and of a motion under adopted rules verifies offline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from governance.bootstrap import Suara
from governance.domain import codes
from governance.domain.commands import (
    CastBallot,
    CheckInDelegate,
    ClosePoll,
    CreatePoll,
    CreatePosition,
    Nominate,
    OpenPoll,
    OpenPosition,
    SecondNomination,
)
from governance.domain.rules import Rules
from governance.records.verifier import verify
from governance.service_layer import setup
from tests.trust.helpers import Driver
from tests.trust.test_record import export
from tests.workflow import congress_with_roster, delegate_id


@pytest.fixture
def driver(app: Suara) -> Iterator[Driver]:
    d = Driver(app)
    yield d
    d.close()


def test_bounds_and_adopted_rules_are_in_the_record_and_the_recount_matches(
    app: Suara, driver: Driver
) -> None:
    congress_id, _ = congress_with_roster(app)
    voting = [codes.new_voting_code() for _ in range(8)]
    tags = [codes.card_tag(app.settings.secret_key, c) for c in voting]
    setup.register_voting_cards(app.uow_factory, congress_id, tags)
    for person in app.queries.delegates(congress_id):
        app.bus.handle(CheckInDelegate(congress_id, person.id))
    with app.uow_factory() as uow:
        uow.rules.adopt(congress_id, Rules(quorum="1/2", majority="2/3", qualified=True))
        uow.commit()
    position = app.bus.handle(
        CreatePosition(congress_id, "Presidium", 3, "scottish-stv", region_minimum=1)
    )
    seconder = delegate_id(app, congress_id, "Central 2")
    for alias in ("West 0", "West 1", "Central 0", "East 0"):
        me = delegate_id(app, congress_id, alias)
        app.bus.handle(SecondNomination(app.bus.handle(Nominate(position, me, me)), seconder))
    election = app.bus.handle(OpenPosition(position))
    motion = app.bus.handle(CreatePoll(congress_id, "AD/ART"))
    app.bus.handle(OpenPoll(motion))
    driver.settle()
    # Everyone prefers the west and central candidates; the bound still seats East 0.
    for i, tag in enumerate(tags):
        app.bus.handle(CastBallot(election, tag, (0, 1, 2) if i % 2 else (1, 2, 0)))
        app.bus.handle(CastBallot(motion, tag, (0,) if i < 5 else (1,)))
    app.bus.handle(ClosePoll(election))
    app.bus.handle(ClosePoll(motion))
    driver.settle()
    result = app.queries.result(election)
    assert result is not None and "East 0" in [e["name"] for e in result.data["elected"]]
    adopted = app.queries.result(motion)
    assert adopted is not None and adopted.outcome == "rejected"  # 5 of 8 is under 2/3
    record = export(app, congress_id)
    report = verify(record)
    assert report.failures == []
    assert "recounted 8 ballots with scottish-stv" in report.render()
