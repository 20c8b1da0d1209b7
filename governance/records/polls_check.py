"""Per-poll checks of a record: definition, snapshots, board, receipts, cards and recount."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol

from governance.records import canon
from governance.tally import (
    GroupConstraint,
    MajorityRule,
    TallyInput,
    TallyInputError,
    tally,
)


class Findings(Protocol):
    def ok(self, text: str) -> None: ...
    def fail(self, text: str) -> None: ...


Event = Mapping[str, Any]


def _of_poll(events: Sequence[Event], poll_id: str, kind: str) -> list[Event]:
    return [
        e
        for e in events
        if e.get("type") == kind and e.get("payload", {}).get("poll_id") == poll_id
    ]


def closing_checkpoint(record: Mapping[str, Any], poll_id: str) -> Mapping[str, Any] | None:
    """The poll's closing checkpoint in the record (its signature is checked with the others)."""
    return next(
        (
            cp
            for cp in record["checkpoints"]
            if cp.get("poll_id") == poll_id and cp.get("kind") == "close"
        ),
        None,
    )


def logged_status(
    record: Mapping[str, Any], poll: Mapping[str, Any], events: Sequence[Event]
) -> str:
    """The poll's status as the log and the signed checkpoints tell it, not as the entry does."""
    signed = {cp.get("kind") for cp in record["checkpoints"] if cp.get("poll_id") == poll["id"]}
    closed = any(_of_poll(events, poll["id"], k) for k in ("poll.closed", "result.computed"))
    if closed or "close" in signed:
        return "closed"
    if _of_poll(events, poll["id"], "poll.opened") or "open" in signed:
        return "open"
    return str(poll["status"])


def withheld_by_signature(record: Mapping[str, Any], poll: Mapping[str, Any]) -> bool | None:
    """Whether the signed closing checkpoint withholds the poll's count (it signs `ballots:
    null` below the disclosure minimum); None when the record has no closing checkpoint."""
    closing = closing_checkpoint(record, poll["id"])
    return None if closing is None else closing.get("ballots") is None


def check_definition(
    record: Mapping[str, Any], poll: Mapping[str, Any], events: Sequence[Event], out: Findings
) -> bool:
    name = f"poll {poll['id']}"
    created = _of_poll(events, poll["id"], "poll.created")
    expected = {"title": poll["title"], "method": poll["method"], "options": poll["options"]}
    if (
        len(created) != 1
        or {k: created[0]["payload"].get(k) for k in expected} != expected
        or bool(created[0]["payload"].get("named", False)) != bool(poll.get("named"))
    ):
        out.fail(f"{name}: its definition differs from the poll.created event in the log")
        return False
    logged = created[0]["payload"].get("required_cosignatures")
    if logged is not None and logged != poll.get("required_cosignatures", 0):
        out.fail(f"{name}: its required co-signatures differ from the poll.created event")
        return False
    status = logged_status(record, poll, events)
    if status != poll["status"]:
        out.fail(
            f"{name}: marked {poll['status']}, but the log and its signed checkpoints say "
            f"{status} (checked as {status})"
        )
    opened = _of_poll(events, poll["id"], "poll.opened")
    if status != "draft" and (
        len(opened) != 1
        or opened[0]["payload"].get("seed") != poll["seed"]
        or opened[0]["payload"].get("snapshot") != poll["opened_snapshot"]
    ):
        out.fail(f"{name}: its seed or opening snapshot differs from the log")
        return False
    closed = _of_poll(events, poll["id"], "poll.closed")
    claimed = bool(poll.get("board") and poll["board"].get("withheld"))
    signed = withheld_by_signature(record, poll)
    if status == "closed" and claimed and signed is False:
        closing = closing_checkpoint(record, poll["id"]) or {}
        out.fail(
            f"{name}: marked withheld, but the signed closing checkpoint counts "
            f"{closing.get('ballots')} ballots: its board and counts must be in the record"
        )
        return False
    withheld = claimed and bool(signed)
    if (
        status == "closed"
        and not withheld
        and (
            len(closed) != 1
            or closed[0]["payload"].get("snapshot") != poll["closed_snapshot"]
            or not isinstance(poll["closed_snapshot"], Mapping)
        )
    ):
        out.fail(f"{name}: its closing snapshot differs from the log")
        return False
    out.ok(f"{name} ({poll['title']}): definition, seed and snapshots match the log")
    return True


