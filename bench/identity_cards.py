"""Identity-card hashing: one core against every core (issue 16: 4,997 cards took 182 s).

    python bench/identity_cards.py [N]

Hashes N identity codes with the production argon2id parameters, one at a time and then with
`hash_all`, alternated three times; prints the medians.
"""

from __future__ import annotations

import statistics
import sys
import time

from governance.adapters.hashing import Argon2CodeHasher
from governance.domain import codes
from governance.service_layer.setup import hash_all


def main(count: int) -> None:
    hasher = Argon2CodeHasher()
    plain = [codes.random_code(codes.IDENTITY_CODE_CHARS) for _ in range(count)]
    one, every = [], []
    for _ in range(3):
        started = time.perf_counter()
        for code in plain:
            hasher.hash(code)
        one.append(time.perf_counter() - started)
        started = time.perf_counter()
        hash_all(hasher, plain)
        every.append(time.perf_counter() - started)
    a, b = statistics.median(one), statistics.median(every)
    print(f"{count} codes: one core {a:.2f} s, hash_all {b:.2f} s ({a / b:.2f}x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
