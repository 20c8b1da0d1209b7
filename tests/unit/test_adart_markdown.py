from __future__ import annotations

import pytest

from governance.adart.markdown import MalformedDraft, parse_draft
from governance.adart.sample import SAMPLE_DRAFT


def test_sample_draft_has_parts_chapters_articles_and_paragraphs() -> None:
    draft = parse_draft(SAMPLE_DRAFT.read_text(encoding="utf-8"))
    assert [c.part for c in draft.chapters] == ["AD", "AD", "AD", "ART"]
    first = draft.chapters[0].articles[0]
    assert (first.number, first.title) == ("1", "Nama")
    assert len(first.paragraphs) == 2
    assert draft.title.startswith("Anggaran Dasar")


def test_lines_of_one_paragraph_are_joined_and_blank_lines_split() -> None:
    draft = parse_draft("# AD: X\n## Bab I: A\n### Pasal 1: B\none\ntwo\n\nthree\n")
    assert draft.chapters[0].articles[0].paragraphs == ["one two", "three"]


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("# AD: X\n## Bab I: A\ntext\n", 3, "outside an article"),
        ("## Bab I: A\n### Pasal 1: B\nx\n", 1, "before any part"),
        ("# AD: X\n### Pasal 1: B\nx\n", 2, "before any chapter"),
        ("# XY: X\n", 1, "AD: or ART:"),
        ("# AD: X\n## Bab I: A\n### Pasal 1: B\nx\n### Pasal 1: C\ny\n", 5, "twice"),
        ("# AD: X\n## Bab I: A\n### Pasal 1: B\n\n### Pasal 2: C\ny\n", 3, "empty"),
        ("# AD: X\n## Bab I: A\n#### Ayat\n", 3, "only #, ## and ###"),
        ("# AD: X\n## Bab I: A\n## Bab II: B\n### Pasal 1: C\nx\n", 2, "no articles"),
        ("# AD: X\n## Bab\n", 2, "needs a word and a number"),
        ("", 1, "no chapters"),
    ],
)
def test_a_malformed_draft_is_refused_naming_the_line(source: str, line: int, words: str) -> None:
    with pytest.raises(MalformedDraft) as caught:
        parse_draft(source)
    assert caught.value.params["line"] == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"line {line}:")