def board_rows(poll: Mapping[str, Any], out: Findings) -> list[tuple[str, tuple[int, ...]]]:
    """The board's rows; reports a non-canonical order or bytes that miss the digest."""
    name = f"poll {poll['id']}"
    document = poll["board"]["document"]
    rows = [(str(b["receipt"]), tuple(int(c) for c in b["choices"])) for b in document["ballots"]]
    good = True
    for i in range(1, len(rows)):
        if rows[i - 1][0] >= rows[i][0]:
            out.fail(
                f"{name}: board rows {i} and {i + 1} (receipts {rows[i - 1][0]}, {rows[i][0]}) "
                "are out of order or repeated (a ballot was moved or duplicated)"
            )
            good = False
    body = canon.board_bytes(poll["id"], rows)
    if document.get("poll_id") != poll["id"] or canon.sha256_hex(body) != poll["board"]["sha256"]:
        out.fail(
            f"{name}: the board does not hash to its published sha256 "
            "(a ballot was changed, removed or added)"
        )
        good = False
    if good:
        out.ok(
            f"{name}: board of {len(rows)} ballots, sorted by receipt, "
            f"sha256 {poll['board']['sha256']}"
        )
    return rows


def _closed_at(events: Sequence[Event], poll_id: str) -> int:
    closed = _of_poll(events, poll_id, "poll.closed")
    return int(closed[0]["seq"]) if closed else 0


def _check_receipt_events(
    name: str,
    rows: Sequence[tuple[str, tuple[int, ...]]],
    events: Sequence[Event],
    poll_id: str,
    out: Findings,
) -> None:
    """Records from before migration 0008 logged a `ballot.cast` event per ballot, no digest."""
    cast = _of_poll(events, poll_id, "ballot.cast")
    logged = Counter(str(e["payload"]["receipt"]) for e in cast)
    on_board = Counter(r for r, _ in rows)
    missing = sorted((logged - on_board).elements())
    extra = sorted((on_board - logged).elements())
    for receipt in missing:
        out.fail(f"{name}: receipt {receipt} is in the log but not on the board (ballot removed)")
    for receipt in extra:
        out.fail(f"{name}: receipt {receipt} is on the board but not in the log (ballot inserted)")
    opened = _of_poll(events, poll_id, "poll.opened")
    low = opened[0]["seq"] if opened else 0
    high = _closed_at(events, poll_id)
    outside = [e["seq"] for e in cast if not low < e["seq"] < high]
    if outside:
        out.fail(f"{name}: ballot events at seq {outside} lie outside the poll's open period")
    if not missing and not extra and not outside:
        out.ok(f"{name}: all {len(rows)} board receipts match the ballot events in the log")


def check_receipts(
    poll: Mapping[str, Any],
    rows: Sequence[tuple[str, tuple[int, ...]]],
    events: Sequence[Event],
    out: Findings,
) -> None:
    name = f"poll {poll['id']}"
    logged = poll["closed_snapshot"].get("receipts_sha256")
    if logged is not None:
        # The close logged a digest of the receipts (the closing snapshot, which
        # check_definition holds equal to the poll.closed event in the chain).
        if canon.receipts_sha256(r for r, _ in rows) == logged:
            out.ok(f"{name}: the {len(rows)} board receipts match the digest logged at the close")
        else:
            out.fail(
                f"{name}: the board's receipts differ from the digest logged at the close "
                "(a ballot was removed, inserted or its receipt changed)"
            )
    else:
        _check_receipt_events(name, rows, events, poll["id"], out)
    high = _closed_at(events, poll["id"])
    if len(rows) != poll["closed_snapshot"].get("ballots"):
        out.fail(f"{name}: {len(rows)} ballots on the board, the closing snapshot says otherwise")
    cards = sum(
        int(e["payload"].get("count", 0))
        for e in events
        if e.get("type") == "voting_cards.registered" and e["seq"] < high
    )
    if len(rows) > cards:
        out.fail(
            f"{name}: {len(rows)} ballots but only {cards} voting cards were registered "
            "before the close"
        )
    else:
        out.ok(f"{name}: {len(rows)} ballots <= {cards} voting cards registered before the close")


