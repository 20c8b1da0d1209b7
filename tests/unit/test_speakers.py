"""The list of speakers: points of order first, then the order the rules of procedure set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.domain.delegates import Delegate
from governance.domain.plenary_errors import AlreadyOnList, NoSpeakerWaiting, NotPresent
from governance.domain.rules import Rules
from governance.domain.speakers import (
    Speaker,
    SpeakerKind,
    SpeakersList,
    SpeakerStatus,
    speaking_order,
)

CAUCUSES = ("women", "waria", "men")
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def person(n: int, caucus: str = "women", voting_right: bool = True) -> Delegate:
    return Delegate(
        f"d{n}",
        "c",
        n,
        f"Alias {n}",
        "Bali",
        "east",
        caucus,
        voting_right=voting_right,
        present=True,
    )


requests = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=8),  # delegate
        st.sampled_from(CAUCUSES),
        st.sampled_from(tuple(SpeakerKind)),
    ),
    max_size=14,
)


def entries(drawn: list[tuple[int, str, SpeakerKind]]) -> list[Speaker]:
    """Requests as drawn; the list holds one waiting speech per delegate, so a repeat of a
    delegate's waiting speech is dropped here."""
    seen: set[int] = set()
    kept = []
    for d, caucus, kind in drawn:
        if kind is SpeakerKind.SPEECH:
            if d in seen:
                continue
            seen.add(d)
        kept.append((d, caucus, kind))
    return [
        Speaker(f"s{i}", "c", "i", f"d{d}", caucus, kind, ordinal=i + 1)
        for i, (d, caucus, kind) in enumerate(kept)
    ]


@given(requests, requests, st.booleans(), st.booleans())
def test_points_of_order_go_first_and_nobody_is_lost_or_repeated(
    waiting: list[tuple[int, str, SpeakerKind]],
    spoken: list[tuple[int, str, SpeakerKind]],
    alternate: bool,
    first_time: bool,
) -> None:
    queue = speaking_order(
        entries(waiting),
        entries(spoken),
        alternate_caucus=alternate,
        first_speakers_first=first_time,
    )
    assert sorted(s.id for s in queue) == sorted(s.id for s in entries(waiting))
    kinds = [s.kind for s in queue]
    points = kinds.count(SpeakerKind.POINT_OF_ORDER)
    assert kinds[:points] == [SpeakerKind.POINT_OF_ORDER] * points
    assert [s.ordinal for s in queue[:points]] == sorted(s.ordinal for s in queue[:points])


@given(requests)
def test_without_a_rule_speeches_keep_the_order_they_were_asked_for(
    waiting: list[tuple[int, str, SpeakerKind]],
) -> None:
    speeches = [s for s in speaking_order(entries(waiting), []) if s.kind is SpeakerKind.SPEECH]
    assert [s.ordinal for s in speeches] == sorted(s.ordinal for s in speeches)


@given(requests, requests)
def test_alternation_puts_a_caucus_twice_in_a_row_only_when_no_other_waits(
    waiting: list[tuple[int, str, SpeakerKind]], spoken: list[tuple[int, str, SpeakerKind]]
) -> None:
    given_speeches = [s for s in entries(spoken) if s.kind is SpeakerKind.SPEECH]
    queue = speaking_order(entries(waiting), entries(spoken), alternate_caucus=True)
    speeches = [s for s in queue if s.kind is SpeakerKind.SPEECH]
    line = given_speeches[-1:] + speeches
    for i in range(1, len(line)):
        if line[i].caucus == line[i - 1].caucus:
            later = speeches[speeches.index(line[i]) :]
            assert {s.caucus for s in later} == {line[i].caucus}


@given(requests, requests)
def test_first_time_speakers_come_before_anyone_speaking_again(
    waiting: list[tuple[int, str, SpeakerKind]], spoken: list[tuple[int, str, SpeakerKind]]
) -> None:
    already = {s.delegate_id for s in entries(spoken) if s.kind is SpeakerKind.SPEECH}
    queue = speaking_order(entries(waiting), entries(spoken), first_speakers_first=True)
    seen = [s.delegate_id in already for s in queue if s.kind is SpeakerKind.SPEECH]
    assert seen == sorted(seen)  # every first-timer (False) before every repeat (True)


def test_the_zipper_alternates_women_waria_and_men_when_all_wait() -> None:
    listed = SpeakersList("c", "i")
    for n, caucus in enumerate(("women", "women", "women", "men", "waria", "men"), 1):
        listed.add(person(n, caucus), SpeakerKind.SPEECH)
    order = [s.caucus for s in listed.queue(Rules(alternate_caucus=True))]
    assert order == ["women", "men", "waria", "women", "men", "women"]


def test_a_point_of_order_takes_the_floor_next_on_its_own_shorter_clock() -> None:
    listed = SpeakersList("c", "i")
    rules = Rules(speaking_seconds=120, point_of_order_seconds=30)
    first = listed.add(person(1), SpeakerKind.SPEECH)
    listed.add(person(2), SpeakerKind.SPEECH)
    assert listed.call_next(NOW, rules).id == first.id
    point = listed.add(person(3), SpeakerKind.POINT_OF_ORDER)
    taken = listed.call_next(NOW + timedelta(seconds=100), rules)
    assert taken.id == point.id and taken.limit_seconds == 30
    assert listed.entry(first.id).status is SpeakerStatus.DONE
    assert taken.remaining(NOW + timedelta(seconds=140)) == -10  # ten seconds over


def test_one_waiting_speech_per_delegate_but_a_point_of_order_besides() -> None:
    listed = SpeakersList("c", "i")
    listed.add(person(1), SpeakerKind.SPEECH)
    with pytest.raises(AlreadyOnList):
        listed.add(person(1), SpeakerKind.SPEECH)
    listed.add(person(1), SpeakerKind.POINT_OF_ORDER)
    assert len(listed.entries) == 2


def test_observers_may_speak_but_the_absent_may_not_be_listed() -> None:
    listed = SpeakersList("c", "i")
    listed.add(person(1, voting_right=False), SpeakerKind.SPEECH)  # peninjau: speaks
    absent = Delegate("d9", "c", 9, "Alias 9", "Bali", "east")
    with pytest.raises(NotPresent):
        listed.add(absent, SpeakerKind.SPEECH)
    with pytest.raises(NoSpeakerWaiting):
        SpeakersList("c", "j").call_next(NOW, Rules())
