"""Publishing documents: only from published results; numbered, hashed and logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from governance.adart.commands import PublishDocument
from governance.adart.consolidated import consolidate
from governance.adart.model import AmendmentStatus
from governance.documents import build, explain
from governance.documents.content import Block
from governance.documents.labels import describe_rule, labels
from governance.documents.render import to_html, to_pdf
from governance.domain.corrections import CorrectionNotPossible
from governance.domain.disclosure import may_show_tally
from governance.domain.documents import KINDS, Document, SetDocumentSettings
from governance.domain.errors import InvalidInput, PollNotFound, ResultNotReady
from governance.domain.text import clean_text
from governance.service_layer.corrections import CORRECTION, publish_correction
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory
from governance.service_layer.trust import congress_public_key


def _election(uow: UnitOfWork, poll: Any) -> dict[str, Any]:
    """The position behind an election: seats, candidates' regions, roles, the person ratified."""
    # A position may have run several polls (a runoff, a re-vote, a second proposal after a
    # rejected ratification, issue 14): the poll names its position; everyone who stood for it
    # gives the regions.
    position = uow.positions.get(poll.position_id) if poll.position_id else None
    if position is None:
        return {}
    stood = [n.candidate_id for n in uow.positions.nominations(position.id)]
    people = [uow.delegates.get(i) for i in (*position.candidate_ids, *stood)]
    regions = {p.alias: p.region for p in people if p is not None}
    regions |= explain.regions_of(poll.constraints, poll.options)
    more: dict[str, Any] = {"seats": poll.seats, "regions": regions, "office": position.title}
    result = uow.results.get(poll.id)
    poll_elected = [str(e["name"]) for e in (result.data.get("elected") or [])] if result else []
    if position.filled and position.poll_id == poll.id:
        aliases = {p.id: p.alias for p in people if p is not None}
        holders = [aliases.get(i, i) for i in position.elected_ids]
        if holders != poll_elected and position.method != "yes-no-abstain":
            more["holders"] = tuple(holders)
            more["seats"] = position.seats
    if position.method == "yes-no-abstain":
        # The ratification poll is titled "<position>: <the person proposed>".
        prefix = f"{position.title}: "
        if poll.title.startswith(prefix):
            more["candidate"] = poll.title[len(prefix) :]
        elif people and people[0] is not None:
            more["candidate"] = people[0].alias
        return more
    if position.seats == 1:
        return more
    # Roles among a body: its chair and vice-chair are elected after it, among its members.
    roles: dict[str, str] = {}
    for other in _positions_among(uow, poll.congress_id, position.id):
        # Who holds it (a runoff, a re-vote or the tie's lot may have decided it, issue 14),
        # once the poll that decided it is published.
        decided = uow.results.get(other.poll_id) if other.poll_id else None
        if not other.filled or (other.poll_id and (decided is None or not decided.is_published)):
            continue
        title = other.title.lower()
        role = "vice" if title.startswith("wakil") or "vice" in title else "chair"
        for delegate_id in other.elected_ids:
            holder = uow.delegates.get(delegate_id)
            if holder is not None:
                roles.setdefault(holder.alias, role)
    for name in more.get("holders") or poll_elected:
        roles.setdefault(str(name), "member")
    more["roles"] = roles
    return more


def _positions_among(uow: UnitOfWork, congress_id: str, position_id: str) -> list[Any]:
    positions = uow.positions.for_congress(congress_id)
    return [p for p in positions if p.eligibility.among == position_id]


