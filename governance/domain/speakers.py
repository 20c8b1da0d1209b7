"""The list of speakers of an agenda item: who asks for the floor, in which order they get it.

Points of order (interupsi) go first, in the order they were asked for. Speeches follow in
request order, unless the rules of procedure give those who have not yet spoken on the item
priority, or alternate speakers by caucus (women, waria, men): then the caucus that spoke
least recently goes next. Observers (peninjau) may be on the list: speaking is not voting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from governance.domain.codes import new_id
from governance.domain.delegates import Delegate
from governance.domain.errors import NotAllowed
from governance.domain.events import Event
from governance.domain.plenary_errors import (
    AlreadyOnList,
    NoSpeakerWaiting,
    NotPresent,
    NotSpeaking,
    SpeakerNotFound,
)
from governance.domain.plenary_events import SpeakersChanged
from governance.domain.rules import Rules


class SpeakerKind(StrEnum):
    SPEECH = "speech"
    POINT_OF_ORDER = "point_of_order"


class SpeakerStatus(StrEnum):
    WAITING = "waiting"
    SPEAKING = "speaking"
    DONE = "done"
    WITHDRAWN = "withdrawn"


@dataclass
class Speaker:
    """One request for the floor; `caucus` is the delegate's, copied when they asked."""

    id: str
    congress_id: str
    item_id: str
    delegate_id: str
    caucus: str
    kind: SpeakerKind
    ordinal: int
    status: SpeakerStatus = SpeakerStatus.WAITING
    added_by: str = "self"
    started_at: datetime | None = None
    ended_at: datetime | None = None
    limit_seconds: int = 0

    def remaining(self, now: datetime) -> int | None:
        """Seconds of speaking time left (negative once over), None when unlimited or idle."""
        if (
            self.status is not SpeakerStatus.SPEAKING
            or not self.limit_seconds
            or self.started_at is None
        ):
            return None
        return self.limit_seconds - int((now - self.started_at).total_seconds())


def speaking_order(
    waiting: Sequence[Speaker],
    spoken: Sequence[Speaker],
    *,
    alternate_caucus: bool = False,
    first_speakers_first: bool = False,
) -> list[Speaker]:
    """The waiting requests in the order they will get the floor.

    `spoken` are the speeches already given on the item (or being given), oldest first.
    """
    points = sorted(
        (s for s in waiting if s.kind is SpeakerKind.POINT_OF_ORDER), key=lambda s: s.ordinal
    )
    left = sorted((s for s in waiting if s.kind is SpeakerKind.SPEECH), key=lambda s: s.ordinal)
    # Who has spoken, and when each caucus last had the floor (never: -1, so it comes first).
    speeches = [s for s in spoken if s.kind is SpeakerKind.SPEECH]
    have_spoken = {s.delegate_id for s in speeches}
    last_turn = {speech.caucus: turn for turn, speech in enumerate(speeches)}
    turn = len(speeches)
    order: list[Speaker] = []
    while left:
        pool = left
        if first_speakers_first:
            pool = [s for s in left if s.delegate_id not in have_spoken] or left
        if alternate_caucus:
            # Earliest request of the caucus that spoke least recently (never: first).
            nxt = min(pool, key=lambda s: (last_turn.get(s.caucus, -1), s.ordinal))
        else:
            nxt = pool[0]
        order.append(nxt)
        left.remove(nxt)
        have_spoken.add(nxt.delegate_id)
        last_turn[nxt.caucus] = turn
        turn += 1
    return points + order


_GIVEN = (SpeakerStatus.SPEAKING, SpeakerStatus.DONE)


@dataclass
class SpeakersList:
    """Every request for the floor on one agenda item: the aggregate that orders them."""

    congress_id: str
    item_id: str
    entries: list[Speaker] = field(default_factory=list)
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def _changed(self, speaker: Speaker, change: str) -> None:
        self.events.append(SpeakersChanged(self.congress_id, self.item_id, speaker.id, change))

    @property
    def current(self) -> Speaker | None:
        return next((s for s in self.entries if s.status is SpeakerStatus.SPEAKING), None)

    def spoken(self) -> list[Speaker]:
        given = [
            s for s in self.entries if s.status in (SpeakerStatus.SPEAKING, SpeakerStatus.DONE)
        ]
        return sorted(given, key=lambda s: (s.started_at or datetime.min, s.ordinal))

    def queue(self, rules: Rules) -> list[Speaker]:
        waiting = [s for s in self.entries if s.status is SpeakerStatus.WAITING]
        return speaking_order(
            waiting,
            self.spoken(),
            alternate_caucus=rules.alternate_caucus,
            first_speakers_first=rules.first_speakers_first,
        )

    def add(self, delegate: Delegate, kind: SpeakerKind, added_by: str = "self") -> Speaker:
        """Put a delegate (or an observer: speaking is not voting) on the list."""
        if delegate.congress_id != self.congress_id:
            raise NotAllowed("another congress")
        if not delegate.present:
            raise NotPresent()
        for entry in self.entries:
            if (
                entry.delegate_id == delegate.id
                and entry.kind is kind
                and entry.status is SpeakerStatus.WAITING
            ):
                raise AlreadyOnList()
        speaker = Speaker(
            id=new_id(),
            congress_id=self.congress_id,
            item_id=self.item_id,
            delegate_id=delegate.id,
            caucus=delegate.caucus,
            kind=kind,
            ordinal=1 + max((s.ordinal for s in self.entries), default=0),
            added_by=added_by,
        )
        self.entries.append(speaker)
        self._changed(speaker, "added")
        return speaker

    def entry(self, speaker_id: str) -> Speaker:
        for entry in self.entries:
            if entry.id == speaker_id:
                return entry
        raise SpeakerNotFound()

    def withdraw(self, speaker_id: str, delegate_id: str | None) -> Speaker:
        """Leave the list; `delegate_id` None when the chair or secretariat removes someone."""
        speaker = self.entry(speaker_id)
        if delegate_id is not None and speaker.delegate_id != delegate_id:
            raise NotAllowed("only the speaker themself withdraws")
        if speaker.status is not SpeakerStatus.WAITING:
            raise NoSpeakerWaiting("this request no longer waits")
        speaker.status = SpeakerStatus.WITHDRAWN
        self._changed(speaker, "withdrawn")
        return speaker

    def end_speech(self, now: datetime) -> Speaker:
        speaker = self.current
        if speaker is None:
            raise NotSpeaking()
        speaker.status, speaker.ended_at = SpeakerStatus.DONE, now
        self._changed(speaker, "done")
        return speaker

    def call_next(self, now: datetime, rules: Rules) -> Speaker:
        """The current speech ends and the first in the queue takes the floor, on the clock of
        the rules (a point of order has its own, shorter time)."""
        queue = self.queue(rules)
        if not queue:
            raise NoSpeakerWaiting()
        if self.current is not None:
            self.end_speech(now)
        speaker = queue[0]
        speaker.status, speaker.started_at = SpeakerStatus.SPEAKING, now
        speaker.limit_seconds = (
            rules.point_of_order_seconds
            if speaker.kind is SpeakerKind.POINT_OF_ORDER
            else rules.speaking_seconds
        )
        self._changed(speaker, "speaking")
        return speaker
