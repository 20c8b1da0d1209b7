"""Motions from the floor: seconders, admission, musyawarah first, amendments before motions."""

from __future__ import annotations

import pytest

from governance.domain.agenda import AgendaItem, clock, time_plan
from governance.domain.delegates import Delegate
from governance.domain.errors import InvalidInput
from governance.domain.floor_motions import Floor, MotionStatus
from governance.domain.plenary_errors import (
    AmendmentsPending,
    MotionAlreadySeconded,
    MotionNotOpen,
    MotionUnseconded,
    MusyawarahFirst,
    NamedVoteNotProcedural,
    NoVotingRight,
    OwnMotion,
)


def person(n: int, voting_right: bool = True) -> Delegate:
    return Delegate(
        f"d{n}", "c", n, f"Alias {n}", "Bali", "east", voting_right=voting_right, present=True
    )


def seconded(floor: Floor, motion_id: str, *people: int) -> None:
    for n in people:
        floor.second(motion_id, person(n))


def test_a_motion_needs_the_seconders_the_rules_ask_before_the_chair_admits_it() -> None:
    floor = Floor("c")
    motion = floor.table(person(1), "Batasi waktu bicara", "Tiga menit per pembicara.")
    floor.second(motion.id, person(2))
    with pytest.raises(MotionUnseconded) as refused:
        floor.admit(motion.id, "item", required=2)
    assert refused.value.params == {"count": 1, "required": 2}
    assert motion.status is MotionStatus.TABLED and motion.item_id is None
    floor.second(motion.id, person(3))
    floor.admit(motion.id, "item", required=2)
    assert motion.status is MotionStatus.ADMITTED and motion.item_id == "item"


def test_seconding_is_by_another_voting_delegate_once() -> None:
    floor = Floor("c")
    motion = floor.table(person(1), "Usul", "Teks.")
    with pytest.raises(OwnMotion):
        floor.second(motion.id, person(1))
    floor.second(motion.id, person(2))
    with pytest.raises(MotionAlreadySeconded):
        floor.second(motion.id, person(2))
    with pytest.raises(NoVotingRight):
        floor.second(motion.id, person(4, voting_right=False))  # a peninjau speaks, no more
    with pytest.raises(NoVotingRight):
        floor.table(person(4, voting_right=False), "Usul", "Teks.")
    assert motion.seconders == ("d2",)


def test_musyawarah_comes_first_and_amendments_are_voted_before_their_motion() -> None:
    floor = Floor("c")
    motion = floor.table(person(1), "Usul", "Kongres berikut di Makassar.", procedural=False)
    amendment = floor.table(
        person(2), "", "Kongres berikut di Kupang.", amends=motion.id, kind="replace"
    )
    for m in (motion, amendment):
        seconded(floor, m.id, 3, 4)
    floor.admit(motion.id, "item", required=2)
    floor.admit(amendment.id, "ignored", required=2)
    assert amendment.item_id == "item"  # an amendment goes where its motion is
    with pytest.raises(MusyawarahFirst):
        floor.vote_on(motion.id, named=False)
    floor.deliberate(motion.id, consensus=False, note="Tidak mufakat")
    with pytest.raises(AmendmentsPending) as pending:
        floor.vote_on(motion.id, named=False)
    assert pending.value.params == {"numbers": "2"}
    title, text = floor.vote_on(amendment.id, named=False)
    assert title.startswith("Usul perubahan 2 atas usul 1") and text.endswith("Kupang.")
    floor.voting(amendment.id, "poll-a")
    floor.settle(amendment.id, "adopted")
    title, text = floor.vote_on(motion.id, named=False)
    assert text == "Kongres berikut di Kupang."  # the motion as amended
    with pytest.raises(NamedVoteNotProcedural):
        floor.vote_on(motion.id, named=True)


def test_consensus_decides_the_motion_with_the_amendments_it_takes_up() -> None:
    floor = Floor("c")
    motion = floor.table(person(1), "Usul", "Paragraf satu.", procedural=True)
    added = floor.table(person(2), "", "Paragraf dua.", amends=motion.id, kind="add")
    unseconded = floor.table(person(3), "", "Tidak didukung.", amends=motion.id, kind="replace")
    for m in (motion, added):
        seconded(floor, m.id, 4, 5)
    floor.admit(motion.id, "item", required=2)
    floor.admit(added.id, "item", required=2)
    with pytest.raises(InvalidInput):
        floor.deliberate(motion.id, consensus=True, note="", accepted=(unseconded.id,))
    floor.deliberate(motion.id, consensus=True, note="Mufakat", accepted=(added.id,))
    assert (motion.status, motion.how) == (MotionStatus.ADOPTED, "consensus")
    assert motion.current_text == "Paragraf satu.\n\nParagraf dua."
    assert unseconded.status is MotionStatus.LAPSED
    with pytest.raises(MotionNotOpen):
        floor.table(person(6), "", "Terlambat.", amends=motion.id, kind="add")


def test_a_vote_without_quorum_decides_nothing_and_the_motion_waits_again() -> None:
    floor = Floor("c")
    motion = floor.table(person(1), "Usul", "Teks.")
    seconded(floor, motion.id, 2, 3)
    floor.admit(motion.id, "item", required=2)
    floor.deliberate(motion.id, consensus=False, note="")
    floor.voting(motion.id, "poll")
    assert floor.pending_polls() == {"poll": motion.id}
    floor.settle(motion.id, "no_quorum")
    assert motion.status is MotionStatus.NO_CONSENSUS and motion.poll_id is None


def test_the_time_plan_follows_each_item_from_the_one_before() -> None:
    items = [
        AgendaItem("a", "c", "Pleno I", "plenary", "Tata tertib", "09:00", 45, 1),
        AgendaItem("b", "c", "Pleno I", "plenary", "Pimpinan sidang", "", 30, 2),
        AgendaItem("c", "c", "Pleno I", "plenary", "Istirahat", "", 0, 3),
        AgendaItem("d", "c", "Pleno II", "plenary", "Laporan", "13:30", 60, 4),
    ]
    plan = time_plan(items)
    assert (plan["a"].starts, plan["a"].ends) == ("09:00", "09:45")
    assert (plan["b"].starts, plan["b"].ends) == ("09:45", "10:15")
    assert (plan["c"].starts, plan["c"].ends) == ("10:15", "")
    assert (plan["d"].starts, plan["d"].ends) == ("13:30", "14:30")
    assert clock("9.05") == "09:05"
    with pytest.raises(InvalidInput):
        clock("25:00")
