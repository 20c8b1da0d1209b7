"""Build the election record of a congress (or of one poll) in the format of RECORD_FORMAT.md."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from governance.adapters.queries import Queries
from governance.adapters.tables import congresses
from governance.adapters.trust_queries import TrustQueries
from governance.domain.errors import CongressNotFound, PollNotFound
from governance.domain.polls import Poll, PollStatus
from governance.domain.rules_json import rule_to_json
from governance.records import canon
from governance.service_layer.trust import congress_public_key

# Event types published in full; any other event (check-ins, other congresses, types added
# later) keeps only its hash links, so a record never says who came when.
PUBLIC_TYPES = frozenset(
    {
        "congress.created",
        "delegates.imported",
        "voting_cards.registered",
        "poll.created",
        "poll.opened",
        "ballot.cast",  # logs from before migration 0008 only
        "poll.closed",
        "result.computed",
        "tally.failed",
        "result.published",
        "observer.registered",
        "named_vote.cast",  # open votes are public by design; a random delegate id, no alias
        "checkpoint.cosigned",
        "congress.purged",
        # Corrections (issues 14 and 18): why a poll has no result, and who decided it.
        "poll.held",
        "paper_batch.voided",
        "poll.annulled",
    }
)


# For a poll with fewer ballots than the disclosure minimum, these events would show its
# turnout (the closing snapshot; older logs: one event per ballot): only their hash links stay.
SMALL_POLL_TYPES = frozenset({"poll.closed", "ballot.cast", "named_vote.cast", "poll.held"})


def _shown(event: Any, congress_id: str, small_polls: set[str]) -> bool:
    if event.congress_id != congress_id or event.type not in PUBLIC_TYPES:
        return False
    return not (event.type in SMALL_POLL_TYPES and event.payload.get("poll_id") in small_polls)


def _events(queries: Queries, congress_id: str, small_polls: set[str]) -> list[dict[str, Any]]:
    """The whole log up to its head; other events keep only their hash links."""
    out: list[dict[str, Any]] = []
    after = 0
    while batch := queries.events(after=after, limit=5000):
        for e in batch:
            if _shown(e, congress_id, small_polls):
                out.append(
                    {
                        "seq": e.seq,
                        "id": e.id,
                        "congress_id": e.congress_id,
                        "type": e.type,
                        "version": e.version,
                        "payload": e.payload,
                        "occurred_at": e.occurred_at,
                        "prev_hash": e.prev_hash,
                        "hash": e.hash,
                    }
                )
            else:
                out.append(
                    {"seq": e.seq, "redacted": True, "prev_hash": e.prev_hash, "hash": e.hash}
                )
        after = batch[-1].seq
    return out


def _poll(queries: Queries, trust: TrustQueries, poll: Poll, min_group: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": poll.id,
        "title": poll.title,
        "description": poll.description,
        "method": poll.method,
        "options": list(poll.options),
        "seats": poll.seats,
        "named": poll.named,
        "status": poll.status.value,
        "seed": poll.seed,
        "required_cosignatures": poll.required_cosignatures,
        # What the count needs besides the board: the frozen rule, group bounds and limits.
        "rule": rule_to_json(poll.rule),
        "constraints": [dict(c) for c in poll.constraints],
        "min_selections": poll.min_selections,
        "max_selections": poll.max_selections,
        "opened_snapshot": poll.opened_snapshot,
        "closed_snapshot": poll.closed_snapshot,
        "board": None,
        "result": None,
    }
    board = trust.board(poll.id) if poll.status is PollStatus.CLOSED else None
    if board is None:
        return entry
    cast = int(poll.closed_snapshot.get("ballots", 0)) if poll.named else len(board.rows)
    small = cast < min_group
    if small:
        entry["closed_snapshot"] = None
    entry["board"] = {
        "sha256": board.sha256,
        "withheld": small,
        "document": None if small else json.loads(board.body),
    }
    result = queries.result(poll.id)
    if result is not None:
        entry["result"] = {
            "outcome": result.outcome,
            "digest": result.digest,
            "published": result.published,
            "withheld": small,
            "data": None if small else result.data,
        }
    return entry


def build_record(
    queries: Queries,
    trust: TrustQueries,
    secret_key: str,
    congress_id: str,
    poll_id: str | None = None,
    min_group: int = 5,
) -> dict[str, Any]:
    """The election record as a JSON-ready dict: everything an observer needs to verify."""
    congress = queries.congress(congress_id)
    if congress is None:
        raise CongressNotFound()
    polls = queries.polls(congress_id)
    if poll_id is not None:
        polls = [p for p in polls if p.id == poll_id]
        if not polls:
            raise PollNotFound()
    wanted = {p.id for p in polls}
    entries = [_poll(queries, trust, p, min_group) for p in polls]
    every = (
        entries
        if poll_id is None
        else [_poll(queries, trust, p, min_group) for p in queries.polls(congress_id)]
    )
    small_polls = {e["id"] for e in every if e["board"] and e["board"]["withheld"]}
    public, fp = congress_public_key(secret_key, congress_id)
    events = _events(queries, congress_id, small_polls)
    logged_observers = {
        e["payload"]["fingerprint"] for e in events if e.get("type") == "observer.registered"
    }
    checkpoints = [
        cp.public()
        for cp in trust.checkpoints(congress_id)
        if cp.poll_id is None or cp.poll_id in wanted
    ]
    cosignatures = [
        {"checkpoint_id": c.checkpoint_id, "fingerprint": c.fingerprint, "signature": c.signature}
        for c in trust.cosignatures(congress_id)
        if any(cp["id"] == c.checkpoint_id for cp in checkpoints)
    ]
    return {
        "format": canon.RECORD_FORMAT,
        "version": canon.RECORD_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "congress": {"id": congress.id, "slug": congress.slug, "name": congress.name},
        "signing_key": {"algorithm": "ed25519", "public_key": public, "fingerprint": fp},
        "min_group": min_group,
        # One poll's record, or the whole congress's: the verifier fails a congress record
        # that leaves out a poll the log names, and says which polls a poll record skips.
        "scope": "congress" if poll_id is None else "poll",
        # Only observers whose registration is already in the (sequenced) log.
        "observers": [
            {"label": o.label, "public_key": o.public_key, "fingerprint": o.fingerprint}
            for o in trust.observers(congress_id)
            if o.fingerprint in logged_observers
        ],
        "polls": entries,
        "events": events,
        "checkpoints": checkpoints,
        "cosignatures": cosignatures,
    }


def record_bytes(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()


def congress_ids(engine: sa.engine.Engine) -> list[str]:
    with engine.connect() as conn:
        return [r for (r,) in conn.execute(sa.select(congresses.c.id).order_by(congresses.c.id))]


def export_record(
    queries: Queries,
    trust: TrustQueries,
    secret_key: str,
    min_group: int,
    congress_id: str | None,
    poll_id: str | None,
) -> bytes:
    """The record of one poll, or of a whole congress, as the bytes `suara verify` reads.

    Raises PollNotFound for an unknown poll and CongressNotFound when neither id names one.
    """
    if poll_id:
        poll = queries.poll(poll_id)
        if poll is None:
            raise PollNotFound()
        congress_id = poll.congress_id
    if not congress_id:
        raise CongressNotFound()
    record = build_record(queries, trust, secret_key, congress_id, poll_id, min_group)
    return record_bytes(record)


def write_records(
    queries: Queries,
    trust: TrustQueries,
    secret_key: str,
    min_group: int,
    congress_id: str,
    out_dir: Path,
) -> list[Path]:
    """One record per closed poll (`poll-<id>.json`) and one for the congress
    (`congress-<id>.json`) in OUT_DIR; `suara rehearse --out DIR` calls this.

    Closed polls need their closing checkpoint signed first: run the relay and actors (or
    the embedded worker) until every poll's close is in the log and checkpointed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for poll in queries.polls(congress_id):
        if poll.status.value == "closed":
            path = out_dir / f"poll-{poll.id}.json"
            path.write_bytes(export_record(queries, trust, secret_key, min_group, None, poll.id))
            written.append(path)
    path = out_dir / f"congress-{congress_id}.json"
    path.write_bytes(export_record(queries, trust, secret_key, min_group, congress_id, None))
    return [*written, path]
