"""Handlers for trust: signing checkpoints, registering observers, accepting co-signatures.

The congress signing key is derived from the server secret and the congress id
(HMAC-SHA256 -> Ed25519 seed), so every process that shares SUARA_SECRET_KEY signs with the
same key and no private key is ever stored; only its public half is published.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from governance.domain import codes
from governance.domain.commands import (
    AddCosignature,
    PurgeCongress,
    RegisterObserver,
    SignCheckpoint,
    SignPeriodicCheckpoints,
)
from governance.domain.errors import (
    CheckpointMissing,
    CongressStillRunning,
    InvalidInput,
    InvalidSignature,
    ObserverKeyTaken,
    PollNotClosed,
    PollNotFound,
)
from governance.domain.events import CheckpointCosigned, CongressPurged, ObserverRegistered
from governance.domain.polls import Poll, PollStatus
from governance.domain.text import clean_name
from governance.domain.trust import Checkpoint
from governance.records import canon
from governance.service_layer.handlers import Clock, _retrying, utcnow
from governance.service_layer.ports import UnitOfWork, UnitOfWorkFactory

HEX_KEY = re.compile(r"^[0-9a-f]{64}$")
HEX_SIGNATURE = re.compile(r"^[0-9a-f]{128}$")
EVENT_OF_KIND = {"open": "poll.opened", "close": "poll.closed"}


def congress_key(secret_key: str, congress_id: str) -> Ed25519PrivateKey:
    """The congress's Ed25519 key, derived (never stored) from the server secret."""
    seed = hmac.new(
        secret_key.encode(), b"suara-congress-signing-key/1:" + congress_id.encode(), hashlib.sha256
    ).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def congress_public_key(secret_key: str, congress_id: str) -> tuple[str, str]:
    """(public key hex, fingerprint) of a congress's signing key."""
    public = canon.public_key_hex(congress_key(secret_key, congress_id))
    return public, canon.fingerprint(public)


def _sign(uow: UnitOfWork, secret_key: str, draft: Checkpoint) -> Checkpoint:
    key = congress_key(secret_key, draft.congress_id)
    signature = canon.sign(key, canon.checkpoint_message(draft.signed_fields()))
    signed = Checkpoint(**(draft.public() | {"signature": signature}))
    uow.trust.add_checkpoint(signed)
    return signed


def sign_checkpoint(
    cmd: SignCheckpoint,
    uow_factory: UnitOfWorkFactory,
    secret_key: str,
    clock: Clock = utcnow,
    min_group: int = 5,
) -> bool:
    """Sign a poll's opening or closing checkpoint once; False when it already exists."""

    if cmd.kind == "close" and not _rewrite_ballots(cmd.poll_id, uow_factory):
        return False

    def attempt() -> bool:
        with uow_factory() as uow:
            poll = uow.polls.get(cmd.poll_id)
            if poll is None:
                raise PollNotFound()
            if uow.trust.checkpoint(f"{poll.id}:{cmd.kind}") is not None:
                return False
            if cmd.kind == "close" and poll.status is not PollStatus.CLOSED:
                raise PollNotClosed()
            if cmd.kind == "close" and not _count_settled(uow, poll):
                return False  # an event of the count or publication brings the poll back
            if not uow.trust.sequenced(poll.id, EVENT_OF_KIND[cmd.kind]):
                raise CheckpointMissing("the event is not in the log yet")
            seq, head = uow.trust.head()
            board_sha256, count = None, None
            if cmd.kind == "close":
                board = uow.trust.board(poll.id)
                board_sha256 = canon.sha256_hex(canon.board_bytes(poll.id, board))
                # Turnout below the disclosure minimum is not published, not even signed;
                # the verifier accepts a withheld board only when this count is null. An
                # open (named) vote has no secret ballots: its count is of named votes.
                cast = int(poll.closed_snapshot.get("ballots", 0)) if poll.named else len(board)
                count = cast if cast >= min_group else None
            draft = Checkpoint(
                codes.new_id(), poll.congress_id, poll.id, cmd.kind, seq, head,
                board_sha256, count, _stamp(clock()), "",
            )  # fmt: skip
            _sign(uow, secret_key, draft)
            uow.commit()
            return True

    done: bool = _retrying(3, attempt)
    return done


def _rewrite_ballots(poll_id: str, uow_factory: UnitOfWorkFactory) -> bool:
    """Before a close is signed: rewrite the poll's ballot rows in random-id order and leave
    nothing of their first writing in the database's files; False when the close is not to
    be signed now (signed already, or the count not settled).

    Then neither the rows' storage order, nor PostgreSQL row versions (xmin), nor SQLite
    cell offsets inside B-tree pages, nor dead row versions, freed pages or the write-ahead
    log say in which order or at which moment the ballots were cast. The close is signed only
    after this returned, so a signed close means rewritten rows: a failure or a crash in
    between leaves the close unsigned, the sweeper sends it again and the rewrite (harmless
    to repeat: no ballot joins a closed poll) runs again. The count does not wait for it.
    """
    with uow_factory() as uow:
        poll = uow.polls.get(poll_id)
        if poll is None:
            raise PollNotFound()
        if uow.trust.checkpoint(f"{poll.id}:close") is not None:
            return False
        if poll.status is not PollStatus.CLOSED:
            raise PollNotClosed()
        if not _count_settled(uow, poll):
            return False  # an event of the count or publication brings the poll back
        uow.ballots.rewrite_in_random_order(poll.id)
        uow.commit()
    uow.compact("ballots")
    return True


