"""Sign-in throttling per card number and per address, with delays that grow with failures.

Counters live in memory (the embedded default, one process) or in Redis when SUARA_REDIS_URL is
set (shared by web processes). Only failed attempts count, so a whole hotel behind one address
can sign in; refused attempts count too, so hammering a locked card only lengthens the wait.
No address is stored as such: the key is an HMAC of the address under the server's secret, and
every counter expires with its window (at most an hour). Nothing is written to the database.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

# Each tier that fills up imposes a longer wait: a minute, then up to 15 minutes, then an hour.
CARD_LIMITS = parse_many("5/minute;10/15 minutes;20/hour")
# Generous: 52 delegates behind one NAT, each mistyping a code or two, must still get in.
ADDRESS_LIMITS = parse_many("120/minute;600/15 minutes;2000/hour")


class SignInThrottle:
    """Counts failed sign-ins and says how long a card or an address must wait."""

    def __init__(self, secret_key: str, redis_url: str | None = None) -> None:
        uri = redis_url or "memory://"
        self.limiter = MovingWindowRateLimiter(storage_from_string(uri))
        self._key = hashlib.sha256(b"suara-throttle:" + secret_key.encode()).digest()

    def _address(self, address: str) -> str:
        return hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()[:32]

    def _keys(
        self, scope: str, address: str, card: str | None
    ) -> list[tuple[RateLimitItem, str, str]]:
        keys = [(limit, scope, "a:" + self._address(address)) for limit in ADDRESS_LIMITS]
        if card:
            keys += [(limit, scope, "c:" + card) for limit in CARD_LIMITS]
        return keys

    def wait_seconds(self, scope: str, address: str, card: str | None) -> int:
        """0 when an attempt may go ahead, else the seconds until it may."""
        wait = 0.0
        for limit, *ids in self._keys(scope, address, card):
            if not self.limiter.test(limit, *ids):
                reset = self.limiter.get_window_stats(limit, *ids).reset_time
                wait = max(wait, reset - time.time())
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, scope: str, address: str, card: str | None) -> None:
        for limit, *ids in self._keys(scope, address, card):
            self.limiter.hit(limit, *ids)


def card_number(code: str) -> str | None:
    """The card number a typed identity code claims (`12-ABCD-...` -> `12`), if any."""
    head = code.strip().split("-", 1)[0]
    return head if head.isdigit() and len(head) <= 6 else None
