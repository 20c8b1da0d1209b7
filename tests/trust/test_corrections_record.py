"""Held and annulled polls in the record (issues 14 and 18): sealed, explained, still signed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from governance.adapters.record_export import build_record, record_bytes
from governance.bootstrap import Suara
from governance.domain.commands import CastBallot, ClosePoll, ConfirmPaperBatch, EnterPaperBatch
from governance.domain.corrections import CosignCorrection, ProposeCorrection
from governance.records.verifier import verify
from tests import factories
from tests.trust.helpers import Driver


@pytest.fixture
def driver(app: Suara) -> Iterator[Driver]:
    d = Driver(app)
    yield d
    d.close()


def _record(app: Suara, congress_id: str) -> dict[str, Any]:
    record = build_record(app.queries, app.trust, app.settings.secret_key, congress_id)
    parsed: dict[str, Any] = json.loads(record_bytes(record))
    return parsed


def _held_poll(app: Suara, driver: Driver) -> tuple[str, str]:
    """Six paper ballots and two electronic ones, with six delegates present."""
    c = factories.congress(app, delegates=8, cards=10, present=6)
    poll_id = factories.open_motion(app, c.id)
    driver.settle()
    batch = app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((0,),) * 6))
    app.bus.handle(ConfirmPaperBatch(batch, "card 903"))
    for tag in c.tags[:2]:
        app.bus.handle(CastBallot(poll_id, tag, (1,)))
    app.bus.handle(ClosePoll(poll_id))
    driver.settle()
    return c.id, poll_id


def test_a_held_poll_is_never_counted_and_its_close_is_still_signed(
    app: Suara, driver: Driver
) -> None:
    congress_id, poll_id = _held_poll(app, driver)
    assert app.queries.result(poll_id) is None
    kinds = {(cp.poll_id, cp.kind) for cp in app.trust.checkpoints(congress_id)}
    assert (poll_id, "close") in kinds
    record = _record(app, congress_id)
    (held,) = [e for e in record["events"] if e.get("type") == "poll.held"]
    assert held["payload"]["ballots"] == 8 and held["payload"]["paper"] == 6
    assert (held["payload"]["present"], held["payload"]["cards"]) == (6, 10)
    (entry,) = record["polls"]
    assert entry["result"] is None and len(entry["board"]["document"]["ballots"]) == 8
    # The sweeper does not hand the held poll to the count again and again.
    assert [e for e in app.outbox.missing_effects(0) if e[0] == "poll.closed"] == []


def test_an_annulled_poll_keeps_its_sealed_ballots_and_its_reason_in_the_record(
    app: Suara, driver: Driver
) -> None:
    congress_id, poll_id = _held_poll(app, driver)
    correction = app.bus.handle(
        ProposeCorrection(poll_id, "annul", "Surat suara kertas melebihi yang hadir", "chair", 900)
    )
    app.bus.handle(CosignCorrection(correction, "observer", 903))
    driver.settle()
    record = _record(app, congress_id)
    (annulled,) = [e for e in record["events"] if e.get("type") == "poll.annulled"]
    assert annulled["payload"]["reason"] == "Surat suara kertas melebihi yang hadir"
    assert (annulled["payload"]["proposed_by"], annulled["payload"]["cosigned_by"]) == (
        "chair 900",
        "observer 903",
    )
    (entry,) = record["polls"]
    assert len(entry["board"]["document"]["ballots"]) == 8 and entry["result"] is None
    report = verify(record)
    assert all("hash" not in f for f in report.failures), report.failures