def named_rows(
    poll: Mapping[str, Any], events: Sequence[Event], out: Findings
) -> list[tuple[str, tuple[int, ...]]]:
    """An open (named) vote is recounted from its `named_vote.cast` events in the log."""
    name = f"poll {poll['id']}"
    options = list(poll["options"])
    cast = _of_poll(events, poll["id"], "named_vote.cast")
    rows: list[tuple[str, tuple[int, ...]]] = [
        (str(e["payload"].get("delegate_id")), (options.index(e["payload"]["choice"]),))
        for e in cast
        if e["payload"].get("choice") in options
    ]
    voters = [r for r, _ in rows]
    if poll["board"]["document"]["ballots"]:
        out.fail(f"{name}: an open (named) vote has secret ballots on its board")
    if len(rows) != len(cast) or len(set(voters)) != len(voters):
        out.fail(f"{name}: a named vote names an unknown option or a delegate twice")
    elif len(rows) != poll["closed_snapshot"].get("ballots"):
        out.fail(f"{name}: {len(rows)} named votes in the log, the closing snapshot says otherwise")
    else:
        out.ok(f"{name}: open (named) vote: {len(rows)} votes in the log, one per delegate")
    return rows


def check_closing_checkpoint(
    record: Mapping[str, Any], poll: Mapping[str, Any], events: Sequence[Event], out: Findings
) -> None:
    name = f"poll {poll['id']}"
    closing = closing_checkpoint(record, poll["id"])
    if closing is None:
        out.fail(f"{name}: no signed closing checkpoint")
    elif closing.get("board_sha256") != poll["board"]["sha256"]:
        out.fail(f"{name}: the board differs from the one the closing checkpoint signed")
    elif any(
        e["seq"] > int(closing.get("seq", 0)) for e in _of_poll(events, poll["id"], "poll.closed")
    ):
        out.fail(f"{name}: the closing checkpoint was signed before the poll's close was logged")
    else:
        out.ok(f"{name}: the board is the one fixed by the signed closing checkpoint")


def check_withheld(record: Mapping[str, Any], poll: Mapping[str, Any], out: Findings) -> bool:
    """Whether the poll is withheld: only when its signed closing checkpoint withholds the
    count (it signs `ballots: null` below the disclosure minimum). A claim the signature
    contradicts already failed in `check_definition`; one without a closing checkpoint is
    not honoured (the poll is checked as a published one, and its missing board fails)."""
    if not (poll["board"].get("withheld") and withheld_by_signature(record, poll)):
        return False
    out.ok(
        f"poll {poll['id']}: board and counts withheld, as the signed closing checkpoint "
        "says (fewer ballots than the server's disclosure minimum); recount not possible "
        "by design"
    )
    return True


def check_signed_count(
    record: Mapping[str, Any], poll: Mapping[str, Any], count: int, out: Findings
) -> None:
    """The closing checkpoint signs the number of ballots (of named votes for an open vote)."""
    closing = closing_checkpoint(record, poll["id"])
    signed = None if closing is None else closing.get("ballots")
    if signed is not None and signed != count:
        out.fail(
            f"poll {poll['id']}: {count} ballots counted, the signed closing checkpoint "
            f"says {signed}"
        )


