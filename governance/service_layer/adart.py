"""Handlers of the AD/ART procedure: fetch the statute (locked), ask it, commit with events."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import partial
from typing import Any

from governance.adart import commands as c
from governance.adart.markdown import parse_draft
from governance.adart.model import StatuteExists, with_thresholds
from governance.adart.statute import Statute
from governance.documents.labels import describe_rule
from governance.domain.errors import CongressNotFound, NotFound
from governance.domain.plenary_errors import NotPresent
from governance.domain.polls import Poll
from governance.domain.text import clean_text
from governance.service_layer.handlers import _attendance
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory


def import_draft(cmd: c.ImportDraft, uow_factory: UnitOfWorkFactory) -> str:
    """Parse the draft (a malformed one is refused, naming the line) and store it once."""
    # Refused, not altered: the stored sha256 is of the text as submitted.
    clean_text(cmd.source, field="draft", multiline=True, max_length=len(cmd.source) + 1)
    draft = parse_draft(cmd.source)
    sha = hashlib.sha256(cmd.source.encode()).hexdigest()
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise CongressNotFound()
        if uow.statutes.for_congress(cmd.congress_id) is not None:
            raise StatuteExists()
        rules = with_thresholds(cmd.rules, uow.rules.get(cmd.congress_id))
        statute = Statute.from_draft(cmd.congress_id, draft, rules, sha)
        uow.statutes.add(statute)
        uow.commit()
        return statute.id


def _settle(uow: UnitOfWork, statute: Statute) -> None:
    """Take in every published outcome first, so each step sees the procedure as it stands."""
    for poll_id, subject in statute.pending_polls().items():
        result = uow.results.get(poll_id)
        if result is not None and result.is_published:
            statute.settle(subject, result.outcome)


def _statute(uow: UnitOfWork, congress_id: str) -> Statute:
    statute = uow.statutes.for_congress(congress_id)
    if statute is None:
        raise NotFound("statute")
    # The majorities and quorum are those of the rules of procedure in force now: rules
    # adopted after the draft was imported apply to every vote opened since.
    statute.rules = with_thresholds(statute.rules, uow.rules.get(congress_id))
    _settle(uow, statute)
    return statute


def _delegate(uow: UnitOfWork, congress_id: str, delegate_id: str) -> None:
    delegate = uow.delegates.get(delegate_id)
    if delegate is None or delegate.congress_id != congress_id or not delegate.voting_right:
        raise NotFound("delegate")


def _step(
    congress_id: str, uow_factory: UnitOfWorkFactory, action: Callable[[UnitOfWork, Statute], Any]
) -> Any:
    with uow_factory() as uow:
        statute = _statute(uow, congress_id)
        value = action(uow, statute)
        uow.statutes.save(statute)
        uow.commit()
        return value


def assign_chapter(cmd: c.AssignChapter, uow_factory: UnitOfWorkFactory) -> None:
    """Give a chapter to a commission."""
    _step(cmd.congress_id, uow_factory, lambda uow, s: s.assign(cmd.chapter, cmd.commission))


def propose_amendment(cmd: c.ProposeAmendment, uow_factory: UnitOfWorkFactory) -> str:
    """Record a delegate's amendment; returns its id."""

    def act(uow: UnitOfWork, statute: Statute) -> str:
        _delegate(uow, cmd.congress_id, cmd.delegate_id)
        text = clean_text(cmd.text, field="text", multiline=True, max_length=5000, required=False)
        reason = clean_text(cmd.reason, field="reason", multiline=True, max_length=2000)
        args = (cmd.article, cmd.kind, cmd.target, text, reason, cmd.delegate_id)
        return statute.propose(*args).id

    result: str = _step(cmd.congress_id, uow_factory, act)
    return result


def support_amendment(cmd: c.SupportAmendment, uow_factory: UnitOfWorkFactory) -> None:
    """Add a delegate's support to an amendment."""

    def act(uow: UnitOfWork, statute: Statute) -> None:
        _delegate(uow, cmd.congress_id, cmd.delegate_id)
        statute.support(cmd.amendment_id, cmd.delegate_id)

    _step(cmd.congress_id, uow_factory, act)


def recommend_amendment(cmd: c.RecommendAmendment, uow_factory: UnitOfWorkFactory) -> None:
    """Record the commission's recommendation on an amendment."""
    _step(
        cmd.congress_id,
        uow_factory,
        lambda uow, s: s.recommend(cmd.amendment_id, cmd.commission, cmd.recommendation),
    )


def record_deliberation(cmd: c.RecordDeliberation, uow_factory: UnitOfWorkFactory) -> None:
    """Minute the musyawarah on an article."""
    _step(
        cmd.congress_id,
        uow_factory,
        lambda uow, s: s.deliberate(
            cmd.article,
            cmd.consensus,
            clean_text(cmd.note, field="note", multiline=True, max_length=2000, required=False),
            cmd.accepted,
        ),
    )


def open_adart_vote(cmd: c.OpenAdartVote, uow_factory: UnitOfWorkFactory) -> str:
    """Create and open the plenary poll on one item, under the rule its part demands."""

    def act(uow: UnitOfWork, statute: Statute) -> str:
        title, rule = statute.vote_on(cmd.subject)
        poll = Poll.create(
            cmd.congress_id,
            title,
            "yes-no-abstain",
            ("yes", "no", "abstain"),
            description=describe_rule(rule, "id"),
            rule=rule,
            named=statute.rules.named_votes,
        )
        poll.open(_attendance(uow, cmd.congress_id))  # refuses without quorum, numbers shown
        uow.polls.add(poll)
        statute.voting(cmd.subject, poll.id)
        return poll.id

    poll_id: str = _step(cmd.congress_id, uow_factory, act)
    return poll_id


def settle_adart_votes(cmd: c.SettleAdartVotes, uow_factory: UnitOfWorkFactory) -> None:
    """Take published outcomes into the statute (also done before every other step)."""
    _step(cmd.congress_id, uow_factory, lambda uow, s: None)


def cast_named_vote(cmd: c.CastNamedVote, uow_factory: UnitOfWorkFactory) -> bool:
    """Record an open vote once per delegate; an identical retry is a no-op."""
    with uow_factory() as uow:
        poll = uow.polls.get(cmd.poll_id, lock_shared=True)
        if poll is None:
            raise NotFound("poll")
        _delegate(uow, poll.congress_id, cmd.delegate_id)
        delegate = uow.delegates.get(cmd.delegate_id)
        if delegate is None or not delegate.present:
            raise NotPresent()  # an open vote is cast from the floor: checked in first
        previous = uow.named_votes.get(poll.id, cmd.delegate_id)
        if not poll.cast_named(cmd.delegate_id, cmd.choice, previous):
            return False
        uow.named_votes.add(poll.id, cmd.delegate_id, cmd.choice)
        uow.commit()
        return True


def adart_handlers(uow_factory: UnitOfWorkFactory) -> dict[type, Callable[[Any], Any]]:
    """The AD/ART commands for the message bus."""
    table: dict[type, Callable[..., Any]] = {
        c.ImportDraft: import_draft,
        c.AssignChapter: assign_chapter,
        c.ProposeAmendment: propose_amendment,
        c.SupportAmendment: support_amendment,
        c.RecommendAmendment: recommend_amendment,
        c.RecordDeliberation: record_deliberation,
        c.OpenAdartVote: open_adart_vote,
        c.SettleAdartVotes: settle_adart_votes,
        c.CastNamedVote: cast_named_vote,
    }
    return {
        command: partial(handler, uow_factory=uow_factory) for command, handler in table.items()
    }
