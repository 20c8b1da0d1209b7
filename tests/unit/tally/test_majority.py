from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from governance.tally import MajorityRule, TallyInput, TallyInputError, tally, threshold

YNA = ("yes", "no", "abstain")


def motion(
    yes: int,
    no: int,
    abstain: int = 0,
    blank: int = 0,
    rule: MajorityRule | None = None,
    electorate: int | None = None,
    present: int | None = None,
) -> TallyInput:
    ballots = (((0,), yes), ((1,), no), ((2,), abstain), ((), blank))
    return TallyInput(
        "yes-no-abstain", YNA, ballots, rule=rule, electorate=electorate, present=present
    )


def test_two_thirds_of_nine_is_six() -> None:
    assert threshold(9, Fraction(2, 3), strict=False) == 6


def test_two_thirds_of_fifty_two_needs_thirty_five() -> None:
    assert threshold(52, Fraction(2, 3), strict=False) == 35
    rule = MajorityRule.qualified(Fraction(2, 3))
    assert tally(motion(34, 18, rule=rule)).outcome == "rejected"
    assert tally(motion(35, 17, rule=rule)).outcome == "adopted"


def test_qualified_majority_of_nine_adopts_with_six() -> None:
    rule = MajorityRule.qualified(Fraction(2, 3))
    assert tally(motion(6, 3, rule=rule)).outcome == "adopted"
    assert tally(motion(5, 4, rule=rule)).outcome == "rejected"


def test_simple_majority_ignores_abstentions_by_default() -> None:
    result = tally(motion(5, 4, abstain=10))
    assert result.outcome == "adopted"
    assert result.to_dict()["required_votes"] == "5"


def test_simple_majority_tie_is_rejected() -> None:
    assert tally(motion(5, 5)).outcome == "rejected"


def test_abstentions_in_base_can_defeat_a_motion() -> None:
    rule = MajorityRule.simple(abstentions_in_base=True)
    assert tally(motion(5, 4, abstain=2, rule=rule)).outcome == "rejected"


def test_blank_ballots_count_only_when_the_rule_says_so() -> None:
    rule = MajorityRule(blanks_in_base=True)
    assert tally(motion(5, 4, blank=2)).outcome == "adopted"
    assert tally(motion(5, 4, blank=2, rule=rule)).outcome == "rejected"


def test_absolute_majority_of_members() -> None:
    rule = MajorityRule.absolute("members")
    assert tally(motion(50, 0, rule=rule, electorate=100)).outcome == "rejected"
    assert tally(motion(51, 0, rule=rule, electorate=100)).outcome == "adopted"


def test_absolute_majority_of_present() -> None:
    rule = MajorityRule.absolute("present")
    assert tally(motion(30, 10, rule=rule, present=61)).outcome == "rejected"
    assert tally(motion(31, 10, rule=rule, present=61)).outcome == "adopted"


def test_two_thirds_of_present() -> None:
    rule = MajorityRule.qualified(Fraction(2, 3), base="present")
    assert tally(motion(6, 0, rule=rule, present=9)).outcome == "adopted"
    assert tally(motion(34, 0, rule=rule, present=52)).outcome == "rejected"


def test_quorum_not_met_overrides_the_vote() -> None:
    rule = MajorityRule(quorum=Fraction(1, 2), quorum_strict=True)
    result = tally(motion(40, 1, rule=rule, electorate=100, present=50))
    assert result.outcome == "no_quorum"
    assert result.to_dict()["quorum"] == {"required": "51", "present": "50", "met": False}
    assert tally(motion(40, 1, rule=rule, electorate=100, present=51)).outcome == "adopted"


def test_quorum_by_head_count() -> None:
    rule = MajorityRule(quorum_count=20)
    assert tally(motion(10, 1, rule=rule, present=19)).outcome == "no_quorum"


def test_quorum_without_attendance_is_refused() -> None:
    with pytest.raises(TallyInputError):
        tally(motion(1, 0, rule=MajorityRule(quorum_count=2)))


def test_bad_ballot_is_refused() -> None:
    with pytest.raises(TallyInputError):
        tally(TallyInput("yes-no-abstain", YNA, (((0, 1), 1),)))


def test_wrong_candidates_are_refused() -> None:
    with pytest.raises(TallyInputError):
        tally(TallyInput("yes-no-abstain", ("ja", "nee", "blanco"), ()))


def test_no_votes_rejects() -> None:
    assert tally(motion(0, 0)).outcome == "rejected"


def test_transcript_is_json_with_decimal_strings() -> None:
    data: dict[str, Any] = tally(motion(6, 3, abstain=1, blank=2)).to_dict()
    json.dumps(data)
    assert data["method"] == "yes-no-abstain"
    assert data["elected"] == []
    assert data["counts"] == {"yes": "6", "no": "3", "abstain": "1", "blank": "2"}
    assert data["base"] == {"kind": "valid", "value": "9"}
    assert data["stages"][0]["totals"] == {"yes": "6", "no": "3", "abstain": "1"}
