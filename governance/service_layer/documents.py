"""Publishing documents: only from published results; numbered, hashed and logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from governance.adart.commands import PublishDocument
from governance.adart.consolidated import consolidate
from governance.documents import build
from governance.documents.content import Block
from governance.documents.labels import describe_rule, labels
from governance.documents.render import to_html, to_pdf
from governance.domain.disclosure import may_show_tally
from governance.domain.documents import KINDS, Document
from governance.domain.errors import InvalidInput, PollNotFound, ResultNotReady
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory


def _facts(
    uow: UnitOfWork, congress_id: str, poll_id: str, language: str, min_group: int
) -> build.PollFacts:
    poll = uow.polls.get(poll_id)
    if poll is None or poll.congress_id != congress_id:
        raise PollNotFound()
    result = uow.results.get(poll_id)
    if result is None or not result.is_published:
        raise ResultNotReady("a document needs the poll's published result")
    counts = result.data.get("counts") or {}  # motions only; elections have no yes/no counts
    rule = describe_rule(poll.rule, language) if poll.method == "yes-no-abstain" else poll.method
    ballots = int(poll.closed_snapshot.get("ballots", 0))
    small = not poll.named and not may_show_tally(ballots, min_group)
    return build.PollFacts(
        poll.title,
        rule,
        result.outcome,
        result.digest,
        dict(poll.closed_snapshot),
        {} if small else dict(counts),
        withheld_below=min_group if small else None,
    )


def _annex(uow: UnitOfWork, congress_id: str, poll_id: str, language: str) -> tuple[Block, ...]:
    """The adopted text is annexed to the decision on the whole AD/ART."""
    statute = uow.statutes.for_congress(congress_id, lock=False)
    if statute is None or statute.final_poll_id != poll_id:
        return ()
    lab = labels(language)
    blocks = [Block(lab["annex"])]
    for chapter in consolidate(statute).chapters:
        for article in chapter.articles:
            heading = f"{chapter.part} {lab['article']} {article.number}: {article.title}"
            blocks.append(Block(heading, paragraphs=article.paragraphs))
    return tuple(blocks)


def publish_document(
    cmd: PublishDocument,
    uow_factory: UnitOfWorkFactory,
    clock: Callable[[], datetime],
    min_group: int = 5,
) -> str:
    """Render and publish a decision (on one poll) or minutes (of a session's polls)."""
    if cmd.kind not in KINDS or cmd.language not in ("id", "en"):
        raise InvalidInput("unknown document kind or language")
    now = clock()
    date = now.date().isoformat()
    signatures = (cmd.chair, cmd.secretary)
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise InvalidInput("unknown congress")
        number = uow.documents.next_number(cmd.congress_id, cmd.kind)
        if cmd.kind == "decision" and cmd.poll_id:
            # One decision per poll: the same number in every language; publishing is idempotent.
            existing = uow.documents.decisions_on(cmd.congress_id, cmd.poll_id)
            if cmd.language in existing:
                return existing[cmd.language][0]
            number = next(iter(existing.values()))[1] if existing else number
        code = f"{number:02d}/{'KEP' if cmd.kind == 'decision' else 'BA'}/KONGRES/{now.year}"
        if cmd.kind == "decision":
            if not cmd.poll_id:
                raise InvalidInput("a decision is on one poll")
            facts = _facts(uow, cmd.congress_id, cmd.poll_id, cmd.language, min_group)
            annex = _annex(uow, cmd.congress_id, cmd.poll_id, cmd.language)
            content = build.decision(code, facts, cmd.language, signatures, date, annex)
        else:
            polls = [_facts(uow, cmd.congress_id, p, cmd.language, min_group) for p in cmd.poll_ids]
            statute = uow.statutes.for_congress(cmd.congress_id, lock=False)
            deliberations = [
                (f"{a.part} {a.number}: {a.title}", a.how == "consensus", a.deliberation)
                for a in (statute.articles.values() if statute else [])
                if a.how == "consensus" or a.deliberation or a.poll_id
            ]
            attendance = {
                "entitled": uow.delegates.count_entitled(cmd.congress_id),
                "present": uow.delegates.count_present(cmd.congress_id),
                "cards_issued": uow.cards.count_voting_cards(cmd.congress_id),
            }
            regions = uow.documents.attendance_by_region(cmd.congress_id)
            content = build.minutes(
                code, attendance, deliberations, polls, cmd.language, signatures, date, regions
            )
        rendered = (content.subject, to_html(content), to_pdf(content, now))
        document = Document.publish(
            cmd.congress_id, cmd.kind, number, cmd.poll_id, cmd.language, rendered, now
        )
        uow.documents.add(document)
        uow.commit()
        return document.id
