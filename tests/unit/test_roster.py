"""Roster parsing: properties that hold for any file."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.domain.errors import RosterInvalid
from governance.domain.roster import REGIONS, parse_roster

HEADER = "alias,province,region,caucus,membership_class,voting_right\n"
names = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lo", "Nd", "Zs", "Mn")), min_size=1, max_size=30
).filter(lambda t: t.strip() != "")


@given(st.lists(st.tuples(names, st.sampled_from(REGIONS)), min_size=1, max_size=20))
def test_a_valid_file_keeps_every_row_in_nfc(rows: list[tuple[str, str]]) -> None:
    lines = [f'"{a}{i}",Aceh,{r},,ordinary,yes' for i, (a, r) in enumerate(rows)]
    parsed = parse_roster(HEADER + "\n".join(lines) + "\n")
    assert len(parsed) == len(rows)
    for row, (alias, region) in zip(parsed, rows, strict=True):
        assert row.region == region
        assert row.alias == unicodedata.normalize("NFC", row.alias)
        assert row.alias.startswith(unicodedata.normalize("NFC", alias).strip()[:1])


@given(names, st.sampled_from(["\u202e", "\u200b", "\u2066", "\x07", "\u200f", "\ufeff"]))
def test_any_alias_with_a_control_or_bidi_character_is_refused(alias: str, bad: str) -> None:
    with pytest.raises(RosterInvalid) as refused:
        parse_roster(HEADER + f'"{alias}{bad}x",Aceh,west,,ordinary,yes\n')
    assert [(p.line, p.field) for p in refused.value.problems] == [(2, "alias")]  # type: ignore[attr-defined]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = HEADER + "A,Aceh,north,,ordinary,yes\nB,,west,,ordinary,maybe\nA,Bali,east,,x,yes\n"
    with pytest.raises(RosterInvalid) as refused:
        parse_roster(text)
    found = {(p.line, p.field) for p in refused.value.problems}  # type: ignore[attr-defined]
    assert found == {
        (2, "region"),
        (3, "province"),
        (3, "voting_right"),
        (4, "alias"),
        (4, "membership_class"),
    }
