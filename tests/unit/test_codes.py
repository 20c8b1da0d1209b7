from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.domain import codes
from governance.domain.errors import InvalidCredentials


def test_typed_code_folds_letters_people_confuse_with_digits() -> None:
    assert codes.normalise("o1il-abcd", 8) == "011" + "1ABCD"


@pytest.mark.parametrize("typed", ["", "ABC", "ABCD-EFGH-UUUU", "ABCD!EFGH", "ABCDEFGHJ"])
def test_malformed_codes_are_refused_like_wrong_ones(typed: str) -> None:
    with pytest.raises(InvalidCredentials):
        codes.normalise(typed, 8)


@given(st.data())
def test_a_voting_code_survives_being_typed_sloppily(data: st.DataObject) -> None:
    code = codes.new_voting_code()
    sloppy = data.draw(st.sampled_from([code.lower(), code.replace("-", " "), f"  {code}  "]))
    assert codes.card_tag("k", sloppy) == codes.card_tag("k", code)


def test_voting_codes_carry_at_least_120_bits() -> None:
    raw = codes.new_voting_code().replace("-", "")
    assert len(raw) * 5 >= 120
    assert set(raw) <= set(codes.ALPHABET)


def test_card_tag_depends_on_the_secret_key() -> None:
    code = codes.new_voting_code()
    assert codes.card_tag("one", code) != codes.card_tag("two", code)


def test_identity_code_splits_into_number_and_secret() -> None:
    code = codes.new_identity_code(17)
    number, secret = codes.split_identity_code(code.lower())
    assert number == 17
    assert len(secret) == codes.IDENTITY_CODE_CHARS


@pytest.mark.parametrize("typed", ["", "ABCD", "x-ABCD", "-ABCD", "1234567-" + "A" * 20])
def test_identity_code_without_a_card_number_is_refused(typed: str) -> None:
    with pytest.raises(InvalidCredentials):
        codes.split_identity_code(typed)


def test_nullifier_differs_per_poll_and_per_card() -> None:
    assert codes.nullifier("k", "card", "p1") != codes.nullifier("k", "card", "p2")
    assert codes.nullifier("k", "c1", "p") != codes.nullifier("k", "c2", "p")
