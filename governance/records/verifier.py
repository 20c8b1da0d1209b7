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

# What a malformed record (a field of the wrong type, a missing key) raises while checked:
# such a file is reported as unreadable (exit 2), never as verified.
UNREADABLE = (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError)


@dataclass
class Report:
    """What was checked: one line per check, and whether it held."""

    lines: list[tuple[bool, str]] = field(default_factory=list)
    # What the verdict covers: the whole congress, or one poll of it ("poll ID only").
    scope: str = "every poll of the congress"

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
        # A hidden event carries no type or congress: it may be this congress's own (a
        # check-in, a nomination, an identity card) or another congress's on the server.
        report.ok(
            f"hash chain: {len(events)} events from the genesis to seq {len(events)}, every link "
            f"and hash recomputed ({redacted} events not published in full, such as check-ins "
            "and nominations of this or another congress on the server: checked by link only)"
        )
    by_seq = {int(e["seq"]): e for e in events if isinstance(e.get("seq"), int)}
    return Log(list(events), by_seq, len(events))


def check_congress(record: Mapping[str, Any], log: Log, report: Report) -> None:
    """The congress's id is the one its checkpoints sign; its name, the one it was created with."""
    congress = record["congress"]
    created = [
        e
        for e in log.events
        if e.get("type") == "congress.created" and e.get("congress_id") == congress["id"]
    ]
    if len(created) != 1 or created[0]["payload"].get("name") != congress.get("name"):
        report.fail(
            f"congress name {congress.get('name')!r} differs from its congress.created event "
            "in the log (or that event is missing)"
        )
    else:
        report.ok(
            f"congress {congress['name']} (id {congress['id']}), as created at seq "
            f"{created[0]['seq']}"
        )


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
    single: bool = False,
) -> None:
    """Checkpoints an observer kept earlier must still hold: otherwise a rollback or a fork.

    A kept checkpoint of a poll this record leaves out is a dropped poll, except in the
    record of a single poll, where it is said not to be checked.
    """
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
        elif cp.get("poll_id") is not None and cp.get("poll_id") not in polls:
            if single:
                report.ok(f"kept {_name(cp)}: that poll is not in this record (not checked)")
            else:
                report.fail(f"DROPPED POLL: kept {_name(cp)}, but this record leaves the poll out")
        elif str(cp.get("signature")) not in held and (
            cp.get("poll_id") is None or cp.get("poll_id") in polls
        ):
            report.fail(f"ROLLBACK: kept {_name(cp)} is missing from this record's checkpoints")
        else:
            report.ok(f"kept {_name(cp)} is consistent with this record")


def check_observers(
    record: Mapping[str, Any], public: str, log: Log, report: Report
) -> dict[str, set[str]]:
    """Observer keys and co-signatures; returns, per closing checkpoint id, the fingerprints
    of the registered observers whose signature on it is valid (each observer once)."""
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
    valid: dict[str, set[str]] = {}
    for cosig in record["cosignatures"]:
        observer = keys.get(cosig["fingerprint"])
        cp = checkpoints.get(cosig["checkpoint_id"])
        if observer is None or cp is None or cp.get("kind") != "close":
            report.fail(f"co-signature by {cosig['fingerprint']}: unknown observer or checkpoint")
            continue
        message = canon.checkpoint_message(cp)
        signers = valid.setdefault(cp["id"], set())
        if not canon.signature_valid(observer["public_key"], message, cosig["signature"]):
            report.fail(f"co-signature by observer {observer['label']} on {_name(cp)}: invalid")
        elif observer["fingerprint"] in signers:
            report.fail(f"co-signature by observer {observer['label']} on {_name(cp)}: repeated")
        else:
            signers.add(observer["fingerprint"])
            report.ok(f"co-signature by observer {observer['label']} on {_name(cp)}")
    return valid


