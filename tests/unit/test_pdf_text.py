"""PDF text for the core fonts: typographic punctuation and marked letters keep their sense."""

from __future__ import annotations

import re
import zlib
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from governance.documents import build
from governance.documents.cards import identity_cards_pdf
from governance.documents.pdf_text import pdf_text
from governance.documents.render import to_pdf
from tests.unit.test_documents import FACTS, WHEN

PASTED = "\u201cPasal 1\u201d \u2014 Nama\u2026 \u2018Jaringan\u2019 2\u20133"


def test_text_pasted_from_a_word_processor_prints_as_typed() -> None:
    assert pdf_text(PASTED) == "\"Pasal 1\" - Nama... 'Jaringan' 2-3"


def test_letters_outside_latin_1_lose_only_their_marks() -> None:
    assert pdf_text("Şeker Ōsaka Dũng") == "Seker Osaka Dung"
    assert pdf_text("Pak Citra \u4e2d") == "Pak Citra ?"  # no Latin-1 form: visibly missing


@given(st.text())
def test_the_result_always_fits_the_core_fonts(text: str) -> None:
    assert max(map(ord, pdf_text(text)), default=0) < 256


@given(st.text(alphabet=st.characters(max_codepoint=255)))
def test_latin_1_text_is_left_as_it_is(text: str) -> None:
    assert pdf_text(text) == text


def page_text(pdf: bytes) -> bytes:
    """The PDF's page content streams, inflated (fpdf2 compresses them)."""
    streams = re.findall(
        rb"/Filter /FlateDecode[^>]*>>\s*stream\r?\n(.*?)\r?\nendstream", pdf, re.S
    )
    return b"".join(zlib.decompress(s) for s in streams if s[:1] == b"x")


def test_a_decision_with_pasted_punctuation_has_no_question_marks_in_its_pdf() -> None:
    facts = replace(FACTS, title=PASTED)
    content = build.decision("01", facts, "id", ("Pimpinan Sidang", "Sekretaris"), "x")
    text = page_text(to_pdf(content, WHEN))
    assert b'"Pasal 1" - Nama...' in text
    assert b"?" not in text


def test_an_identity_card_prints_an_alias_with_marks() -> None:
    text = page_text(identity_cards_pdf([("Ōmi", "ABCD-EFGH")], "Kongres \u2014 2026"))
    assert b"Omi" in text and b"Kongres - 2026" in text
