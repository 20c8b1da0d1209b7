"""`tally_packed`: count ballots that are already numpy arrays, with the full `TallyInput` rules.

For callers that read ballots in bulk (the numpy BLT reader behind `suara tally`): the same
checks and the same counts as `tally(...)`, on the vectorised stores, so the transcript is the
one `tally` gives for the same ballots as tuples (the fast and reference paths are held equal
by tests). Methods without a packed path get the ballots as tuples.
"""

from __future__ import annotations

from dataclasses import replace

from governance.tally import _check_common, tally
from governance.tally.constraints import check_constraints
from governance.tally.model import METHODS, TallyInput, TallyInputError, TallyResult
from governance.tally.papers_numpy import PackedBallots

PACKED_METHODS = frozenset({"scottish-stv", "irv", "meek-stv", "schulze"})


def tally_packed(inp: TallyInput, packed: PackedBallots) -> TallyResult:
    """Count `packed` (valid: preferences in range, none repeated) by `inp`'s method and rules.

    `inp.ballots` is ignored; `packed` holds the ballots.
    """
    n = len(inp.candidates)
    if inp.method not in METHODS:
        raise TallyInputError(f"unknown method {inp.method!r}; choose from {', '.join(METHODS)}")
    if inp.method not in PACKED_METHODS or not _fits(inp):
        return tally(replace(inp, ballots=packed.to_ballots()))
    _check_common(inp)
    if inp.method == "schulze":
        from governance.tally.schulze import pairwise_packed, schulze_result

        return schulze_result(inp, pairwise_packed(packed, n))
    from governance.tally.papers_numpy import NumpyPapers

    if inp.method == "irv":
        from governance.tally.irv import _run

        return _run(inp, NumpyPapers(packed, n))
    check_constraints(inp.candidates, inp.seats, inp.constraints)
    if inp.method == "scottish-stv":
        from governance.tally.stv_scottish import ScottishCount

        store = NumpyPapers(packed, n)
        return ScottishCount(inp, store, store.valid_poll()).run()
    from governance.tally.meek import MeekCount
    from governance.tally.meek_paths import NumpySpread

    valid_poll = int(packed.weights[packed.prefs[:, 0] >= 0].sum())
    return MeekCount(inp, NumpySpread(packed, n, inp.seats), valid_poll).run()


def _fits(inp: TallyInput) -> bool:
    """Whether the vectorised stores can hold this count (else: tuples, the reference path)."""
    n = len(inp.candidates)
    if n > 63 or inp.seats < 1:
        return False
    return inp.method != "meek-stv" or (n + 1) ** (inp.seats + 1) < 2**62
