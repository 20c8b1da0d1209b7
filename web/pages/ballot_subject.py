"""What an AD/ART ballot decides, shown beside it: the amendment's change to its article (as a
diff) or the article's text, so nobody votes on a title alone (issue 17 item 3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from governance.adart.diff import amendment_diff
from governance.bootstrap import Suara
from governance.domain.polls import Poll
from web.pages.common import call


@dataclass(frozen=True)
class Subject:
    kind: str  # "amendment", "article" or "statute"
    part: str  # "AD" or "ART"
    number: str
    title: str
    link: str
    fragments: list[str] = field(default_factory=list)  # escaped HTML with <ins>/<del>
    paragraphs: list[str] = field(default_factory=list)  # plain text, escaped by the template
    reason: str = ""


async def ballot_subject(app: Suara, poll: Poll) -> Subject | None:
    """The statute item this poll decides, or None for any other poll."""
    if poll.method != "yes-no-abstain":
        return None
    statute = await call(app.queries.adart.statute, poll.congress_id)
    if statute is None:
        return None
    base = f"/congresses/{poll.congress_id}/adart"
    if statute.final_poll_id == poll.id:
        return Subject("statute", "", "", "", base)
    for amendment in statute.amendments.values():
        if amendment.poll_id == poll.id:
            article = statute.article(amendment.article)
            return Subject(
                "amendment",
                article.part,
                article.number,
                article.title,
                f"{base}/articles/{article.key}#a-{amendment.number}",
                fragments=amendment_diff(article.text, amendment),
                reason=amendment.reason,
            )
    for article in statute.articles.values():
        if article.poll_id == poll.id:
            return Subject(
                "article",
                article.part,
                article.number,
                article.title,
                f"{base}/articles/{article.key}",
                paragraphs=[p.text for p in article.text],
            )
    return None
