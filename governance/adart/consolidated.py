"""The consolidated AD/ART: adopted articles as amended, with the log of adopted amendments."""

from __future__ import annotations

from dataclasses import dataclass

from governance.adart.model import AmendmentStatus, ArticleStatus
from governance.adart.statute import Statute


@dataclass(frozen=True)
class ConsolidatedArticle:
    key: str
    number: str
    title: str
    paragraphs: tuple[str, ...]
    how: str


@dataclass(frozen=True)
class ConsolidatedChapter:
    part: str
    number: str
    title: str
    articles: tuple[ConsolidatedArticle, ...]


@dataclass(frozen=True)
class Change:
    order: int
    number: int
    article: str
    kind: str
    text: str
    reason: str
    how: str


@dataclass(frozen=True)
class Consolidated:
    title: str
    status: str
    chapters: tuple[ConsolidatedChapter, ...]
    changes: tuple[Change, ...]
    rejected_articles: tuple[str, ...]


def consolidate(statute: Statute) -> Consolidated:
    """Adopted articles only; a rejected article is left out and listed as such."""
    chapters = []
    for chapter in statute.chapters:
        articles = tuple(
            ConsolidatedArticle(a.key, a.number, a.title, tuple(p.text for p in a.text), a.how)
            for a in statute.articles.values()
            if a.chapter == chapter.key and a.status is ArticleStatus.ADOPTED
        )
        chapters.append(ConsolidatedChapter(chapter.part, chapter.number, chapter.title, articles))
    adopted = sorted(
        (a for a in statute.amendments.values() if a.status is AmendmentStatus.ADOPTED),
        key=lambda a: a.adopted_order,
    )
    changes = tuple(
        Change(
            a.adopted_order,
            a.number,
            a.article,
            a.kind,
            a.text,
            a.reason,
            statute.article(a.article).how or "vote",
        )
        for a in adopted
    )
    rejected = tuple(a.key for a in statute.articles.values() if a.status is ArticleStatus.REJECTED)
    return Consolidated(statute.title, statute.status.value, tuple(chapters), changes, rejected)


def to_markdown(text: Consolidated) -> str:
    """The same format the draft was imported in, so the adopted text can be read back."""
    lines: list[str] = []
    part = ""
    for chapter in text.chapters:
        if chapter.part != part:
            part = chapter.part
            lines += [f"# {part}: {text.title}", ""]
        lines += [f"## Bab {chapter.number}: {chapter.title}", ""]
        for article in chapter.articles:
            lines += [f"### Pasal {article.number}: {article.title}", ""]
            for paragraph in article.paragraphs:
                lines += [paragraph, ""]
    if text.changes:
        lines += ["<!-- change log -->"]
        for change in text.changes:
            lines.append(
                f"<!-- {change.order}. amendment {change.number} to {change.article}"
                f" ({change.kind}): {change.reason.replace('--', '-')} -->"
            )
    return "\n".join(lines).rstrip() + "\n"