def _facts(
    uow: UnitOfWork, congress_id: str, poll_id: str, language: str, min_group: int
) -> build.PollFacts:
    poll = uow.polls.get(poll_id)
    if poll is None or poll.congress_id != congress_id:
        raise PollNotFound()
    if poll.annulled:  # an annulled poll has a correction decision instead (issue 14)
        raise CorrectionNotPossible("the poll is annulled")
    result = uow.results.get(poll_id)
    if result is None or not result.is_published:
        raise ResultNotReady("a document needs the poll's published result")
    counts = result.data.get("counts") or {}  # motions only; elections have no yes/no counts
    rule = describe_rule(poll.rule, language) if poll.method == "yes-no-abstain" else poll.method
    ballots = int(poll.closed_snapshot.get("ballots", 0))
    small = not poll.named and not may_show_tally(ballots, min_group)
    more = _election(uow, poll) if poll.position_id else {}
    statute = uow.statutes.for_congress(congress_id, lock=False)
    amendment = next(
        (a for a in (statute.amendments.values() if statute else []) if a.poll_id == poll_id),
        None,
    )
    description = (poll.description or "").strip()
    return build.PollFacts(
        poll.title,
        rule,
        result.outcome,
        result.digest,
        dict(poll.closed_snapshot),
        {} if small else dict(counts),
        withheld_below=min_group if small else None,
        method=poll.method,
        options=tuple(poll.options),
        data=dict(result.data),
        constraints=tuple(poll.constraints),
        regions=more.get("regions", {}),
        seats=int(more.get("seats", len(result.data.get("elected") or []) or 1)),
        roles=more.get("roles", {}),
        candidate=more.get("candidate", ""),
        office=more.get("office", ""),
        text=tuple(p.strip() for p in description.split("\n\n") if p.strip()),
        wording=amendment.text if amendment is not None else "",
        holders=more.get("holders", ()),
        undecided=tuple(
            explain.undecided_lines(
                result.data,
                poll.options,
                uow.rules.get(congress_id).tie_steps(),
                language,
            )
        )
        if poll.position_id
        else (),
    )


def _annulled(uow: UnitOfWork, poll_id: str) -> bool:
    poll = uow.polls.get(poll_id)
    return poll is not None and bool(poll.annulled)


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
    secret_key: str | None = None,
) -> str:
    """Render and publish a decision (on one poll) or minutes (of a session's polls)."""
    if cmd.kind == CORRECTION:  # the correction decision on an annulled poll (issue 14)
        return publish_correction(cmd, uow_factory, clock)
    if cmd.kind not in KINDS or cmd.language not in ("id", "en"):
        raise InvalidInput("unknown document kind or language")
    now = clock()
    date = explain.long_date(now.date(), cmd.language)
    signatures = (cmd.chair, cmd.secretary)
    with uow_factory() as uow:
        congress = uow.congresses.get(cmd.congress_id)
        if congress is None:
            raise InvalidInput("unknown congress")
        settings = uow.congresses.document_settings(cmd.congress_id)
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
            content = build.decision(
                code, facts, cmd.language, signatures, date, annex, place=settings.place
            )
        else:
            polls = [
                _facts(uow, cmd.congress_id, p, cmd.language, min_group)
                for p in cmd.poll_ids
                if not _annulled(uow, p)  # listed with the annulled polls below
            ]
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
            adopted = sorted(
                (a for a in (statute.amendments.values() if statute else [])),
                key=lambda a: a.number,
            )
            session = build.Session(
                congress=congress.name,
                organisation=settings.organisation,
                venue=settings.venue,
                place=settings.place,
                fingerprint=congress_public_key(secret_key, cmd.congress_id)[1]
                if secret_key
                else "",
                amendments=tuple(
                    (a.number, a.article, a.kind, a.text)
                    for a in adopted
                    if a.status is AmendmentStatus.ADOPTED
                ),
                annulled=tuple(uow.corrections.annulled_polls(cmd.congress_id)),
            )
            content = build.minutes(
                code,
                attendance,
                deliberations,
                polls,
                cmd.language,
                signatures,
                date,
                regions,
                session=session,
            )
        title = content.subject if cmd.kind == "decision" else content.heading.capitalize()
        rendered = (title, to_html(content), to_pdf(content, now))
        document = Document.publish(
            cmd.congress_id, cmd.kind, number, cmd.poll_id, cmd.language, rendered, now
        )
        uow.documents.add(document)
        uow.commit()
        return document.id


def set_document_settings(cmd: SetDocumentSettings, uow_factory: UnitOfWorkFactory) -> None:
    """The organisation's name, the place and the venue every document prints."""
    values = {
        "organisation": clean_text(
            cmd.organisation, field="organisation", max_length=200, required=False
        ),
        "place": clean_text(cmd.place, field="place", max_length=100, required=False),
        "venue": clean_text(cmd.venue, field="venue", max_length=200, required=False),
    }
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise InvalidInput("unknown congress")
        settings = uow.congresses.document_settings(cmd.congress_id)
        settings.change(**values)
        uow.congresses.save_document_settings(settings)
        uow.commit()
