"""The AD/ART procedure through the bus on both backends: each bad step refused, nothing changed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from governance.adapters.tables import ballots, documents, named_votes, polls, statutes
from governance.adart import commands as c
from governance.adart.markdown import MalformedDraft
from governance.adart.model import (
    AdartRules,
    AmendmentsStillOpen,
    ArticleDecided,
    ArticlesUndecided,
    StatuteExists,
)
from governance.adart.sample import SAMPLE_DRAFT
from governance.adart.statute import FINAL
from governance.bootstrap import Suara
from governance.domain.commands import CastBallot, ClosePoll, CreatePoll, OpenPoll, TallyPoll
from governance.domain.errors import (
    BallotAlreadyCast,
    InvalidInput,
    NotAllowed,
    QuorumNotMet,
    ResultNotReady,
)
from tests import factories


def snapshot(app: Suara) -> tuple[object, ...]:
    with app.engine.connect() as conn:
        return tuple(
            tuple(conn.execute(sa.select(table)).all())
            for table in (statutes, polls, ballots, named_votes, documents)
        )


def imported(app: Suara, present: int | None = None, **rules: object) -> factories.Congress:
    congress = factories.congress(app, delegates=6, cards=6, present=present)
    source = SAMPLE_DRAFT.read_text(encoding="utf-8")
    app.bus.handle(c.ImportDraft(congress.id, source, AdartRules(**rules)))  # type: ignore[arg-type]
    return congress


def test_a_malformed_draft_is_refused_naming_the_line_and_nothing_is_stored(app: Suara) -> None:
    congress = factories.congress(app)
    before = snapshot(app)
    with pytest.raises(MalformedDraft, match="line 3"):
        app.bus.handle(c.ImportDraft(congress.id, "# AD: X\n## Bab I: A\nstray text\n"))
    assert snapshot(app) == before


def test_an_amendment_to_an_adopted_article_is_refused(app: Suara) -> None:
    congress = imported(app)
    app.bus.handle(c.RecordDeliberation(congress.id, "AD-1", True, "mufakat"))
    before = snapshot(app)
    with pytest.raises(ArticleDecided):
        app.bus.handle(
            c.ProposeAmendment(
                congress.id, "AD-1", "delete", "2", "", "late", congress.delegate_ids[0]
            )
        )
    assert snapshot(app) == before


def test_an_article_vote_while_its_amendments_are_open_is_refused(app: Suara) -> None:
    congress = imported(app, required_support=1)
    first, second = congress.delegate_ids[:2]
    amendment = app.bus.handle(
        c.ProposeAmendment(congress.id, "AD-1", "replace", "1", "Nama baru.", "why", first)
    )
    app.bus.handle(c.SupportAmendment(congress.id, amendment, second))
    app.bus.handle(c.RecordDeliberation(congress.id, "AD-1", False, "tidak mufakat"))
    before = snapshot(app)
    with pytest.raises(AmendmentsStillOpen):
        app.bus.handle(c.OpenAdartVote(congress.id, "AD-1"))
    assert snapshot(app) == before


def test_a_final_vote_before_every_article_is_decided_is_refused(app: Suara) -> None:
    congress = imported(app)
    app.bus.handle(c.RecordDeliberation(congress.id, "AD-1", True, ""))
    before = snapshot(app)
    with pytest.raises(ArticlesUndecided):
        app.bus.handle(c.OpenAdartVote(congress.id, FINAL))
    assert snapshot(app) == before


def test_a_vote_without_quorum_is_refused_with_the_numbers(app: Suara) -> None:
    congress = imported(app, present=3)
    app.bus.handle(c.RecordDeliberation(congress.id, "AD-1", False, ""))
    before = snapshot(app)
    with pytest.raises(QuorumNotMet) as caught:
        app.bus.handle(c.OpenAdartVote(congress.id, "AD-1"))
    assert caught.value.params == {"present": 3, "required": 4, "entitled": 6}
    assert snapshot(app) == before


def test_a_document_for_a_poll_not_yet_published_is_refused(app: Suara) -> None:
    congress = factories.congress(app)
    poll_id = factories.open_motion(app, congress.id)
    before = snapshot(app)
    for kind, ids in (("decision", {"poll_id": poll_id}), ("minutes", {"poll_ids": (poll_id,)})):
        with pytest.raises(ResultNotReady):
            app.bus.handle(c.PublishDocument(congress.id, kind, **ids))  # type: ignore[arg-type]
    app.bus.handle(ClosePoll(poll_id))
    app.bus.handle(TallyPoll(poll_id))  # computed, but not yet published
    with pytest.raises(ResultNotReady):
        app.bus.handle(c.PublishDocument(congress.id, "decision", poll_id=poll_id))
    assert snapshot(app)[-1] == before[-1] == ()


def test_a_poll_rule_is_stored_and_counts_two_thirds(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=6)
    rule = AdartRules().ad
    poll_id = app.bus.handle(CreatePoll(congress.id, "AD", rule=rule))
    app.bus.handle(OpenPoll(poll_id))
    assert app.queries.poll(poll_id).rule == rule  # type: ignore[union-attr]
    for index, tag in enumerate(congress.tags):
        app.bus.handle(CastBallot(poll_id, tag, (0 if index < 3 else 1,)))
    app.bus.handle(ClosePoll(poll_id))
    app.bus.handle(TallyPoll(poll_id))
    result = app.queries.result(poll_id)
    assert result is not None and result.outcome == "rejected"  # 3 of 6 is short of 4
    assert result.data["required_votes"] == "4"


def test_named_votes_record_the_delegate_and_stay_out_of_the_ballot_box(app: Suara) -> None:
    congress = factories.congress(app, delegates=4, cards=4)
    poll_id = app.bus.handle(CreatePoll(congress.id, "Agenda", named=True))
    app.bus.handle(OpenPoll(poll_id))
    for delegate in congress.delegate_ids[:3]:
        assert app.bus.handle(c.CastNamedVote(poll_id, delegate, 0)) is True
    assert app.bus.handle(c.CastNamedVote(poll_id, congress.delegate_ids[0], 0)) is False
    with pytest.raises(BallotAlreadyCast):
        app.bus.handle(c.CastNamedVote(poll_id, congress.delegate_ids[0], 1))
    with pytest.raises(NotAllowed):  # a named poll takes no anonymous ballots...
        app.bus.handle(CastBallot(poll_id, congress.tags[0], (0,)))
    app.bus.handle(ClosePoll(poll_id))
    app.bus.handle(TallyPoll(poll_id))
    assert app.queries.result(poll_id).outcome == "adopted"  # type: ignore[union-attr]
    assert [v.choice for v in app.queries.adart.named_votes(poll_id)] == ["yes"] * 3
    assert app.queries.turnout(poll_id) == 0
    secret = factories.open_motion(app, congress.id)
    with pytest.raises(NotAllowed):  # ...and a secret poll takes no named votes
        app.bus.handle(c.CastNamedVote(secret, congress.delegate_ids[0], 0))


def test_votes_on_persons_are_always_secret(app: Suara) -> None:
    congress = factories.congress(app)
    before = snapshot(app)
    with pytest.raises(InvalidInput):
        app.bus.handle(
            CreatePoll(congress.id, "Ratify the treasurer", named=True, about_person=True)
        )
    with pytest.raises(InvalidInput):
        app.bus.handle(
            CreatePoll(congress.id, "Chair", method="plurality", options=("A", "B"), named=True)
        )
    assert snapshot(app) == before


def test_concurrent_proposals_each_get_their_own_number(app: Suara) -> None:
    congress = imported(app)
    proposer = congress.delegate_ids[0]

    def propose(index: int) -> str:
        command = c.ProposeAmendment(
            congress.id, "AD-3", "insert", "1", f"Tambahan {index}.", "alasan", proposer
        )
        result: str = app.bus.handle(command)
        return result

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(propose, range(12)))
    statute = app.queries.adart.statute(congress.id)
    assert statute is not None
    assert sorted(a.number for a in statute.amendments.values()) == list(range(1, 13))
    assert set(ids) == set(statute.amendments)


def test_a_second_draft_for_the_same_congress_is_refused(app: Suara) -> None:
    congress = imported(app)
    before = snapshot(app)
    with pytest.raises(StatuteExists):
        app.bus.handle(c.ImportDraft(congress.id, SAMPLE_DRAFT.read_text(encoding="utf-8")))
    assert snapshot(app) == before
