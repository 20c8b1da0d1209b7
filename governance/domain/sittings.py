"""The plenary sitting of a congress: the current agenda item, and suspension (skorsing).

The tata tertib's practice: when attendance falls below the quorum the chair is told, may
suspend the sitting for the minutes the rules give (skorsing) and reconvenes it. While it is
suspended no poll opens (`Poll.open` refuses a snapshot taken during a suspension).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from governance.domain.errors import InvalidInput
from governance.domain.events import Event
from governance.domain.plenary_errors import SittingIsSuspended, SittingNotSuspended
from governance.domain.plenary_events import CurrentItemSet, SittingResumed, SittingSuspended
from governance.domain.rules import Rules
from governance.domain.rules_json import quorum_required
from governance.domain.text import clean_text


@dataclass(frozen=True)
class Quorum:
    """Attendance against the quorum of the rules in force; `required` None: no quorum."""

    entitled: int
    present: int
    required: int | None

    @property
    def met(self) -> bool:
        return self.required is None or self.present >= self.required

    @classmethod
    def of(cls, rules: Rules, entitled: int, present: int) -> Quorum:
        return cls(entitled, present, quorum_required(rules.majority_rule(), entitled))


@dataclass
class Sitting:
    """One row per congress: where the plenary is, and whether it is suspended."""

    congress_id: str
    current_item_id: str | None = None
    suspended_at: datetime | None = None
    resume_at: datetime | None = None
    reason: str = ""
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None

    def set_current(self, item_id: str) -> bool:
        """The chair moves the plenary to an item; False when it is already there."""
        if item_id == self.current_item_id:
            return False
        self.current_item_id = item_id
        self.events.append(CurrentItemSet(self.congress_id, item_id))
        return True

    def suspend(self, now: datetime, reason: str, minutes: int, quorum: Quorum) -> None:
        if self.suspended:
            raise SittingIsSuspended()
        reason = clean_text(reason, field="reason", max_length=300, required=False)
        if not 1 <= minutes <= 24 * 60:
            raise InvalidInput("a suspension lasts between 1 minute and a day")
        self.suspended_at, self.resume_at = now, now + timedelta(minutes=minutes)
        self.reason = reason
        self.events.append(
            SittingSuspended(self.congress_id, reason, minutes, quorum.present, quorum.required)
        )

    def resume(self, quorum: Quorum) -> None:
        """Reconvene; the chair may, even without quorum (a vote that needs one still waits)."""
        if not self.suspended:
            raise SittingNotSuspended()
        self.suspended_at = self.resume_at = None
        self.reason = ""
        self.events.append(SittingResumed(self.congress_id, quorum.present))
