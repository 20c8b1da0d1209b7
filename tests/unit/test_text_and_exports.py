"""Names and texts: NFC, no direction or control characters; CSV cells that stay text."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.documents.csv_safe import FORMULA_STARTS, safe_cell, write_csv
from governance.domain.errors import InvalidText
from governance.domain.polls import Poll
from governance.domain.text import BIDI_CONTROLS, clean_name, clean_text

letters = st.text(
    st.characters(categories=("L", "M", "N", "Zs", "P", "S")), min_size=1, max_size=60
).filter(lambda s: s.strip())


@given(letters)
def test_clean_text_returns_trimmed_nfc_and_is_idempotent(value: str) -> None:
    cleaned = clean_text(value, field="x", max_length=1000)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned, field="x", max_length=1000) == cleaned


@given(letters, st.sampled_from(sorted(BIDI_CONTROLS)), st.integers(0, 60))
def test_any_direction_control_anywhere_is_refused(value: str, bidi: str, at: int) -> None:
    with pytest.raises(InvalidText):
        clean_name(value[:at] + bidi + value[at:], field="alias")


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\u200b", "\ufeff", "\u2028", "\ue000"])
def test_control_invisible_and_private_characters_are_refused(char: str) -> None:
    with pytest.raises(InvalidText):
        clean_name(f"Ma{char}war", field="alias")


def test_decomposed_names_are_stored_composed_and_scripts_with_joiners_pass() -> None:
    assert clean_name("Rene\u0301", field="alias") == "Ren\u00e9"
    assert clean_name("\u0915\u094d\u200d\u0937", field="alias")  # Devanagari with ZWJ
    assert clean_text("line one\nline two", field="d", multiline=True) == "line one\nline two"
    with pytest.raises(InvalidText):
        clean_name("line one\nline two", field="alias")


def test_a_poll_title_or_option_with_an_override_is_refused() -> None:
    with pytest.raises(InvalidText):
        Poll.create("c", "Motion \u202etxt.exe", "yes-no-abstain", ("yes", "no", "abstain"))
    with pytest.raises(InvalidText):
        Poll.create("c", "Motion", "plurality", ("Ana", "Bun\u2066ga"))


@given(st.text(max_size=40))
def test_no_exported_cell_can_start_a_formula(value: str) -> None:
    cell = safe_cell(value)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (value, "'" + value)


@given(st.lists(st.lists(st.one_of(st.text(max_size=20), st.integers()), min_size=2, max_size=2)))
def test_a_csv_export_reads_back_cell_for_cell(rows: list[list[str | int]]) -> None:
    text = write_csv(["alias", "votes"], rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[0] == ["alias", "votes"]
    assert back[1:] == [[safe_cell(c) for c in row] for row in rows]


def test_known_injection_payloads_are_neutralised() -> None:
    for payload in ('=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert safe_cell(payload).startswith("'")
    assert safe_cell(-5) == "-5" and safe_cell("Mawar") == "Mawar"