def check_cosignatures(
    record: Mapping[str, Any], log: Log, valid: Mapping[str, set[str]], report: Report
) -> None:
    """Every co-signature the log records is in the record, and a published result has the
    number of co-signatures its poll required (the number in its poll.created event)."""
    by_poll = {
        cp.get("poll_id"): cp["id"] for cp in record["checkpoints"] if cp.get("kind") == "close"
    }
    polls = {p["id"]: p for p in record["polls"]}
    for e in log.events:
        if e.get("type") != "checkpoint.cosigned" or e["payload"].get("poll_id") not in polls:
            continue
        poll_id, fp = e["payload"]["poll_id"], e["payload"].get("fingerprint")
        if fp not in valid.get(by_poll.get(poll_id, ""), set()):
            report.fail(
                f"poll {poll_id}: the co-signature by {fp} logged at seq {e['seq']} is missing "
                "from the record or invalid"
            )
    for poll in record["polls"]:
        created = [
            e
            for e in log.events
            if e.get("type") == "poll.created" and e["payload"].get("poll_id") == poll["id"]
        ]
        logged = created[0]["payload"].get("required_cosignatures") if len(created) == 1 else None
        # Logs written before the poll.created event carried the number: the record's word.
        required = int(poll.get("required_cosignatures") or 0) if logged is None else int(logged)
        source = "in the log" if logged is not None else "as the record states (not in the log)"
        if not required:
            continue
        have = len(valid.get(by_poll.get(poll["id"], ""), set()))
        published = any(
            e.get("type") == "result.published" and e["payload"].get("poll_id") == poll["id"]
            for e in log.events
        )
        text = f"{have} of {required} required observer co-signatures ({source})"
        if published and have < required:
            report.fail(f"poll {poll['id']}: result published with only {text}")
        elif published:
            report.ok(f"poll {poll['id']}: result published after {text}")
        else:
            report.ok(f"poll {poll['id']}: result not published (per the log); {text}")


def check_polls_present(record: Mapping[str, Any], log: Log, report: Report) -> bool:
    """Every poll of the congress that the log or a signed checkpoint names is in the record,
    unless the record is that of a single poll; returns whether it is (its scope is printed).

    A record says `"scope": "poll"` (one poll's record) or `"congress"`; a record without
    `scope` (written before it existed) with a single poll is taken as that poll's record.
    """
    congress_id = record["congress"]["id"]
    entries = [p["id"] for p in record["polls"]]
    logged = [
        str(e["payload"]["poll_id"])
        for e in log.events
        if e.get("congress_id") == congress_id
        and isinstance(e.get("payload"), Mapping)
        and e["payload"].get("poll_id")
    ]
    signed = [cp["poll_id"] for cp in record["checkpoints"] if cp.get("poll_id")]
    scope = record.get("scope")
    single = len(entries) == 1 and scope != "congress"
    for poll_id in dict.fromkeys(signed):
        if poll_id not in entries:
            report.fail(f"DROPPED POLL: poll {poll_id} has signed checkpoints but no entry")
    missing = [p for p in dict.fromkeys(logged) if p not in entries]
    if single:
        report.scope = f"record of poll {entries[0]} only"
        others = f": {', '.join(missing)}" if missing else ""
        report.ok(
            f"{report.scope}; {len(missing)} other polls of this congress in the log are not "
            f"in it and were not checked{others}"
        )
    else:
        for poll_id in missing:
            report.fail(f"DROPPED POLL: poll {poll_id} is in the log but not in this record")
        if not missing:
            report.ok(f"all {len(entries)} polls of the congress in the log are in this record")
    return single


def verify(record: Mapping[str, Any], known: Sequence[Mapping[str, Any]] = ()) -> Report:
    """Run every check on a parsed record; `known` are checkpoints the observer kept."""
    report = Report()
    if record.get("format") != canon.RECORD_FORMAT or record.get("version") != canon.RECORD_VERSION:
        report.fail(f"format: expected {canon.RECORD_FORMAT} version {canon.RECORD_VERSION}")
        return report
    report.ok(f"format {canon.RECORD_FORMAT} version {canon.RECORD_VERSION}")
    log = check_chain(record["events"], report)
    check_congress(record, log, report)
    public = check_key(record, report)
    check_checkpoints(record, public, log, report)
    single = check_polls_present(record, log, report)
    check_known(record, known, public, log, report, single)
    valid = check_observers(record, public, log, report)
    check_cosignatures(record, log, valid, report)
    # Only this congress's events: a record shows no other congress's in full.
    own = [e for e in log.events if e.get("congress_id") == record["congress"]["id"]]
    for poll in record["polls"]:
        check_poll(record, poll, own, report)
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
    except UNREADABLE as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        print(f"suara verify: {path} is not a readable Suara record: {reason}", file=sys.stderr)
        return 2
    print(report.render(), file=out)
    failures = report.failures
    summary = (
        f"{len(report.lines) - len(failures)} checks held, {len(failures)} failed ({report.scope})"
    )
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
