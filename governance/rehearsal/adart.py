"""A scripted AD/ART ratification on the sample draft, for `suara rehearse` and the tests.

Every step goes through the message bus, exactly as the pages do: amendments proposed and
supported by delegates, consensus on some articles, votes on the others (one amendment adopted,
one rejected, one article failing the 2/3 threshold), the whole text, and the documents.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from governance.adart import commands as c
from governance.adart.sample import SAMPLE_DRAFT
from governance.adart.statute import FINAL
from governance.domain.commands import CastBallot, ClosePoll, PublishResult, TallyPoll
from governance.service_layer.messagebus import MessageBus

CHAIR, SECRETARY = "Pimpinan Sidang", "Sekretaris"  # who signs the rehearsal's documents
YES, NO, ABSTAIN = 0, 1, 2


@dataclass
class RehearsalReport:
    """Which poll decided what (amendment id, article key or "final"), and the documents."""

    polls: dict[str, str] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)


def _vote(bus: MessageBus, poll_id: str, tags: Sequence[str], yes: int) -> str:
    """Cast one ballot per card (`yes` of them yes, the rest no), close, count, publish."""
    for index, tag in enumerate(tags):
        bus.handle(CastBallot(poll_id, tag, (YES if index < yes else NO,)))
    bus.handle(ClosePoll(poll_id))
    bus.handle(TallyPoll(poll_id))
    bus.handle(PublishResult(poll_id))
    return poll_id


def run_adart_rehearsal(
    bus: MessageBus,
    congress_id: str,
    delegate_ids: Sequence[str],
    tags: Sequence[str],
    say: Callable[[str], None] = lambda line: None,
) -> RehearsalReport:
    """Run the sample ratification; the congress needs >= 4 delegates, 2/3 present, cards."""
    report = RehearsalReport()
    proposer, *backers = delegate_ids
    bus.handle(c.ImportDraft(congress_id, SAMPLE_DRAFT.read_text(encoding="utf-8")))
    for chapter, commission in (
        ("AD-I", "organisation"),
        ("AD-II", "advocacy"),
        ("AD-III", "education"),
        ("ART-I", "organisation"),
    ):
        bus.handle(c.AssignChapter(congress_id, chapter, commission))
    say("draft imported; chapters assigned to the three commissions")

    def amend(article: str, kind: str, target: str, text: str, support: int) -> str:
        reason = f"rehearsal: {kind} in {article}"
        amendment_id: str = bus.handle(
            c.ProposeAmendment(congress_id, article, kind, target, text, reason, proposer)
        )
        for backer in backers[:support]:
            bus.handle(c.SupportAmendment(congress_id, amendment_id, backer))
        return amendment_id

    adopted = amend("AD-1", "replace", "1", "Organisasi ini bernama Jaringan Contoh.", 2)
    rejected = amend("AD-3", "insert", "1", "JCN bersifat terbuka bagi semua orang.", 2)
    by_consensus = amend("AD-2", "delete", "2", "", 2)
    amend("AD-4", "replace", "1", "JCN bertujuan menghimpun anggota.", 0)  # lapses: no support
    bus.handle(c.RecommendAmendment(congress_id, adopted, "organisation", "adopt"))
    bus.handle(c.RecommendAmendment(congress_id, rejected, "advocacy", "reject"))
    say("amendments proposed, supported and recommended")

    for article in ("AD-2", "AD-5", "ART-1", "ART-2"):
        accepted = (by_consensus,) if article == "AD-2" else ()
        bus.handle(c.RecordDeliberation(congress_id, article, True, "mufakat", accepted))
    for article in ("AD-1", "AD-3", "AD-4"):
        bus.handle(c.RecordDeliberation(congress_id, article, False, "tidak mufakat"))
    say("musyawarah recorded: four articles by consensus, three go to a vote")

    def vote(subject: str, yes: int) -> str:
        poll_id: str = bus.handle(c.OpenAdartVote(congress_id, subject))
        _vote(bus, poll_id, tags, yes)
        bus.handle(c.SettleAdartVotes(congress_id))
        report.polls[subject] = poll_id
        return poll_id

    everyone, two_thirds = len(tags), math.ceil(len(tags) * 2 / 3)
    vote(adopted, everyone)
    vote(rejected, 1)
    vote("AD-1", everyone)
    vote("AD-3", two_thirds)
    vote("AD-4", two_thirds - 1)  # one vote short of 2/3: the article fails its threshold
    final = vote(FINAL, everyone)
    say("amendments, articles and the whole text voted")
    report.documents.append(
        bus.handle(
            c.PublishDocument(
                congress_id, "decision", "id", poll_id=final, chair=CHAIR, secretary=SECRETARY
            )
        )
    )
    polls = tuple(report.polls.values())
    report.documents.append(
        bus.handle(
            c.PublishDocument(
                congress_id, "minutes", "id", poll_ids=polls, chair=CHAIR, secretary=SECRETARY
            )
        )
    )
    say(f"decision and minutes published ({len(report.documents)} documents)")
    return report
