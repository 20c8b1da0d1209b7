"""Refusals of the election procedure (issue 14): runoffs, ties, exclusive positions.

Each has a stable code that web/errors.py maps to a status and an Indonesian message; what a
reader needs (a position's title, an alias) travels in `params`.
"""

from __future__ import annotations

from governance.domain.errors import DomainError


class PositionInUse(DomainError):
    """Nominations have begun (or a poll ran): the position is no longer edited or deleted."""

    code = "position_in_use"


class PositionReferenced(DomainError):
    """Another position is filled "among those elected to" this one, or proposed by it."""

    code = "position_referenced"


class AmongUndecided(DomainError):
    """Nominations open only once the position the candidates come from is decided."""

    code = "among_undecided"

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.params = {"title": title}


class HoldsExclusive(DomainError):
    """The rules of procedure let one person hold only one exclusive position."""

    code = "holds_exclusive"

    def __init__(self, alias: str, title: str) -> None:
        super().__init__(f"{alias}: {title}")
        self.params = {"alias": alias, "title": title}


class ExclusivePending(DomainError):
    """A candidate still stands for another exclusive position that is not decided yet."""

    code = "exclusive_pending"

    def __init__(self, alias: str, title: str) -> None:
        super().__init__(f"{alias}: {title}")
        self.params = {"alias": alias, "title": title}


class NotProposer(DomainError):
    """Only a person elected to the proposing position (the board chair) proposes here."""

    code = "not_proposer"

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.params = {"title": title}


class ElectionStep(DomainError):
    """This step does not follow from where the position's election is now."""

    code = "election_step"


class LotSeedFirst(DomainError):
    """The lot's seed is shown to the hall before it is drawn."""

    code = "lot_seed_first"


class NotSessionChair(DomainError):
    """Only a decided session-chair position hands the chair's role over, once."""

    code = "not_session_chair"
