"""The one neutral structure both the HTML and the PDF are rendered from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A heading followed by numbered items, plain paragraphs, or a two-column table."""

    heading: str
    items: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    table: tuple[tuple[str, ...], ...] = ()  # first row is the header
    after: tuple[str, ...] = ()  # paragraphs after the items, rows and table


@dataclass(frozen=True)
class Content:
    language: str
    heading: str
    number: str
    subject: str
    blocks: tuple[Block, ...]
    signed: str
    signatures: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    intro: tuple[str, ...] = ()  # paragraphs under the title (the minutes' opening)
