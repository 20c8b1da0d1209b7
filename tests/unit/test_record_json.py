"""The sequencer splices a record's canonical JSON instead of parsing and writing it again."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from governance.adapters.event_log import hashed_record, record_json
from governance.domain.results import canonical_json
from governance.records import canon

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
texts = st.text()  # quotes, backslashes, control and non-Latin characters included


@given(
    seq=st.integers(min_value=1, max_value=2**62),
    id=texts,
    congress_id=st.none() | texts,
    type=texts,
    version=st.integers(min_value=0, max_value=1000),
    payload=st.dictionaries(st.text(), json_values, max_size=6),
    occurred_at=st.none() | texts,
)
def test_the_spliced_record_is_exactly_the_canonical_json_of_the_record(
    seq: int,
    id: str,
    congress_id: str | None,
    type: str,
    version: int,
    payload: dict[str, Any],
    occurred_at: str | None,
) -> None:
    stored = canonical_json(payload)  # how event_row stores every payload
    record = hashed_record(seq, id, congress_id, type, version, stored, occurred_at)
    assert record_json(seq, id, congress_id, type, version, stored, occurred_at) == (
        canonical_json(record)
    )


@given(
    poll_id=texts,
    ballots=st.lists(
        st.tuples(texts, st.lists(st.integers(min_value=0, max_value=10**6), max_size=8)),
        max_size=20,
    ),
)
def test_the_written_out_board_is_exactly_the_canonical_json_of_the_board(
    poll_id: str, ballots: list[tuple[str, list[int]]]
) -> None:
    rows = [{"receipt": r, "choices": list(c)} for r, c in sorted(ballots)]
    body = {"format": canon.BOARD_FORMAT, "poll_id": poll_id, "ballots": rows}
    assert canon.board_bytes(poll_id, ballots) == (canonical_json(body) + "\n").encode()
