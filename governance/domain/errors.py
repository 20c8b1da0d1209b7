"""Refusals with stable codes; web/errors.py maps each code to an HTTP status and a message."""

from __future__ import annotations

from collections.abc import Sequence


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
    """This card already cast a ballot in this poll (whatever the choice sent now)."""

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


class ObserverKeyTaken(DomainError):
    """This congress already registered the key under another observer's label."""

    code = "observer_key_taken"


class BodyTooDeep(InvalidInput):
    """A JSON body nested deeper than any request here needs."""

    code = "body_too_deep"


class InvalidText(InvalidInput):
    """A name or text holds direction-control, control or invisible characters, or is too long."""

    code = "invalid_text"


class ResultNotReady(DomainError):
    code = "result_not_ready"


class RosterInvalid(InvalidInput):
    """A delegate file with problems; nothing from it was written."""

    code = "roster_invalid"

    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


class DelegateNotFound(NotFound):
    code = "delegate_not_found"


class DelegateInUse(DomainError):
    code = "delegate_in_use"


class CardsAlreadyIssued(DomainError):
    """Every delegate already holds an identity card (re-issue one by its number instead)."""

    code = "cards_already_issued"


class OfficialCardOnServer(DomainError):
    """An official's identity card (chair, secretariat, observer) is re-issued or revoked only
    with `suara cards reissue` on the server, never at the web card desk (issue 18)."""

    code = "official_card_on_server"


class VotingCardsKnown(DomainError):
    """A voting card in the list is already registered: a list is registered once, whole."""

    code = "voting_cards_known"


class PositionNotFound(NotFound):
    code = "position_not_found"


class NominationNotFound(NotFound):
    code = "nomination_not_found"


class NominationsClosed(DomainError):
    code = "nominations_closed"


class NotEligible(DomainError):
    code = "not_eligible"


class AlreadyNominated(DomainError):
    code = "already_nominated"


class OwnNomination(DomainError):
    """Seconding a nomination one made, or one of oneself."""

    code = "own_nomination"


class AlreadySeconded(DomainError):
    code = "already_seconded"


class TooFewSeconders(DomainError):
    code = "too_few_seconders"


class NoConsent(DomainError):
    """The candidate has not accepted the nomination."""

    code = "no_consent"


class ConstraintsInfeasible(DomainError):
    code = "constraints_infeasible"


class TooFewCandidates(DomainError):
    code = "too_few_candidates"


class RankingGap(InvalidChoice):
    code = "ranking_gap"


class RankingDuplicate(InvalidChoice):
    code = "ranking_duplicate"


class TooFewChoices(InvalidChoice):
    code = "too_few_choices"


class TooManyChoices(InvalidChoice):
    code = "too_many_choices"


class BatchNotFound(NotFound):
    code = "batch_not_found"


class SameConfirmer(DomainError):
    """A paper batch must be confirmed by someone other than who entered it."""

    code = "same_confirmer"


class BatchAlreadyConfirmed(DomainError):
    code = "batch_already_confirmed"


class BatchesPending(DomainError):
    code = "batches_pending"


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