def _count_settled(uow: UnitOfWork, poll: Poll) -> bool:
    """Whether a poll's close may be signed now: once its count failed, or its result is
    published or waits for people (observers' co-signatures, or the chair's word).

    Not beside the count and the publication: rewriting the rows and compacting the store
    (_rewrite_ballots), then reading and hashing the board, take the CPU from them, and on
    SQLite the single writer, for about a second each at 100,000 ballots. Observers co-sign
    this checkpoint, so a result that needs their co-signatures to be published does not wait
    for its publication.
    """
    if poll.tally_error or not poll.counts:
        return True  # failed, held beyond the bound, or annulled: no count will come
    result = uow.results.get(poll.id)
    if result is None:
        return False
    return result.is_published or not poll.auto_publish or poll.required_cosignatures > 0


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def sign_periodic_checkpoints(
    cmd: SignPeriodicCheckpoints,
    uow_factory: UnitOfWorkFactory,
    secret_key: str,
    clock: Clock = utcnow,
) -> int:
    """While polls are open, sign the head every so often (when it has moved)."""
    signed = 0
    now = clock()
    with uow_factory() as uow:
        seq, head = uow.trust.head()
        for congress_id in uow.trust.congresses_with_open_polls():
            latest = uow.trust.latest_checkpoint(congress_id)
            if latest is not None and (
                latest.seq == seq
                or (now - datetime.fromisoformat(latest.signed_at)).total_seconds() < cmd.every_s
            ):
                continue
            draft = Checkpoint(
                codes.new_id(), congress_id, None, "periodic", seq, head, None, None,
                _stamp(now), "",
            )  # fmt: skip
            _sign(uow, secret_key, draft)
            signed += 1
        uow.commit()
    return signed


def register_observer(cmd: RegisterObserver, uow_factory: UnitOfWorkFactory) -> str:
    """Register an observer's public key; returns its fingerprint (idempotent)."""
    public = cmd.public_key.strip().lower()
    if not HEX_KEY.match(public):
        raise InvalidInput("the public key must be 64 hexadecimal characters")
    if not cmd.label.strip() or len(cmd.label.strip()) > 100:
        raise InvalidInput("the observer needs a label of 1 to 100 characters")
    label = clean_name(cmd.label, field="label", max_length=100)
    fp = canon.fingerprint(public)
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise InvalidInput("no such congress")
        # Keys are registered per congress: one congress can no longer take another's key.
        known = uow.trust.observer_label(cmd.congress_id, fp)
        if known is not None and known != label:
            raise ObserverKeyTaken(f"registered here as {known}")
        if known is None:
            uow.trust.add_observer(cmd.congress_id, label, public, fp)
            uow.record(
                ObserverRegistered(
                    congress_id=cmd.congress_id, label=label, public_key=public, fingerprint=fp
                )
            )
            uow.commit()
    return fp


def add_cosignature(cmd: AddCosignature, uow_factory: UnitOfWorkFactory) -> bool:
    """Store an observer's valid signature over the closing checkpoint; False if a repeat."""
    public = cmd.public_key.strip().lower()
    signature = cmd.signature.strip().lower()
    if not HEX_KEY.match(public) or not HEX_SIGNATURE.match(signature):
        raise InvalidSignature("malformed key or signature")
    with uow_factory() as uow:
        poll = uow.polls.get(cmd.poll_id)
        if poll is None:
            raise PollNotFound()
        closing = uow.trust.checkpoint(f"{poll.id}:close")
        if closing is None:
            raise CheckpointMissing()
        fp = canon.fingerprint(public)
        if uow.trust.observer_key(poll.congress_id, fp) != public:
            raise InvalidSignature("this key is not registered for the congress")
        message = canon.checkpoint_message(closing.signed_fields())
        if not canon.signature_valid(public, message, signature):
            raise InvalidSignature("the signature does not verify")
        added = uow.trust.add_cosignature(closing.id, fp, signature)
        if added:
            uow.record(
                CheckpointCosigned(congress_id=poll.congress_id, poll_id=poll.id, fingerprint=fp)
            )
            uow.commit()
        return added


def purge_congress(cmd: PurgeCongress, uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    """Remove delegates, identity and voting cards, nominations and named votes, and
    replace ballot nullifiers at random; then compact the whole database, so that the
    removed rows are not left readable in its files either.

    Boards, results, the event log and checkpoints stay, so every record still verifies.
    StorageUnavailable after the removal when the files could not be compacted now (a
    second purge does it).
    """
    with uow_factory() as uow:
        if uow.congresses.get(cmd.congress_id) is None:
            raise InvalidInput("no such congress")
        if uow.trust.congresses_with_open_polls().count(cmd.congress_id):
            raise CongressStillRunning("close every open poll first")
        removed = uow.trust.purge_identity(cmd.congress_id)
        uow.record(CongressPurged(congress_id=cmd.congress_id))
        uow.commit()
    uow.compact()
    return removed