def _rule(data: Mapping[str, Any] | None) -> MajorityRule | None:
    """The poll's frozen majority rule as the record states it (fractions as "2/3")."""
    if not data:
        return None
    quorum, count = data.get("quorum"), data.get("quorum_count")
    return MajorityRule(
        fraction=Fraction(str(data.get("fraction", "1/2"))),
        strict=bool(data.get("strict", True)),
        base=data.get("base", "valid"),
        abstentions_in_base=bool(data.get("abstentions_in_base", False)),
        blanks_in_base=bool(data.get("blanks_in_base", False)),
        quorum=None if quorum is None else Fraction(str(quorum)),
        quorum_strict=bool(data.get("quorum_strict", False)),
        quorum_count=None if count is None else int(count),
        name=str(data.get("name", "")),
    )


def _groups(data: Sequence[Mapping[str, Any]]) -> tuple[GroupConstraint, ...]:
    """Group bounds on the options (e.g. at least one winner per region)."""
    return tuple(
        GroupConstraint(
            str(c["name"]),
            frozenset(int(m) for m in c["members"]),
            int(c.get("minimum", 0)),
            None if c.get("maximum") is None else int(c["maximum"]),
        )
        for c in data
    )


def recount(poll: Mapping[str, Any], rows: Sequence[tuple[str, tuple[int, ...]]]) -> dict[str, Any]:
    """The same computation as the server's count: the frozen snapshot through the tally."""
    snapshot = poll["closed_snapshot"]
    grouped = Counter(choices for _, choices in rows)
    result = tally(
        TallyInput(
            method=poll["method"],
            candidates=tuple(poll["options"]),
            ballots=tuple(sorted(grouped.items())),
            seats=poll["seats"],
            electorate=snapshot.get("entitled"),
            present=snapshot.get("present"),
            seed=poll["seed"],
            rule=_rule(poll.get("rule")),
            constraints=_groups(poll.get("constraints") or ()),
            min_selections=int(poll.get("min_selections") or 0),
            max_selections=poll.get("max_selections"),
        )
    )
    data = result.to_dict()
    data["snapshot"] = dict(snapshot)
    return data


def _one(events: Sequence[Event], poll_id: str, kind: str) -> Event | None:
    found = _of_poll(events, poll_id, kind)
    return found[0] if len(found) == 1 else None


def check_result_present(
    record: Mapping[str, Any], poll: Mapping[str, Any], events: Sequence[Event], out: Findings
) -> bool:
    """A closed poll's result is in the record whenever the log or a signature implies it.

    The server signs a poll's closing checkpoint only once its count is settled (a result,
    or a logged `tally.failed`), so a signed close with neither means the result was removed.
    Returns whether there is a result to check.
    """
    name = f"poll {poll['id']}"
    computed = _of_poll(events, poll["id"], "result.computed")
    if poll.get("result") is not None:
        return True
    failed = _of_poll(events, poll["id"], "tally.failed")
    # A poll held beyond the paper-ballot bound, or annulled by two officials, is never
    # counted: the server signs its close without a result (both are public, signed events).
    stopped = _of_poll(events, poll["id"], "poll.annulled") or _of_poll(
        events, poll["id"], "poll.held"
    )
    if computed:
        out.fail(
            f"{name}: the record has no result, but the log holds one "
            f"(result.computed at seq {computed[0]['seq']})"
        )
    elif failed:
        out.ok(
            f"{name}: the count failed, as the log says at seq {failed[0]['seq']}: "
            f"{failed[0]['payload'].get('reason')}"
        )
    elif stopped:
        why = "annulled" if stopped[0]["type"] == "poll.annulled" else "held"
        out.ok(
            f"{name}: not counted: {why} by the log at seq {stopped[0]['seq']}"
            + (f" ({stopped[0]['payload'].get('reason')})" if why == "annulled" else "")
        )
    elif closing_checkpoint(record, poll["id"]) is not None:
        out.fail(
            f"{name}: the record has no result, but its closing checkpoint is signed only once "
            "the count is settled (the result and its log event were removed)"
        )
    else:
        out.fail(f"{name}: not counted yet, so nothing of its result can be verified")
    return False


