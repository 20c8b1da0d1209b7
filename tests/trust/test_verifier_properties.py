"""Property: any single change to a record's board, log or checkpoints is reported."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance.adapters.record_export import build_record, record_bytes
from governance.bootstrap import bootstrap
from governance.migrations.runner import upgrade
from governance.records.verifier import verify
from tests.conftest import FAST_HASHER, make_settings
from tests.trust.helpers import Driver, voted_poll

Record = dict[str, Any]


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Record:
    folder: Path = tmp_path_factory.mktemp("record")
    url = f"sqlite:///{folder / 'suara.sqlite3'}"
    upgrade(url)
    app = bootstrap(make_settings(folder, url), hasher=FAST_HASHER)
    driver = Driver(app)
    c, _ = voted_poll(app, driver, [0, 1, 2, 0, 0, 1, 0, 2])
    driver.close()
    built = build_record(app.queries, app.trust, app.settings.secret_key, c.id)
    app.dispose()
    parsed: Record = json.loads(record_bytes(built))
    return parsed


def test_the_untouched_record_verifies(record: Record) -> None:
    assert verify(record).failures == []


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_single_change_of_a_ballot_event_or_checkpoint_is_reported(
    record: Record, data: st.DataObject
) -> None:
    changed = copy.deepcopy(record)
    target = data.draw(st.sampled_from(["ballot", "event", "checkpoint", "swap"]))
    if target == "ballot":
        rows = changed["polls"][0]["board"]["document"]["ballots"]
        row = data.draw(st.sampled_from(rows))
        field = data.draw(st.sampled_from(["receipt", "choices"]))
        row[field] = "0000-0000-0000-0000" if field == "receipt" else [(row["choices"][0] + 1) % 3]
    elif target == "event":
        event = data.draw(st.sampled_from(changed["events"]))
        # A redacted event is only a hash link: its seq and hash are all there is to change.
        content = [] if event.get("redacted") else ["type", "occurred_at", "payload"]
        fields = ["seq", "hash", *content]
        field = data.draw(st.sampled_from(fields))
        event[field] = {"seq": -1, "type": "x", "occurred_at": "2000", "payload": {}, "hash": "0"}[
            field
        ]
    elif target == "checkpoint":
        cp = data.draw(st.sampled_from(changed["checkpoints"]))
        field = data.draw(st.sampled_from(["seq", "head", "signed_at", "board_sha256", "kind"]))
        cp[field] = {"seq": 1, "head": "f" * 64, "signed_at": "2001", "kind": "periodic"}.get(
            field, "e" * 64
        )
    else:
        events = changed["events"]
        i = data.draw(st.integers(0, len(events) - 2))
        events[i], events[i + 1] = events[i + 1], events[i]
    assert verify(changed).failures
