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
import logging
import math
import time
from collections.abc import Callable
from typing import TypeVar

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
T = TypeVar("T")

# Each tier that fills up imposes a longer wait: a minute, then up to 15 minutes, then an hour.
CARD_LIMITS = parse_many("5/minute;10/15 minutes;20/hour")
# Generous: 52 delegates behind one NAT, each mistyping a code or two, must still get in.
ADDRESS_LIMITS = parse_many("120/minute;600/15 minutes;2000/hour")


def rate_limit_prefix(namespace: str) -> str:
    """Where the shared counters live in Redis: keys `<namespace>:rl:...`."""
    return f"{namespace}:rl"


class SignInThrottle:
    """Counts failed sign-ins and says how long a card or an address must wait."""

    def __init__(
        self, secret_key: str, redis_url: str | None = None, namespace: str = "suara"
    ) -> None:
        uri = redis_url or "memory://"
        # Keys under the app's namespace (`<namespace>:rl:...`), where `suara purge` removes
        # them, not under the library's shared default prefix.
        options = {"key_prefix": rate_limit_prefix(namespace)} if redis_url else {}
        self.limiter = MovingWindowRateLimiter(storage_from_string(uri, **options))
        # Redis down must not stop anyone signing in: count in this process meanwhile.
        self.fallback = MovingWindowRateLimiter(storage_from_string("memory://"))
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

    def _with(self, action: Callable[[MovingWindowRateLimiter], T]) -> T:
        try:
            return action(self.limiter)
        except (RedisError, OSError):
            log.warning("sign-in throttle: shared counters unreachable, counting locally")
            return action(self.fallback)

    def wait_seconds(self, scope: str, address: str, card: str | None) -> int:
        """0 when an attempt may go ahead, else the seconds until it may."""
        keys = self._keys(scope, address, card)

        def longest(limiter: MovingWindowRateLimiter) -> float:
            wait = 0.0
            for limit, *ids in keys:
                if not limiter.test(limit, *ids):
                    reset = limiter.get_window_stats(limit, *ids).reset_time
                    wait = max(wait, reset - time.time())
            return wait

        wait = self._with(longest)
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, scope: str, address: str, card: str | None) -> None:
        keys = self._keys(scope, address, card)

        def hit(limiter: MovingWindowRateLimiter) -> None:
            for limit, *ids in keys:
                limiter.hit(limit, *ids)

        self._with(hit)


def card_number(code: str) -> str | None:
    """The card number a typed identity code claims (`12-ABCD-...` -> `12`), if any."""
    head = code.strip().split("-", 1)[0]
    return head if head.isdigit() and len(head) <= 6 else None
