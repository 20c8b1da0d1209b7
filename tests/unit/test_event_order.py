from __future__ import annotations

import json
from types import SimpleNamespace

from governance.adapters.event_log import (
    GENESIS,
    StoredEvent,
    _batch_order,
    chain_hash,
    hashed_record,
    verify_chain,
)


def row(id: str, type: str, poll: str, at: str | None) -> SimpleNamespace:
    payload = json.dumps({"poll_id": poll})
    return SimpleNamespace(id=id, type=type, occurred_at=at, payload=payload, poll_id=poll)


def test_a_batch_is_sequenced_in_time_order_and_same_moments_by_id() -> None:
    rows = [
        row("f", "poll.closed", "p", "2026-01-01T10:00:02"),
        row("a", "result.computed", "p", "2026-01-01T10:00:03"),
        row("b", "poll.opened", "q", "2026-01-01T10:00:00"),
        row("c", "poll.opened", "p", "2026-01-01T10:00:00"),
    ]
    assert [r.id for r in _batch_order(rows)] == ["b", "c", "f", "a"]


def chain(n: int) -> list[StoredEvent]:
    items, prev = [], GENESIS
    for seq in range(1, n + 1):
        payload = {"poll_id": "p", "n": seq}
        record = hashed_record(seq, f"id{seq}", "c", "x", 1, json.dumps(payload), None)
        digest = chain_hash(prev, record)
        items.append(StoredEvent(f"id{seq}", seq, "c", "x", 1, payload, None, prev, digest))
        prev = digest
    return items


def test_an_intact_chain_verifies() -> None:
    assert verify_chain(chain(5)) == []


def test_a_changed_payload_is_reported_with_its_position() -> None:
    items = chain(5)
    items[2] = StoredEvent(**(vars(items[2]) | {"payload": {"poll_id": "p", "n": 99}}))
    assert verify_chain(items) == ["event 3: hash does not match its content"]


def test_a_deleted_event_breaks_the_chain_at_the_next_one() -> None:
    items = chain(5)
    del items[1]
    problems = verify_chain(items)
    assert problems and problems[0].startswith("event 3")
