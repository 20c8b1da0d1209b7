"""Ballot papers for transfer-based counts: the pure-Python reference store.

Values are integers in units of 1/SCALE vote (SCALE = 100000: the Scottish rule truncates
transfer values to 5 decimals, so integer units make that truncation exact). A store knows who
holds each paper and moves a candidate's papers on to their next continuing preference at a
new value `value * num // den`; `num = den = 1` for an exclusion. The numpy store in
`papers_numpy.py` does exactly the same thing, vectorised; tests hold them equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from governance.tally.model import Ballot, TallyInputError

SCALE = 100_000


class PaperStore(Protocol):
    """What a transfer count needs from its papers."""

    def valid_poll(self) -> int:
        """Total weight of the ballots that rank anyone (blank ballots are not valid votes)."""
        ...

    def first_preferences(self, continuing: Sequence[bool]) -> tuple[list[int], int]:
        """Give every paper to its first continuing preference: (totals, exhausted).

        Blank ballots get no paper: they are neither in the valid poll nor exhausted.
        """
        ...

    def move(
        self, cand: int, num: int, den: int, continuing: Sequence[bool]
    ) -> tuple[list[int], int]:
        """Move all of `cand`'s papers on at value*num//den: (gains per candidate, exhausted)."""
        ...


def validate_ranked(ballots: Sequence[Ballot], n: int) -> None:
    """Refuse preferences outside the candidate list, repeats and negative weights."""
    for i, (prefs, weight) in enumerate(ballots):
        if weight < 0:
            raise TallyInputError(f"ballot {i + 1}: negative weight {weight}", "bad_weight")
        if len(set(prefs)) != len(prefs):
            raise TallyInputError(f"ballot {i + 1}: a candidate is ranked twice", "bad_ballot")
        for p in prefs:
            if not 0 <= p < n:
                raise TallyInputError(f"ballot {i + 1}: no candidate {p}", "bad_ballot")


class PurePapers:
    """Reference store: a list of (ballot, position, value) per holder."""

    def __init__(self, ballots: Sequence[Ballot], n: int) -> None:
        self.prefs = [b for b, _ in ballots]
        self.weights = [w for _, w in ballots]
        self.n = n
        self.held: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]

    def valid_poll(self) -> int:
        return sum(w for prefs, w in zip(self.prefs, self.weights, strict=True) if prefs)

    def _next(self, b: int, pos: int, continuing: Sequence[bool]) -> tuple[int, int]:
        prefs = self.prefs[b]
        while pos < len(prefs) and not continuing[prefs[pos]]:
            pos += 1
        return (prefs[pos], pos) if pos < len(prefs) else (-1, pos)

    def first_preferences(self, continuing: Sequence[bool]) -> tuple[list[int], int]:
        totals = [0] * self.n
        exhausted = 0
        for b, w in enumerate(self.weights):
            if not self.prefs[b]:
                continue  # a blank ballot is not a valid vote, so it is not exhausted either
            cand, pos = self._next(b, 0, continuing)
            if cand < 0:
                exhausted += w * SCALE
            else:
                self.held[cand].append((b, pos, SCALE))
                totals[cand] += w * SCALE
        return totals, exhausted

    def move(
        self, cand: int, num: int, den: int, continuing: Sequence[bool]
    ) -> tuple[list[int], int]:
        gains = [0] * self.n
        exhausted = 0
        papers, self.held[cand] = self.held[cand], []
        for b, pos, value in papers:
            new_value = value * num // den
            w = self.weights[b]
            nxt, new_pos = self._next(b, pos + 1, continuing)
            if nxt < 0:
                exhausted += w * new_value
            else:
                self.held[nxt].append((b, new_pos, new_value))
                gains[nxt] += w * new_value
        return gains, exhausted
