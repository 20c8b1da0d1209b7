"""STV under the Scottish Local Government Elections Order 2007 (SSI 2007/42), optionally
with group constraints (Grey-Fitzgerald guard / doom).

Rule, as the official counts apply it: Droop quota floor(v/(s+1))+1; weighted inclusive
Gregory surplus transfers with transfer values truncated to 5 decimals; one surplus at a time,
largest first; exclusion one candidate at a time, all papers at their current value; when the
continuing candidates are no more than the vacancies, they are all elected without a stage.
Values are integers in units of 0.00001 vote, so the truncation is exact and the transcript
can be compared with official stage totals digit for digit.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from governance.tally.constraints import check_constraints, guarded_and_doomed
from governance.tally.model import Stage, TallyInput, TallyInputError, TallyResult
from governance.tally.papers import SCALE, PaperStore, PurePapers, validate_ranked
from governance.tally.ties import break_tie, order_by_total

if TYPE_CHECKING:
    from governance.tally.papers_numpy import PackedBallots

# Above this many ballots the vectorised store pays for its set-up cost.
NUMPY_THRESHOLD = 2_000


def use_numpy(inp: TallyInput) -> bool:
    """Large polls take the vectorised path (which validates ballots itself)."""
    return len(inp.ballots) >= NUMPY_THRESHOLD and len(inp.candidates) <= 63


def make_store(inp: TallyInput, backend: str) -> PaperStore:
    """The reference store, or the numpy one for large polls (identical results)."""
    n = len(inp.candidates)
    if backend == "auto":
        backend = "numpy" if use_numpy(inp) else "pure"
    if backend == "pure":
        validate_ranked(inp.ballots, n)
        return PurePapers(inp.ballots, n)
    from governance.tally.papers_numpy import NumpyPapers, PackedBallots

    return NumpyPapers(PackedBallots.from_ballots(inp.ballots, n), n)


class ScottishCount:
    """Mutable state of one count; `run` drives it stage by stage."""

    def __init__(self, inp: TallyInput, store: PaperStore, valid_poll: int) -> None:
        self.inp = inp
        self.names = inp.candidates
        self.n = len(inp.candidates)
        self.seats = inp.seats
        self.store = store
        self.status = ["hopeful"] * self.n
        for c in inp.withdrawn:
            self.status[c] = "withdrawn"
        self.totals = [0] * self.n
        self.exhausted = 0
        self.lost = 0
        self.valid_poll = valid_poll
        self.quota = (self.valid_poll // (self.seats + 1) + 1) * SCALE
        self.history: list[list[int]] = []
        self.stages: list[Stage] = []
        self.elected: list[int] = []
        self.elected_stage: list[int] = []
        self.excluded: list[tuple[int, int]] = []
        self.pending: list[int] = []
        self.ties: list[str] = []
        self._noted = 0

    # -- bookkeeping -------------------------------------------------------------------
    def continuing(self) -> list[bool]:
        return [s == "hopeful" for s in self.status]

    def hopefuls(self) -> list[int]:
        return [c for c in range(self.n) if self.status[c] == "hopeful"]

    def _record(self, action: str) -> None:
        # Tie decisions taken since the last stage are noted on this stage as well.
        notes, self._noted = self.ties[self._noted :], len(self.ties)
        self.history.append(list(self.totals))
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                totals=tuple(Fraction(t, SCALE) for t in self.totals),
                exhausted=Fraction(self.exhausted, SCALE),
                lost=Fraction(self.lost, SCALE),
                notes=tuple(notes),
            )
        )

    def _elect(self, cands: list[int], stage: int) -> None:
        for c in cands:
            self.status[c] = "elected"
            self.elected.append(c)
            self.elected_stage.append(stage)

    def _order(self, cands: list[int], purpose: str) -> list[int]:
        ordered, notes = order_by_total(
            cands, self.history, names=self.names, seed=self.inp.seed, purpose=purpose
        )
        self.ties.extend(notes)
        return ordered

    def _pick(self, cands: list[int], want: str, purpose: str) -> int:
        values = [self.totals[c] for c in cands]
        best = max(values) if want == "highest" else min(values)
        tied = [c for c in cands if self.totals[c] == best]
        pick, note = break_tie(
            tied,
            self.history,
            want="highest" if want == "highest" else "lowest",
            names=self.names,
            seed=self.inp.seed,
            purpose=purpose,
        )
        if note:
            self.ties.append(note)
        return pick

    # -- stages --------------------------------------------------------------------------
    def first_stage(self) -> None:
        self.totals, self.exhausted = self.store.first_preferences(self.continuing())
        self._record("first preferences")
        self.elect_by_quota()

    def elect_by_quota(self) -> None:
        stage = len(self.stages)
        reached = [c for c in self.hopefuls() if self.totals[c] >= self.quota]
        for c in self._order(reached, f"order of election at stage {stage}"):
            if len(self.elected) >= self.seats:
                break
            _, doomed = guarded_and_doomed(
                self.elected, self.hopefuls(), self.seats, self.inp.constraints
            )
            if c in doomed:
                continue
            self._elect([c], stage)
            if self.totals[c] > self.quota:
                self.pending.append(c)

    def transfer_surplus(self) -> None:
        c = self._pick(self.pending, "highest", f"largest surplus at stage {len(self.stages)}")
        self.pending.remove(c)
        total = self.totals[c]
        surplus = total - self.quota
        gains, exhausted = self.store.move(c, surplus, total, self.continuing())
        self._apply(gains, exhausted)
        self.lost += surplus - sum(gains) - exhausted
        self.totals[c] = self.quota
        self._record(f"surplus of {self.names[c]} transferred")
        self.elect_by_quota()

    def exclude(self, c: int, why: str) -> None:
        self.status[c] = "excluded"
        self.excluded.append((c, len(self.stages)))
        gains, exhausted = self.store.move(c, 1, 1, self.continuing())
        self._apply(gains, exhausted)
        # Exclusion moves every paper at its current value, so nothing is lost to fractions.
        self.lost += self.totals[c] - sum(gains) - exhausted
        self.totals[c] = 0
        self._record(f"{self.names[c]} excluded{why}")
        self.elect_by_quota()

    def _apply(self, gains: list[int], exhausted: int) -> None:
        for i, g in enumerate(gains):
            self.totals[i] += g
        self.exhausted += exhausted

    def step(self) -> bool:
        """Do one stage (or the final election without a stage); False when done."""
        vacancies = self.seats - len(self.elected)
        hopefuls = self.hopefuls()
        if vacancies <= 0 or not hopefuls:
            return False
        guarded, doomed = guarded_and_doomed(
            self.elected, hopefuls, self.seats, self.inp.constraints
        )
        eligible = [c for c in hopefuls if c not in doomed]
        if len(eligible) <= vacancies:
            stage = len(self.stages)
            self._elect(self._order(eligible, f"order of election at stage {stage}"), stage)
            return False
        if doomed:
            c = self._pick(
                sorted(doomed), "lowest", f"doomed exclusion at stage {len(self.stages)}"
            )
            self.exclude(c, " (doomed by a group bound)")
        elif self.pending:
            self.transfer_surplus()
        else:
            pool = [c for c in hopefuls if c not in guarded]
            self.exclude(self._pick(pool, "lowest", f"exclusion at stage {len(self.stages)}"), "")
        return True

    def run(self) -> TallyResult:
        self.first_stage()
        while self.step():
            pass
        return TallyResult(
            method=self.inp.method,
            candidates=self.names,
            seats=self.seats,
            outcome="elected",
            elected=tuple(self.elected),
            elected_stage=tuple(self.elected_stage),
            excluded=tuple(self.excluded),
            quota=Fraction(self.quota, SCALE),
            stages=tuple(self.stages),
            ties=tuple(self.ties),
            details={"valid_poll": str(self.valid_poll)},
        )


def count_scottish(inp: TallyInput, backend: str = "auto") -> TallyResult:
    """Count a Scottish STV election; `backend` is "auto", "pure" or "numpy"."""
    if inp.seats < 1:
        raise TallyInputError("an election needs at least one seat", "bad_seats")
    check_constraints(inp.candidates, inp.seats, inp.constraints)
    store = make_store(inp, backend)
    return ScottishCount(inp, store, store.valid_poll()).run()


def count_scottish_packed(
    candidates: tuple[str, ...], packed: PackedBallots, seats: int, seed: str = ""
) -> TallyResult:
    """Count ballots already packed as arrays (the bulk path: no per-ballot Python objects)."""
    from governance.tally.papers_numpy import NumpyPapers

    n = len(candidates)
    inp = TallyInput("scottish-stv", candidates, (), seats=seats, seed=seed)
    store = NumpyPapers(packed, n)
    return ScottishCount(inp, store, store.valid_poll()).run()
