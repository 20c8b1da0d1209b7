"""Verify an election record offline: chain, signatures, boards, recounts and rollbacks.

Runs with the standard library, `cryptography` and `governance.tally` (the same counting code
the server uses; numpy is loaded only for polls with 2,000 or more ballots). Usage:
    python -m governance.records.verifier RECORD.json [--known OLDER_OR_NEWER_RECORD.json]
Exit status: 0 when every check holds, 1 when any fails, 2 when the file cannot be read.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from governance.records import canon
from governance.records.polls_check import check_poll


@dataclass
class Report:
    """What was checked: one line per check, and whether it held."""

    lines: list[tuple[bool, str]] = field(default_factory=list)

    def ok(self, text: str) -> None:
        self.lines.append((True, text))

    def fail(self, text: str) -> None:
        self.lines.append((False, text))

    @property
    def failures(self) -> list[str]:
        return [text for good, text in self.lines if not good]

    def render(self) -> str:
        return "\n".join(("OK    " if good else "FAIL  ") + text for good, text in self.lines)


@dataclass
class Log:
    """The record's event log, indexed for the checks."""

    events: list[Mapping[str, Any]]
    by_seq: dict[int, Mapping[str, Any]]
    head_seq: int


def check_chain(events: Sequence[Mapping[str, Any]], report: Report) -> Log:
    prev = canon.GENESIS
    problems = 0
    redacted = 0
    for position, event in enumerate(events, start=1):
        seq = event.get("seq")
        where = f"event at position {position} (seq {seq}, {event.get('type', 'redacted')})"
        if seq != position:
            report.fail(
                f"{where}: expected seq {position}: an event was deleted, inserted or moved"
            )
            problems += 1
        if event.get("prev_hash") != prev:
            report.fail(
                f"{where}: its previous-hash link is broken (the log was altered before it)"
            )
            problems += 1
        if event.get("redacted"):
            redacted += 1
        elif canon.chain_hash(prev, canon.event_record(event)) != event.get("hash"):
            report.fail(f"{where}: its content does not match its hash (the event was changed)")
            problems += 1
        prev = str(event.get("hash"))
    if not problems:
        report.ok(
            f"hash chain: {len(events)} events from the genesis to seq {len(events)}, every link "
            f"and hash recomputed ({redacted} events of other congresses checked by link only)"
        )
    by_seq = {int(e["seq"]): e for e in events if isinstance(e.get("seq"), int)}
    return Log(list(events), by_seq, len(events))


def check_key(record: Mapping[str, Any], report: Report) -> str:
    key = record["signing_key"]
    public = str(key["public_key"])
    if canon.fingerprint(public) != key.get("fingerprint"):
        report.fail("signing key: the fingerprint does not belong to the public key")
    else:
        report.ok(f"congress signing key (Ed25519), fingerprint {key['fingerprint']}")
    return public


def checkpoint_problem(
    cp: Mapping[str, Any], public: str, congress_id: str, log: Log
) -> str | None:
    """Why a signed checkpoint does not hold against this record's log (None when it does)."""
    if not canon.signature_valid(public, canon.checkpoint_message(cp), str(cp.get("signature"))):
        return "its signature does not verify (forged or altered)"
    if cp.get("congress_id") != congress_id:
        return "it was signed for another congress (replayed)"
    seq = int(cp.get("seq", -1))
    if seq > log.head_seq:
        return f"it covers seq {seq}, beyond this log's head {log.head_seq} (rolled back or cut)"
    at = log.by_seq.get(seq)
    expected = at.get("hash") if at else canon.GENESIS
    if expected != cp.get("head"):
        return f"its head does not match the log at seq {seq} (replayed, or the log was forked)"
    return None


def _name(cp: Mapping[str, Any]) -> str:
    poll = f" of poll {cp['poll_id']}" if cp.get("poll_id") else ""
    return f"{cp.get('kind')} checkpoint{poll} at seq {cp.get('seq')} ({cp.get('signed_at')})"


def check_checkpoints(record: Mapping[str, Any], public: str, log: Log, report: Report) -> None:
    congress_id = record["congress"]["id"]
    seen = Counter((cp.get("poll_id"), cp.get("kind")) for cp in record["checkpoints"])
    for cp in record["checkpoints"]:
        problem = checkpoint_problem(cp, public, congress_id, log)
        if problem:
            report.fail(f"{_name(cp)}: {problem}")
        elif cp.get("kind") != "periodic" and seen[(cp.get("poll_id"), cp.get("kind"))] > 1:
            report.fail(f"{_name(cp)}: more than one such checkpoint (one was replayed)")
        else:
            report.ok(f"{_name(cp)}: signature valid, head matches the log")