def check_logged_result(
    poll: Mapping[str, Any], events: Sequence[Event], out: Findings
) -> Event | None:
    """The result's digest, outcome and publication equal the log's. Returns the
    result.computed event, or None when the digest differs (nothing else to compare)."""
    name = f"poll {poll['id']}"
    result = poll["result"]
    computed = _one(events, poll["id"], "result.computed")
    if computed is None or computed["payload"].get("digest") != result["digest"]:
        out.fail(f"{name}: the result's digest differs from the result.computed event in the log")
        return None
    if computed["payload"].get("outcome") != result.get("outcome"):
        out.fail(
            f"{name}: the record's outcome {result.get('outcome')!r} differs from the "
            f"result.computed event in the log ({computed['payload'].get('outcome')!r})"
        )
    published = bool(_of_poll(events, poll["id"], "result.published"))
    if bool(result.get("published")) != published:
        said = "published" if result.get("published") else "not published"
        out.fail(
            f"{name}: the record says the result was {said}, the log says it was "
            f"{'published' if published else 'not published'}"
        )
    return computed


def check_result(
    poll: Mapping[str, Any],
    rows: Sequence[tuple[str, tuple[int, ...]]],
    events: Sequence[Event],
    out: Findings,
) -> None:
    name = f"poll {poll['id']}"
    result = poll["result"]
    computed = check_logged_result(poll, events, out)
    if computed is None:
        return
    try:
        data = recount(poll, rows)
    except (TallyInputError, ValueError) as error:
        out.fail(f"{name}: the board cannot be recounted: {error}")
        return
    mine = canon.canonical_json(data)
    if (
        mine != canon.canonical_json(result["data"])
        or canon.sha256_hex(mine.encode()) != result["digest"]
    ):
        out.fail(f"{name}: the recount differs from the published result and transcript")
        return
    if data["outcome"] != computed["payload"].get("outcome"):
        out.fail(f"{name}: the recount's outcome differs from the result.computed event")
        return
    out.ok(
        f"{name}: recounted {len(rows)} ballots with {poll['method']}: "
        f"{data['outcome']}, transcript identical"
    )


def check_withheld_result(poll: Mapping[str, Any], events: Sequence[Event], out: Findings) -> None:
    """A withheld poll's outcome is not recountable: it is the one its log event states."""
    computed = check_logged_result(poll, events, out)
    if computed is not None:
        out.ok(
            f"poll {poll['id']}: outcome {computed['payload']['outcome']}, as logged at seq "
            f"{computed['seq']} (not recountable: withheld)"
        )


def check_poll(
    record: Mapping[str, Any], poll: Mapping[str, Any], events: Sequence[Event], out: Findings
) -> None:
    if not check_definition(record, poll, events, out):
        return
    if logged_status(record, poll, events) != "closed":
        return
    board = poll.get("board")
    if board is None:
        out.fail(f"poll {poll['id']}: closed but its board is missing")
        return
    check_closing_checkpoint(record, poll, events, out)
    if check_withheld(record, poll, out):
        if check_result_present(record, poll, events, out):
            check_withheld_result(poll, events, out)
        return
    if not isinstance(board.get("document"), Mapping) or not isinstance(
        poll.get("closed_snapshot"), Mapping
    ):
        out.fail(f"poll {poll['id']}: its board or closing snapshot is missing")
        return
    if poll.get("named"):
        rows = named_rows(poll, events, out)
    else:
        rows = board_rows(poll, out)
        check_receipts(poll, rows, events, out)
    check_signed_count(record, poll, len(rows), out)
    if check_result_present(record, poll, events, out):
        check_result(poll, rows, events, out)
