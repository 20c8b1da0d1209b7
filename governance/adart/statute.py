"""The AD/ART aggregate: every rule of the ratification procedure lives here."""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.adart import events as ev
from governance.adart.markdown import Draft
from governance.adart.model import (
    COMMISSIONS,
    KINDS,
    RECOMMENDATIONS,
    AdartRules,
    Amendment,
    AmendmentsStillOpen,
    AmendmentStatus,
    Article,
    ArticleDecided,
    ArticleStatus,
    ArticlesUndecided,
    Chapter,
    NotInProcedure,
    Paragraph,
    StatuteStatus,
)
from governance.domain.codes import new_id
from governance.domain.errors import InvalidInput, NotAllowed, NotFound
from governance.domain.events import Event
from governance.tally import MajorityRule

FINAL = "final"


@dataclass
class Statute:
    """One congress's AD/ART from draft to adopted text; state is stored as one JSON document."""

    id: str
    congress_id: str
    title: str
    rules: AdartRules
    chapters: list[Chapter]
    articles: dict[str, Article]
    amendments: dict[str, Amendment] = field(default_factory=dict)
    status: StatuteStatus = StatuteStatus.DRAFTING
    final_poll_id: str = ""
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def from_draft(cls, congress_id: str, draft: Draft, rules: AdartRules, sha: str) -> Statute:
        chapters: list[Chapter] = []
        articles: dict[str, Article] = {}
        for ch in draft.chapters:
            chapter = Chapter(f"{ch.part}-{ch.number}", ch.part, ch.number, ch.title)
            chapters.append(chapter)
            for art in ch.articles:
                paragraphs = [Paragraph(str(i), t) for i, t in enumerate(art.paragraphs, 1)]
                key = f"{ch.part}-{art.number}"
                articles[key] = Article(
                    key, ch.part, chapter.key, art.number, art.title, paragraphs, list(paragraphs)
                )
        statute = cls(new_id(), congress_id, draft.title, rules, chapters, articles)
        statute.events.append(
            ev.DraftImported(congress_id, statute.id, len(chapters), len(articles), sha)
        )
        return statute

    # -- look-ups --------------------------------------------------------------------------
    def article(self, key: str) -> Article:
        if key not in self.articles:
            raise NotFound("article")
        return self.articles[key]

    def amendment(self, amendment_id: str) -> Amendment:
        if amendment_id not in self.amendments:
            raise NotFound("amendment")
        return self.amendments[amendment_id]

    def chapter(self, key: str) -> Chapter:
        for chapter in self.chapters:
            if chapter.key == key:
                return chapter
        raise NotFound("chapter")

    def amendments_of(self, article_key: str) -> list[Amendment]:
        return sorted(
            (a for a in self.amendments.values() if a.article == article_key),
            key=lambda a: a.number,
        )

    # -- commissions and amendments --------------------------------------------------------
    def assign(self, chapter_key: str, commission: str) -> None:
        if commission not in COMMISSIONS:
            raise InvalidInput("unknown commission")
        self.chapter(chapter_key).commission = commission
        self.events.append(ev.ChapterAssigned(self.congress_id, chapter_key, commission))

    def _open_article(self, key: str) -> Article:
        article = self.article(key)
        if article.status is not ArticleStatus.OPEN or self.status is not StatuteStatus.DRAFTING:
            raise ArticleDecided()
        return article

    def propose(
        self, article_key: str, kind: str, target: str, text: str, reason: str, proposer: str
    ) -> Amendment:
        article = self._open_article(article_key)
        pids = {p.pid for p in article.text}
        if kind not in KINDS:
            raise InvalidInput("an amendment replaces, inserts or deletes text")
        if not reason.strip():
            raise InvalidInput("an amendment needs a reason")
        if kind != "delete" and not text.strip():
            raise InvalidInput("a replacement or insertion needs its text")
        if target not in pids and not (kind == "insert" and target == "0"):
            raise InvalidInput("no such paragraph in this article")
        amendment = Amendment(
            new_id(),
            len(self.amendments) + 1,
            article_key,
            kind,
            target,
            text.strip() if kind != "delete" else "",
            reason.strip(),
            proposer,
        )
        self.amendments[amendment.id] = amendment
        self.events.append(ev.AmendmentProposed(self.congress_id, amendment.id, article_key, kind))
        return amendment

    def support(self, amendment_id: str, delegate_id: str) -> None:
        amendment = self.amendment(amendment_id)
        self._open_article(amendment.article)
        if amendment.status not in (AmendmentStatus.PROPOSED, AmendmentStatus.ADMITTED):
            raise NotInProcedure("this amendment is no longer gathering support")
        if delegate_id == amendment.proposer or delegate_id in amendment.supporters:
            return  # supporting twice (or one's own amendment) changes nothing
        amendment.supporters.append(delegate_id)
        if len(amendment.supporters) >= self.rules.required_support:
            amendment.status = AmendmentStatus.ADMITTED
        self.events.append(
            ev.AmendmentSupported(self.congress_id, amendment.id, len(amendment.supporters))
        )

    def recommend(self, amendment_id: str, commission: str, recommendation: str) -> None:
        amendment = self.amendment(amendment_id)
        self._open_article(amendment.article)
        chapter = self.chapter(self.article(amendment.article).chapter)
        if recommendation not in RECOMMENDATIONS:
            raise InvalidInput("a recommendation is adopt or reject")
        if chapter.commission != commission:
            raise NotAllowed("only the commission assigned to the chapter recommends")
        amendment.recommendations[commission] = recommendation
        self.events.append(
            ev.AmendmentRecommended(self.congress_id, amendment.id, commission, recommendation)
        )

    # -- plenary ---------------------------------------------------------------------------
    def deliberate(
        self, article_key: str, consensus: bool, note: str, accepted: tuple[str, ...] = ()
    ) -> None:
        """Record the musyawarah: consensus adopts by acclamation; otherwise voting begins."""
        article = self._open_article(article_key)
        admitted = {
            a.id for a in self.amendments_of(article_key) if a.status is AmendmentStatus.ADMITTED
        }
        if not set(accepted) <= admitted:
            raise InvalidInput("consensus can only take up admitted amendments")
        article.deliberation = note.strip()
        self.events.append(ev.DeliberationRecorded(self.congress_id, article_key, consensus, note))
        for amendment in self.amendments_of(article_key):
            if amendment.status is AmendmentStatus.PROPOSED:
                self._decide(amendment, AmendmentStatus.LAPSED, "support")
            elif consensus and amendment.status is AmendmentStatus.ADMITTED:
                adopted = amendment.id in accepted
                outcome = AmendmentStatus.ADOPTED if adopted else AmendmentStatus.REJECTED
                self._decide(amendment, outcome, "consensus")
        if consensus:
            article.status, article.how = ArticleStatus.ADOPTED, "consensus"
            self.events.append(
                ev.ItemDecided(self.congress_id, article_key, "adopted", "consensus")
            )
        else:
            article.status = ArticleStatus.VOTING

    def vote_on(self, subject: str) -> tuple[str, MajorityRule]:
        """Check that `subject` may be voted now; returns the poll title and its rule."""
        if subject == FINAL:
            if self.status is not StatuteStatus.DRAFTING:
                raise NotInProcedure("the whole text is already being voted or decided")
            undecided = [a.key for a in self.articles.values() if a.status not in _DONE]
            if undecided:
                raise ArticlesUndecided(", ".join(undecided))
            # Titles are in Indonesian, the congress's language: they go into the decisions.
            return f"Pengesahan seluruh naskah {self.title}", self.rules.final
        if subject in self.amendments:
            amendment = self.amendments[subject]
            article = self.article(amendment.article)
            if article.status is not ArticleStatus.VOTING:
                raise NotInProcedure("deliberation on the article has not failed")
            if amendment.status is not AmendmentStatus.ADMITTED:
                raise NotInProcedure("this amendment is not waiting for a vote")
            if amendment.kind != "insert" and amendment.target not in {p.pid for p in article.text}:
                raise NotInProcedure("the paragraph this amendment changes is gone")
            title = (
                f"Usulan perubahan {amendment.number} atas Pasal {article.number} {article.part}"
            )
            return title, self.rules.for_part(article.part)
        article = self.article(subject)
        if article.status is not ArticleStatus.VOTING or article.poll_id:
            raise NotInProcedure("this article is not waiting for a vote")
        still_open = [str(a.number) for a in self.amendments_of(subject) if a.status.is_open]
        if still_open:
            raise AmendmentsStillOpen(", ".join(still_open))
        title = f"Pasal {article.number} {article.part}: {article.title}"
        return title, self.rules.for_part(article.part)

    def voting(self, subject: str, poll_id: str) -> None:
        if subject == FINAL:
            self.status, self.final_poll_id = StatuteStatus.FINAL_VOTING, poll_id
        elif subject in self.amendments:
            amendment = self.amendments[subject]
            amendment.status, amendment.poll_id = AmendmentStatus.VOTING, poll_id
        else:
            self.article(subject).poll_id = poll_id
        self.events.append(ev.VoteOpened(self.congress_id, subject, poll_id))

    def pending_polls(self) -> dict[str, str]:
        """Polls whose published outcome the statute still has to take in: poll id -> subject."""
        pending = {a.poll_id: a.id for a in self.amendments.values() if a.status is _VOTING}
        pending |= {
            a.poll_id: a.key
            for a in self.articles.values()
            if a.status is ArticleStatus.VOTING and a.poll_id
        }
        if self.status is StatuteStatus.FINAL_VOTING:
            pending[self.final_poll_id] = FINAL
        return pending

    def settle(self, subject: str, outcome: str) -> None:
        """Take in a published result: adopted adopts, no_quorum decides nothing, else rejects."""
        if outcome == "no_quorum":
            self._void(subject)
            return
        adopted = outcome == "adopted"
        if subject == FINAL:
            self.status = StatuteStatus.ADOPTED if adopted else StatuteStatus.REJECTED
            self.events.append(ev.ItemDecided(self.congress_id, FINAL, outcome, "vote"))
        elif subject in self.amendments:
            status = AmendmentStatus.ADOPTED if adopted else AmendmentStatus.REJECTED
            self._decide(self.amendments[subject], status, "vote")
        else:
            article = self.article(subject)
            article.status = ArticleStatus.ADOPTED if adopted else ArticleStatus.REJECTED
            article.how = "vote"
            self.events.append(ev.ItemDecided(self.congress_id, subject, outcome, "vote"))

    def _void(self, subject: str) -> None:
        """Attendance fell below quorum before the close: the item waits for a new vote."""
        if subject == FINAL:
            self.status, self.final_poll_id = StatuteStatus.DRAFTING, ""
        elif subject in self.amendments:
            amendment = self.amendments[subject]
            amendment.status, amendment.poll_id = AmendmentStatus.ADMITTED, ""
        else:
            self.article(subject).poll_id = ""
        self.events.append(ev.ItemDecided(self.congress_id, subject, "no_quorum", "void"))

    def _decide(self, amendment: Amendment, status: AmendmentStatus, how: str) -> None:
        amendment.status = status
        if status is AmendmentStatus.ADOPTED:
            amendment.adopted_order = 1 + sum(a.adopted_order > 0 for a in self.amendments.values())
            article = self.article(amendment.article)
            article.text = apply_amendment(article.text, amendment)
        self.events.append(ev.ItemDecided(self.congress_id, amendment.id, status.value, how))


_DONE = (ArticleStatus.ADOPTED, ArticleStatus.REJECTED)
_VOTING = AmendmentStatus.VOTING


def apply_amendment(text: list[Paragraph], amendment: Amendment) -> list[Paragraph]:
    """The article's paragraphs after one amendment; inserted paragraphs get a fresh pid."""
    result: list[Paragraph] = []
    if amendment.kind == "insert" and amendment.target == "0":
        result.append(Paragraph(f"0{amendment.number}i", amendment.text))
    for paragraph in text:
        if paragraph.pid != amendment.target:
            result.append(paragraph)
        elif amendment.kind == "replace":
            result.append(Paragraph(paragraph.pid, amendment.text))
        elif amendment.kind == "insert":
            result.extend(
                [paragraph, Paragraph(f"{paragraph.pid}.{amendment.number}", amendment.text)]
            )
    return result
