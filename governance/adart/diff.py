"""A readable diff of an amendment against the article, as escaped HTML with <ins> and <del>.

Paragraphs are compared first; a changed paragraph is then compared word by word, so a
reader sees exactly which words an amendment takes out and puts in. No JavaScript needed.
"""

from __future__ import annotations

import difflib
from html import escape

from governance.adart.model import Amendment, Paragraph
from governance.adart.statute import apply_amendment


def _words(before: str, after: str) -> str:
    old, new = before.split(), after.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new[b1:b2]))}</ins>")
    return " ".join(parts)


def diff_paragraphs(before: list[Paragraph], after: list[Paragraph]) -> list[str]:
    """One HTML fragment per paragraph of the union of both texts."""
    old = [p.text for p in before]
    new = [p.text for p in after]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(escape(text) for text in old[a1:a2])
        elif op == "replace" and a2 - a1 == b2 - b1:
            out.extend(_words(x, y) for x, y in zip(old[a1:a2], new[b1:b2], strict=True))
        else:
            out.extend(f"<del>{escape(text)}</del>" for text in old[a1:a2])
            out.extend(f"<ins>{escape(text)}</ins>" for text in new[b1:b2])
    return out


def amendment_diff(article_text: list[Paragraph], amendment: Amendment) -> list[str]:
    """The amendment as it would change the article's current text."""
    return diff_paragraphs(article_text, apply_amendment(article_text, amendment))
