from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from governance.adapters.event_log import StoredEvent
from web.live import Message, public_messages, resume_position, turnout_messages


def stored(seq: int, type: str, **payload: object) -> StoredEvent:
    return StoredEvent(
        id=f"e{seq}",
        seq=seq,
        congress_id="c",
        type=type,
        version=1,
        payload={"congress_id": "c", **payload},
        occurred_at=None,
        prev_hash="",
        hash="",
    )


def test_only_status_changes_leave_the_log_and_never_a_receipt() -> None:
    batch = [
        stored(1, "ballot.cast", poll_id="p", receipt="AAAA-BBBB-CCCC-DDDD"),
        stored(2, "poll.closed", poll_id="p", snapshot={"present": 5}),
        stored(3, "result.computed", poll_id="p", outcome="adopted", digest="x"),
        stored(4, "delegate.checked_in", delegate_id="d"),
    ]
    messages = public_messages(batch)
    # A check-in reaches live pages only as the bare fact that the plenary changed.
    assert messages == [Message(2, "poll.closed", {"poll_id": "p"}), Message(4, "plenary", {})]
    encoded = "".join(m.encode() for m in messages)
    assert "AAAA" not in encoded and "present" not in encoded and '"d"' not in encoded


def test_turnout_is_sent_when_it_changes_and_withheld_counts_stay_withheld() -> None:
    first = turnout_messages(9, {"p": None, "q": 6}, {})
    assert first == [
        Message(9, "turnout", {"poll_id": "p", "turnout": None}),
        Message(9, "turnout", {"poll_id": "q", "turnout": 6}),
    ]
    assert turnout_messages(9, {"p": None, "q": 6}, {"p": None, "q": 6}) == []
    assert turnout_messages(10, {"p": 5, "q": 6}, {"p": None, "q": 6}) == [
        Message(10, "turnout", {"poll_id": "p", "turnout": 5})
    ]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                ["ballot.cast", "poll.opened", "poll.closed", "result.computed", "tally.failed"]
            ),
            st.sampled_from(["p1", "p2"]),
            st.text(alphabet="ABCDEFGH0123456789", min_size=8, max_size=8),
        ),
        max_size=30,
    )
)
def test_a_streamed_message_holds_only_a_poll_id(
    events: list[tuple[str, str, str]],
) -> None:
    batch = [stored(i + 1, t, poll_id=p, receipt=r, reason=r) for i, (t, p, r) in enumerate(events)]
    messages = public_messages(batch)
    assert [m.id for m in messages] == sorted({m.id for m in messages})
    for message in messages:
        assert set(message.data) == {"poll_id"}
        assert message.event in {"poll.opened", "poll.closed", "result.published"}
        assert json.loads(message.encode().split("data: ", 1)[1]) == message.data


def test_only_a_plain_number_resumes_a_stream() -> None:
    assert resume_position("42") == 42
    assert resume_position(" 7 ") == 7
    assert resume_position(None) is None
    assert resume_position("-1") is None
    assert resume_position("1e9") is None
    assert resume_position("9" * 19) is None


def test_plenary_changes_are_forwarded_without_their_payload() -> None:
    batch = [
        stored(1, "speakers.changed", item_id="i", speaker_id="s", change="added"),
        stored(2, "sitting.suspended", reason="Kuorum tidak terpenuhi", minutes=15),
        stored(3, "floor_motion.changed", motion_id="m", change="tabled"),
    ]
    messages = public_messages(batch)
    assert [(m.id, m.event, m.data) for m in messages] == [
        (1, "plenary", {}),
        (2, "plenary", {}),
        (3, "plenary", {}),
    ]
    assert "Kuorum" not in "".join(m.encode() for m in messages)
