"""Sign-in throttling of the guesser: per address and card pair, and per address.

The guesser is throttled, never the card's owner: a card's counters are kept per address, so
wrong codes for the chair's card typed elsewhere never lock the chair out (issue 18). Delays
grow with failures (tiers of a minute, 15 minutes and an hour). Attempts refused while
throttled count against the address only, so hammering lengthens the guesser's own wait but
not the pair's lock. Only failed attempts count, so a whole hotel behind one address can sign
in. Voting-card codes (120 bits, no card number) are not throttled at all: guessing one is
hopeless, and a per-address limit let one phone behind the hotel's NAT block everyone there.

Counters live in memory (the embedded default, one process) or in Redis when SUARA_REDIS_URL is
set (shared by web processes). No address or card number is stored as such: keys are HMACs
under the server's secret, and every counter expires with its window (at most an hour).
Nothing is written to the database.
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

from governance.domain.codes import is_ascii_number

log = logging.getLogger(__name__)
T = TypeVar("T")

# Per address and card: each tier that fills up imposes a longer wait: a minute, then up to
# 15 minutes, then an hour.
PAIR_LIMITS = parse_many("5/minute;10/15 minutes;20/hour")
CARD_LIMITS = PAIR_LIMITS  # the name older callers use
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

    def _digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()[:32]

    def _keys(
        self, scope: str, address: str, card: str | None, *, pair: bool = True
    ) -> list[tuple[RateLimitItem, str, str]]:
        keys = [(limit, scope, "a:" + self._digest(address)) for limit in ADDRESS_LIMITS]
        if card and pair:
            key = "p:" + self._digest(f"{address}\n{card}")
            keys += [(limit, scope, key) for limit in PAIR_LIMITS]
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
        """A code was checked and was wrong: counts for the pair and the address."""
        self._hit(self._keys(scope, address, card))

    def refused(self, scope: str, address: str, card: str | None) -> None:
        """An attempt refused unchecked while throttled: counts for the address only."""
        self._hit(self._keys(scope, address, card, pair=False))

    def _hit(self, keys: list[tuple[RateLimitItem, str, str]]) -> None:

        def hit(limiter: MovingWindowRateLimiter) -> None:
            for limit, *ids in keys:
                limiter.hit(limit, *ids)

        self._with(hit)


def card_number(code: str) -> str | None:
    """The card number a typed identity code claims (`012-ABCD-...` -> `12`), if any.

    ASCII digits only, in their shortest form: `01`, `1` and the Arabic-Indic
    or fullwidth one must not be four keys.
    """
    head = code.strip().split("-", 1)[0]
    return str(int(head)) if is_ascii_number(head, 6) else None
