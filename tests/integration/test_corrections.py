"""Corrections by two officials (issue 14): void a batch before it counts, annul a poll."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from governance.adapters.tables import events
from governance.bootstrap import Suara
from governance.domain.commands import (
    CastBallot,
    ClosePoll,
    ConfirmPaperBatch,
    EnterPaperBatch,
    PublishResult,
    TallyPoll,
)
from governance.domain.corrections import (
    CorrectionNotPossible,
    CorrectionPending,
    CosignCorrection,
    PaperBeyondBound,
    ProposeCorrection,
    ReasonRequired,
    SecondOfficialRequired,
    WithdrawCorrection,
)
from governance.domain.errors import NotAllowed
from governance.service_layer.audit import Actor
from tests import factories


def _log(app: Suara, congress_id: str) -> list[tuple[str, dict[str, object]]]:
    """The congress's events in the order they were written (sequenced or not yet)."""
    query = (
        sa.select(events.c.type, events.c.payload)
        .where(events.c.congress_id == congress_id)
        .order_by(events.c.occurred_at, events.c.id)
    )
    with app.engine.connect() as conn:
        return [(t, json.loads(p)) for t, p in conn.execute(query)]


def _types(app: Suara, congress_id: str) -> list[str]:
    return [t for t, _ in _log(app, congress_id)]


def _payloads(app: Suara, congress_id: str, kind: str) -> list[dict[str, object]]:
    return [p for t, p in _log(app, congress_id) if t == kind]


def test_a_batch_beyond_the_bound_is_voided_by_two_officials_and_the_poll_closes(
    app: Suara,
) -> None:
    congress = factories.congress(app, delegates=6, cards=8)
    poll_id = factories.open_motion(app, congress.id)
    batch = app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((0,),) * 7))
    with pytest.raises(PaperBeyondBound):
        app.bus.handle(ConfirmPaperBatch(batch, "card 903"))
    secretariat = Actor(congress.id, "secretariat", 902)
    propose = ProposeCorrection(poll_id, "void_batch", "Tujuh surat, enam hadir", "secretariat",
                                902, batch_id=batch)  # fmt: skip
    correction = app.bus.handle(propose, by=secretariat)
    with pytest.raises(CorrectionPending):
        app.bus.handle(propose)
    # Never one alone: the same card, or another card of the same role, cannot co-sign.
    for role, card in (("secretariat", 902), ("secretariat", 904), ("delegate", 1)):
        with pytest.raises(SecondOfficialRequired):
            app.bus.handle(CosignCorrection(correction, role, card))
    assert [b.status for b in app.queries.batches(poll_id)] == ["entered"]
    chair = Actor(congress.id, "chair", 900)
    app.bus.handle(CosignCorrection(correction, "chair", 900, poll_id), by=chair)
    assert [b.status for b in app.queries.batches(poll_id)] == ["voided"]
    (voided,) = _payloads(app, congress.id, "paper_batch.voided")
    assert voided["count"] == 7 and voided["reason"] == "Tujuh surat, enam hadir"
    assert (voided["proposed_by"], voided["cosigned_by"]) == ("secretariat 902", "chair 900")
    actions = [(e.action, e.card_number) for e in app.queries.audit(congress.id)]
    assert ("propose_correction", 902) in actions and ("cosign_correction", 900) in actions
    app.bus.handle(CastBallot(poll_id, congress.tags[0], (0,)))
    app.bus.handle(ClosePoll(poll_id))  # nothing pending any more
    assert app.bus.handle(TallyPoll(poll_id)) is True


