"""Meek STV (New Zealand rules, Local Electoral Regulations 2001, Schedule 1A), optionally with
group constraints (Grey-Fitzgerald guard / doom).

Arithmetic in integers of 10**-9 vote, as the NZ rules prescribe 9 decimals: a ballot gives each
elected candidate `remaining * keep` rounded up and passes on the rest; the quota is (valid
votes - exhausted) / (seats + 1), truncated, plus 10**-9; each elected candidate's keep value
becomes (keep * quota rounded up) / total, rounded up. Iteration stops when the elected
candidates' surpluses add up to at most 0.000001 vote, when the surplus stops falling, or when a
hopeful reaches the quota. Each stage is one such converged iteration after one decision (an
election or an exclusion); exclusion is one candidate at a time, lowest first, ties by the
written cascade.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol

from governance.tally.constraints import check_constraints, guarded_and_doomed
from governance.tally.meek_paths import (
    ELECTED,
    EXCLUDED,
    HOPEFUL,
    MEEK_SCALE,
    NumpySpread,
    PureSpread,
)
from governance.tally.model import Stage, TallyInput, TallyInputError, TallyResult, decimal_str
from governance.tally.papers import validate_ranked
from governance.tally.stv_scottish import use_numpy
from governance.tally.ties import break_tie, order_by_total

if TYPE_CHECKING:
    from governance.tally.papers_numpy import PackedBallots

OMEGA = MEEK_SCALE // 1_000_000  # 0.000001 vote, as in the NZ rules
MAX_ITERATIONS = 10_000


class Spread(Protocol):
    def set_status(self, status: Sequence[int]) -> None: ...
    def spread(self, keep: Sequence[int]) -> tuple[list[int], int]: ...


class MeekCount:
    """State of one Meek count; `run` drives it."""

    def __init__(self, inp: TallyInput, spread: Spread, valid_poll: int) -> None:
        self.inp = inp
        self.names = inp.candidates
        self.n = len(inp.candidates)
        self.spread = spread
        self.status = [EXCLUDED if c in inp.withdrawn else HOPEFUL for c in range(self.n)]
        self.keep = [0 if c in inp.withdrawn else MEEK_SCALE for c in range(self.n)]
        self.valid = valid_poll * MEEK_SCALE
        self.totals = [0] * self.n
        self.exhausted = 0
        self.quota = self.valid // (inp.seats + 1) + 1
        self.history: list[list[int]] = []
        self.stages: list[Stage] = []
        self.elected: list[int] = []
        self.elected_stage: list[int] = []
        self.excluded: list[tuple[int, int]] = []
        self.ties: list[str] = []
        self.spread.set_status(self.status)

    def hopefuls(self) -> list[int]:
        return [c for c in range(self.n) if self.status[c] == HOPEFUL]

    def converge(self) -> int:
        """Iterate keep values; return the number of iterations used."""
        last_surplus = self.valid
        for i in range(1, MAX_ITERATIONS + 1):
            self.totals, self.exhausted = self.spread.spread(self.keep)
            self.quota = (self.valid - self.exhausted) // (self.inp.seats + 1) + 1
            if any(self.totals[c] >= self.quota for c in self.hopefuls()):
                return i
            surplus = sum(self.totals[c] - self.quota for c in self.elected)
            if surplus <= OMEGA or surplus >= last_surplus:
                return i
            last_surplus = surplus
            self.keep = [self._new_keep(c) for c in range(self.n)]
        return MAX_ITERATIONS

    def _new_keep(self, c: int) -> int:
        if self.status[c] != ELECTED or self.totals[c] == 0:
            return self.keep[c]
        # NZ Schedule 1A: keep * quota rounded up, then divided by the total rounded up, so an
        # elected candidate never keeps less than the quota.
        kq = -(-self.keep[c] * self.quota // MEEK_SCALE)
        return -(-kq * MEEK_SCALE // self.totals[c])

    def record(self, action: str, iterations: int) -> None:
        self.history.append(list(self.totals))
        stage_ties = [t for t in self.ties if t not in {n for s in self.stages for n in s.notes}]
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=f"{action} ({iterations} iterations, quota "
                f"{decimal_str(Fraction(self.quota, MEEK_SCALE), 9)})",
                totals=tuple(Fraction(t, MEEK_SCALE) for t in self.totals),
                exhausted=Fraction(self.exhausted, MEEK_SCALE),
                notes=tuple(stage_ties),
            )
        )

    def elect(self, cands: Sequence[int]) -> None:
        stage = len(self.stages)
        ordered, notes = order_by_total(
            cands,
            self.history,
            names=self.names,
            seed=self.inp.seed,
            purpose=f"order of election at stage {stage}",
        )
        self.ties.extend(notes)
        for c in ordered:
            self.status[c] = ELECTED
            self.elected.append(c)
            self.elected_stage.append(stage)

    def elect_by_quota(self) -> bool:
        reached = [c for c in self.hopefuls() if self.totals[c] >= self.quota]
        allowed: list[int] = []
        for c in sorted(reached, key=lambda c: -self.totals[c]):
            _, doomed = guarded_and_doomed(
                [*self.elected, *allowed], self.hopefuls(), self.inp.seats, self.inp.constraints
            )
            if c not in doomed and len(self.elected) + len(allowed) < self.inp.seats:
                allowed.append(c)
        self.elect(allowed)
        return bool(allowed)

    def exclude(self, pool: list[int], why: str) -> str:
        low = min(self.totals[c] for c in pool)
        c, note = break_tie(
            [c for c in pool if self.totals[c] == low],
            self.history,
            want="lowest",
            names=self.names,
            seed=self.inp.seed,
            purpose=f"exclusion at stage {len(self.stages)}",
        )
        if note:
            self.ties.append(note)
        self.status[c] = EXCLUDED
        self.keep[c] = 0
        self.excluded.append((c, len(self.stages)))
        return f"{self.names[c]} excluded{why}"

    def run(self) -> TallyResult:
        action = "first preferences"
        while True:
            self.spread.set_status(self.status)
            self.record(action, self.converge())
            newly = self.elect_by_quota()
            vacancies = self.inp.seats - len(self.elected)
            hopefuls = self.hopefuls()
            if vacancies <= 0 or not hopefuls:
                break
            guarded, doomed = guarded_and_doomed(
                self.elected, hopefuls, self.inp.seats, self.inp.constraints
            )
            eligible = [c for c in hopefuls if c not in doomed]
            if len(eligible) <= vacancies:
                self.elect(eligible)
                break
            if newly:
                action = "keep values updated after election"
            elif doomed:
                action = self.exclude(sorted(doomed), " (doomed by a group bound)")
            else:
                action = self.exclude([c for c in hopefuls if c not in guarded], "")
        return self.result()

    def result(self) -> TallyResult:
        return TallyResult(
            method=self.inp.method,
            candidates=self.names,
            seats=self.inp.seats,
            outcome="elected",
            elected=tuple(self.elected),
            elected_stage=tuple(self.elected_stage),
            excluded=tuple(self.excluded),
            quota=Fraction(self.quota, MEEK_SCALE),
            stages=tuple(self.stages),
            ties=tuple(self.ties),
            places=9,
            details={
                "keep_values": {
                    self.names[c]: str(Fraction(self.keep[c], MEEK_SCALE)) for c in self.elected
                }
            },
        )


def count_meek(inp: TallyInput, backend: str = "auto") -> TallyResult:
    """Count a Meek STV election; `backend` is "auto", "pure" or "numpy"."""
    n = len(inp.candidates)
    if inp.seats < 1:
        raise TallyInputError("an election needs at least one seat", "bad_seats")
    check_constraints(inp.candidates, inp.seats, inp.constraints)
    valid_poll = sum(w for prefs, w in inp.ballots if prefs)
    if backend == "auto":
        backend = "numpy" if use_numpy(inp) and (n + 1) ** (inp.seats + 1) < 2**62 else "pure"
    spread: Spread
    if backend == "numpy":
        from governance.tally.papers_numpy import PackedBallots

        spread = NumpySpread(PackedBallots.from_ballots(inp.ballots, n), n, inp.seats)
    else:
        validate_ranked(inp.ballots, n)
        spread = PureSpread(inp.ballots, n)
    return MeekCount(inp, spread, valid_poll).run()


def count_meek_packed(
    candidates: tuple[str, ...], packed: PackedBallots, seats: int, seed: str = ""
) -> TallyResult:
    """Meek STV on ballots already packed as arrays (the bulk path)."""
    inp = TallyInput("meek-stv", candidates, (), seats=seats, seed=seed)
    valid_poll = int(packed.weights[packed.prefs[:, 0] >= 0].sum())
    spread = NumpySpread(packed, len(candidates), seats)
    return MeekCount(inp, spread, valid_poll).run()
