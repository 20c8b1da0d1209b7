"""Definitions of open polls, kept in memory by each process for the cast path.

While a poll is open nothing on its ballot paper can change (method, options, seats, limits),
so a cast only needs to re-read the poll's status, inside its own transaction. A poll leaves
the cache as soon as a cast sees it in any other state.
"""

from __future__ import annotations

import threading

from governance.domain.polls import Poll, PollStatus


class OpenPolls:
    """A bounded map from poll id to the definition of a poll last seen open."""

    def __init__(self, limit: int = 256) -> None:
        self._polls: dict[str, Poll] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, poll_id: str) -> Poll | None:
        return self._polls.get(poll_id)

    def remember(self, poll: Poll) -> None:
        """Keep an open poll; forget one in any other state."""
        with self._lock:
            if poll.status is not PollStatus.OPEN:
                self._polls.pop(poll.id, None)
                return
            if poll.id not in self._polls and len(self._polls) >= self._limit:
                self._polls.pop(next(iter(self._polls)))  # the oldest entry
            self._polls[poll.id] = poll

    def forget(self, poll_id: str) -> None:
        with self._lock:
            self._polls.pop(poll_id, None)
