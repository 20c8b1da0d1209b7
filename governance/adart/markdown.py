"""Reading a draft AD/ART from Markdown: parts, chapters, articles and paragraphs.

The format, line by line:
    # AD: Anggaran Dasar          a part; the key before the colon is AD or ART
    ## Bab I: Nama                a chapter of the part
    ### Pasal 1: Nama             an article of the chapter
    text lines                    paragraphs of the article; a blank line ends a paragraph
A malformed draft is refused with the number of the line at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from governance.domain.errors import InvalidInput

PARTS = ("AD", "ART")
HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*$")


class MalformedDraft(InvalidInput):
    """The Markdown draft cannot be read; `line` names where."""

    code = "malformed_draft"

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.params = {"line": line, "problem": problem}


@dataclass
class DraftArticle:
    number: str
    title: str
    line: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class DraftChapter:
    number: str
    title: str
    part: str
    line: int
    articles: list[DraftArticle] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    chapters: list[DraftChapter] = field(default_factory=list)


def _split_heading(text: str, line: int) -> tuple[str, str]:
    """'Pasal 3: Keanggotaan' -> ('3', 'Keanggotaan'); 'Bab II' -> ('II', '')."""
    label, _, title = text.partition(":")
    words = label.split()
    if len(words) < 2:
        raise MalformedDraft(line, f"heading {text!r} needs a word and a number, e.g. 'Pasal 1'")
    return words[-1], title.strip()


class _Reader:
    def __init__(self) -> None:
        self.draft = Draft(title="")
        self.part: str | None = None
        self.article: DraftArticle | None = None
        self.buffer: list[str] = []
        self.seen: set[tuple[str, str]] = set()

    def flush(self) -> None:
        if self.buffer and self.article is not None:
            self.article.paragraphs.append(" ".join(self.buffer))
        self.buffer = []

    def heading(self, level: int, text: str, line: int) -> None:
        self.flush()
        self.close_article()
        if level == 1:
            key, _, title = text.partition(":")
            if key.strip().upper() not in PARTS:
                raise MalformedDraft(line, f"a part must start with AD: or ART:, not {text!r}")
            self.part = key.strip().upper()
            self.draft.title = self.draft.title or title.strip()
        elif level == 2:
            if self.part is None:
                raise MalformedDraft(line, "a chapter (##) comes before any part (# AD: / # ART:)")
            number, title = _split_heading(text, line)
            self.draft.chapters.append(DraftChapter(number, title, self.part, line))
        elif level == 3:
            if not self.draft.chapters or self.draft.chapters[-1].part != self.part:
                raise MalformedDraft(line, "an article (###) comes before any chapter (##)")
            number, title = _split_heading(text, line)
            if (self.part or "", number) in self.seen:
                raise MalformedDraft(line, f"article {number} appears twice in {self.part}")
            self.seen.add((self.part or "", number))
            self.article = DraftArticle(number, title, line)
        else:
            raise MalformedDraft(line, "only #, ## and ### headings are allowed")

    def close_article(self) -> None:
        if self.article is not None:
            if not self.article.paragraphs:
                raise MalformedDraft(self.article.line, f"article {self.article.number} is empty")
            self.draft.chapters[-1].articles.append(self.article)
            self.article = None

    def text(self, content: str, line: int) -> None:
        if self.article is None:
            raise MalformedDraft(line, "text outside an article (### Pasal N: ...)")
        self.buffer.append(content)


def parse_draft(source: str) -> Draft:
    """Parse a Markdown draft, or raise MalformedDraft naming the line."""
    reader = _Reader()
    for number, raw in enumerate(source.splitlines(), start=1):
        stripped = raw.strip()
        found = HEADING.match(stripped)
        if found:
            reader.heading(len(found.group(1)), found.group(2), number)
        elif stripped:
            reader.text(stripped, number)
        else:
            reader.flush()
    reader.flush()
    reader.close_article()
    if not reader.draft.chapters:
        raise MalformedDraft(1, "the draft has no chapters")
    for chapter in reader.draft.chapters:
        if not chapter.articles:
            raise MalformedDraft(chapter.line, f"chapter {chapter.number} has no articles")
    return reader.draft