def check_known(
    record: Mapping[str, Any],
    known: Sequence[Mapping[str, Any]],
    public: str,
    log: Log,
    report: Report,
) -> None:
    """Checkpoints an observer kept earlier must still hold: otherwise a rollback or a fork."""
    congress_id = record["congress"]["id"]
    held = {str(cp.get("signature")) for cp in record["checkpoints"]}
    polls = {p["id"] for p in record["polls"]}
    for cp in known:
        if cp.get("congress_id") != congress_id:
            continue
        if not canon.signature_valid(
            public, canon.checkpoint_message(cp), str(cp.get("signature"))
        ):
            report.fail(f"kept {_name(cp)}: not signed by this congress's key")
            continue
        problem = checkpoint_problem(cp, public, congress_id, log)
        if problem:
            report.fail(f"ROLLBACK OR FORK: kept {_name(cp)}: {problem}")
        elif str(cp.get("signature")) not in held and (
            cp.get("poll_id") is None or cp.get("poll_id") in polls
        ):
            report.fail(f"ROLLBACK: kept {_name(cp)} is missing from this record's checkpoints")
        else:
            report.ok(f"kept {_name(cp)} is consistent with this record")


def check_observers(record: Mapping[str, Any], public: str, log: Log, report: Report) -> None:
    registered = {
        (e["payload"]["public_key"], e["payload"]["label"])
        for e in log.events
        if e.get("type") == "observer.registered"
    }
    keys: dict[str, Mapping[str, Any]] = {}
    for observer in record["observers"]:
        if (observer["public_key"], observer["label"]) not in registered:
            report.fail(f"observer {observer['label']}: key not registered in the log")
        elif canon.fingerprint(observer["public_key"]) != observer["fingerprint"]:
            report.fail(f"observer {observer['label']}: fingerprint does not match the key")
        else:
            keys[observer["fingerprint"]] = observer
    checkpoints = {cp["id"]: cp for cp in record["checkpoints"]}
    for cosig in record["cosignatures"]:
        observer = keys.get(cosig["fingerprint"])
        cp = checkpoints.get(cosig["checkpoint_id"])
        if observer is None or cp is None or cp.get("kind") != "close":
            report.fail(f"co-signature by {cosig['fingerprint']}: unknown observer or checkpoint")
            continue
        message = canon.checkpoint_message(cp)
        if canon.signature_valid(observer["public_key"], message, cosig["signature"]):
            report.ok(f"co-signature by observer {observer['label']} on {_name(cp)}")
        else:
            report.fail(f"co-signature by observer {observer['label']} on {_name(cp)}: invalid")


def verify(record: Mapping[str, Any], known: Sequence[Mapping[str, Any]] = ()) -> Report:
    """Run every check on a parsed record; `known` are checkpoints the observer kept."""
    report = Report()
    if record.get("format") != canon.RECORD_FORMAT or record.get("version") != canon.RECORD_VERSION:
        report.fail(f"format: expected {canon.RECORD_FORMAT} version {canon.RECORD_VERSION}")
        return report
    report.ok(
        f"format {canon.RECORD_FORMAT} version {canon.RECORD_VERSION}, "
        f"congress {record['congress']['name']}"
    )
    log = check_chain(record["events"], report)
    public = check_key(record, report)
    check_checkpoints(record, public, log, report)
    check_known(record, known, public, log, report)
    check_observers(record, public, log, report)
    for poll in record["polls"]:
        check_poll(record, poll, log.events, report)
    return report


def load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def kept_checkpoints(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Checkpoints from a kept file: a whole record, or {"checkpoints": [...]}, or a list."""
    if isinstance(data, list):
        return list(data)
    return list(data.get("checkpoints", []))


def run(path: str, known_path: str | None = None, out: Any = None) -> int:
    out = out or sys.stdout
    try:
        record = load(path)
        known = kept_checkpoints(load(known_path)) if known_path else []
        report = verify(record, known)
    except (OSError, ValueError, KeyError, TypeError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        print(f"suara verify: {path} is not a readable Suara record: {reason}", file=sys.stderr)
        return 2
    print(report.render(), file=out)
    failures = report.failures
    summary = f"{len(report.lines) - len(failures)} checks held, {len(failures)} failed"
    print(("RECORD VERIFIED: " if not failures else "RECORD NOT VERIFIED: ") + summary, file=out)
    return 0 if not failures else 1


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Verify a Suara election record.")
    parser.add_argument("record")
    parser.add_argument("--known", help="a record or checkpoint list you kept earlier")
    args = parser.parse_args(argv)
    return run(args.record, args.known)


if __name__ == "__main__":
    sys.exit(main())