def test_a_held_poll_is_annulled_by_the_chair_and_an_observer_and_stays_sealed(
    app: Suara,
) -> None:
    congress = factories.congress(app, delegates=6, cards=8, present=3)
    poll_id = factories.open_motion(app, congress.id)
    batch = app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((0,),) * 3))
    app.bus.handle(ConfirmPaperBatch(batch, "card 903"))
    for tag in congress.tags[:2]:
        app.bus.handle(CastBallot(poll_id, tag, (1,)))
    app.bus.handle(ClosePoll(poll_id))
    assert "poll.held" in _types(app, congress.id)
    assert app.bus.handle(TallyPoll(poll_id)) is False
    with pytest.raises(ReasonRequired):
        app.bus.handle(ProposeCorrection(poll_id, "annul", "  ", "chair", 900))
    with pytest.raises(NotAllowed):  # the secretariat does not annul
        app.bus.handle(ProposeCorrection(poll_id, "annul", "Lebih", "secretariat", 902))
    correction = app.bus.handle(
        ProposeCorrection(poll_id, "annul", "Surat suara melebihi yang hadir", "chair", 900)
    )
    with pytest.raises(SecondOfficialRequired):
        app.bus.handle(CosignCorrection(correction, "secretariat", 902))
    app.bus.handle(CosignCorrection(correction, "observer", 903))
    poll = app.queries.poll(poll_id)
    assert poll is not None and poll.annulled == "Surat suara melebihi yang hadir"
    (annulled,) = _payloads(app, congress.id, "poll.annulled")
    assert (annulled["proposed_by"], annulled["cosigned_by"]) == ("chair 900", "observer 903")
    assert app.bus.handle(TallyPoll(poll_id)) is False and app.queries.result(poll_id) is None
    assert len(app.queries.board(poll_id)) == 5  # the ballots stay sealed, as cast
    with pytest.raises(CorrectionNotPossible):
        app.bus.handle(ProposeCorrection(poll_id, "annul", "Lagi", "chair", 900))


def test_annulling_an_open_poll_closes_it_and_voids_the_batches_not_yet_confirmed(
    app: Suara,
) -> None:
    congress = factories.congress(app)
    poll_id = factories.open_motion(app, congress.id)
    app.bus.handle(CastBallot(poll_id, congress.tags[0], (0,)))
    app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((1,),)))
    correction = app.bus.handle(ProposeCorrection(poll_id, "annul", "Kertas salah", "chair", 900))
    app.bus.handle(CosignCorrection(correction, "observer", 903))
    poll = app.queries.poll(poll_id)
    assert poll is not None and poll.status.value == "closed" and poll.annulled
    assert [b.status for b in app.queries.batches(poll_id)] == ["voided"]
    types = _types(app, congress.id)
    assert {"poll.closed", "poll.annulled", "paper_batch.voided"} <= set(types)
    assert app.bus.handle(TallyPoll(poll_id)) is False


def test_a_published_motion_is_annulled_but_its_result_is_never_republished(app: Suara) -> None:
    """A mis-clicked close: the count ran at once, so the correction is an annulment."""
    congress = factories.congress(app)
    poll_id = factories.open_motion(app, congress.id)
    app.bus.handle(CastBallot(poll_id, congress.tags[0], (0,)))
    app.bus.handle(ClosePoll(poll_id))
    app.bus.handle(TallyPoll(poll_id))
    app.bus.handle(PublishResult(poll_id))
    correction = app.bus.handle(
        ProposeCorrection(poll_id, "annul", "Ditutup terlalu cepat", "chair", 900)
    )
    app.bus.handle(CosignCorrection(correction, "observer", 903))
    poll = app.queries.poll(poll_id)
    assert poll is not None and poll.annulled == "Ditutup terlalu cepat"


def test_a_withdrawn_proposal_changes_nothing(app: Suara) -> None:
    congress = factories.congress(app)
    poll_id = factories.open_motion(app, congress.id)
    batch = app.bus.handle(EnterPaperBatch(poll_id, "card 902", ((1,),)))
    correction = app.bus.handle(
        ProposeCorrection(poll_id, "void_batch", "Salah ketik", "secretariat", 902, batch)
    )
    app.bus.handle(WithdrawCorrection(correction, "chair", 900))
    with pytest.raises(CorrectionNotPossible):
        app.bus.handle(CosignCorrection(correction, "chair", 900))
    assert [b.status for b in app.queries.batches(poll_id)] == ["entered"]
    app.bus.handle(ConfirmPaperBatch(batch, "card 903"))
    with pytest.raises(CorrectionNotPossible):  # a confirmed batch counts: annul instead
        app.bus.handle(
            ProposeCorrection(poll_id, "void_batch", "Terlambat", "secretariat", 902, batch)
        )
