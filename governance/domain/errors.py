"""Refusals with stable codes; web/errors.py maps each code to an HTTP status and a message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused a command; nothing was changed."""

    code = "refused"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        # Numbers a reader needs to understand the refusal (e.g. a quorum); never secrets.
        self.params: dict[str, int | str] = {}


class NotFound(DomainError):
    code = "not_found"


class PollNotFound(NotFound):
    code = "poll_not_found"


class CongressNotFound(NotFound):
    code = "congress_not_found"


class PollNotOpen(DomainError):
    code = "poll_not_open"


class PollAlreadyOpen(DomainError):
    code = "poll_already_open"


class PollNotClosed(DomainError):
    code = "poll_not_closed"


class InvalidChoice(DomainError):
    code = "invalid_choice"


class BallotAlreadyCast(DomainError):
    """This card already cast a different ballot in this poll."""

    code = "ballot_already_cast"


class InvalidCredentials(DomainError):
    """Unknown, malformed, revoked and wrong codes all look the same from outside."""

    code = "invalid_credentials"


class WrongCongress(DomainError):
    code = "wrong_congress"


class NotAllowed(DomainError):
    code = "not_allowed"


class InvalidInput(DomainError):
    code = "invalid_input"


class InvalidText(InvalidInput):
    """A name or text holds direction-control, control or invisible characters, or is too long."""

    code = "invalid_text"


class ResultNotReady(DomainError):
    code = "result_not_ready"


class CosignaturesMissing(DomainError):
    """The poll needs more observer signatures on its closing checkpoint before publishing."""

    code = "cosignatures_missing"


class InvalidSignature(DomainError):
    """A co-signature that does not verify, or a key that is not registered."""

    code = "invalid_signature"


class CheckpointMissing(DomainError):
    code = "checkpoint_missing"


class CongressStillRunning(DomainError):
    """Purging needs every poll of the congress closed."""

    code = "congress_still_running"


class BoardWithheld(DomainError):
    """Fewer ballots than the disclosure minimum: the board and counts stay unpublished."""

    code = "board_withheld"


class QuorumNotMet(DomainError):
    """Too few delegates present to open a vote that needs a quorum; carries the numbers."""

    code = "quorum_not_met"

    def __init__(self, present: int, required: int, entitled: int) -> None:
        super().__init__(f"quorum not met: {present} present, {required} required of {entitled}")
        self.params = {"present": present, "required": required, "entitled": entitled}
