"""Results as finished data for templates: bars for an SVG chart and the table of rounds.

The chart is drawn by a template (`charts/_bars.html`) from these numbers, so it prints, scales
and needs no script. Names are replaced by letters unless names may be shown.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from governance.adapters.queries import ResultView
from governance.domain.polls import Poll
from web.i18n import _, number

# The projector's chart: one row per option, the label left of its bar, so that nine candidates
# fit a 1280x800 screen under the heading (drawn at about 1:1 there: text of 22 reads at 22 px).
CHART_WIDTH = 760  # user units
LABEL_WIDTH = 230
LABEL_CHARACTERS = 18  # a longer label is shortened on the bar; the chart's title keeps it whole
BAR_HEIGHT = 30
ROW_HEIGHT = BAR_HEIGHT + 12
VALUE_ROOM = 80  # keep the value's text inside the drawing when a bar is full width


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    width: float
    y: int

    @property
    def short(self) -> str:
        """The label as drawn beside the bar."""
        if len(self.label) <= LABEL_CHARACTERS:
            return self.label
        return self.label[: LABEL_CHARACTERS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Round:
    label: str
    values: list[str]


@dataclass(frozen=True)
class Reveal:
    """A published result, ready for the projector."""

    poll_id: str
    title: str
    outcome: str
    bars: list[Bar]
    height: int
    width: int
    label_width: int
    stages: list[int]
    rounds: list[Round]
    elected: list[str]
    ballots: int | None
    published_at: datetime | None


def option_labels(poll: Poll, show_names: bool) -> dict[str, str]:
    """Yes/No/Abstain translated; candidates by name, or as "Candidate A" when names are off."""
    if poll.method == "yes-no-abstain":
        words = {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}
        return {o: words.get(o, o) for o in poll.options}
    if show_names:
        return {o: o for o in poll.options}
    letters = string.ascii_uppercase
    return {
        o: _("Candidate %(letter)s") % {"letter": letters[i % 26] * (1 + i // 26)}
        for i, o in enumerate(poll.options)
    }


@dataclass(frozen=True)
class LetterKey:
    title: str
    letters: list[tuple[str, str]]


def letter_keys(polls: list[Poll]) -> list[LetterKey]:
    """For each poll of candidates, the letter the projector shows for each name."""
    keys = []
    for poll in polls:
        if poll.method == "yes-no-abstain":
            continue
        hidden = option_labels(poll, show_names=False)
        keys.append(LetterKey(poll.title, [(hidden[o], o) for o in poll.options]))
    return keys


def bars(totals: dict[str, str], labels: dict[str, str]) -> list[Bar]:
    """Bars in ballot order (the stored record sorts names, which would scramble letters)."""
    highest = max((Decimal(v) for v in totals.values()), default=Decimal(0))
    room = CHART_WIDTH - LABEL_WIDTH - VALUE_ROOM
    names = [n for n in labels if n in totals]
    return [
        Bar(
            label=labels[name],
            value=number(totals[name]),
            width=float(Decimal(totals[name]) / highest * room) if highest else 0.0,
            y=i * ROW_HEIGHT,
        )
        for i, name in enumerate(names)
    ]


def rounds(stages: list[dict[str, Any]], labels: dict[str, str]) -> list[Round]:
    """One row per candidate, in ballot order, with its total at each stage; then exhausted."""
    names = [n for n in labels if stages and n in stages[0]["totals"]]
    rows = [Round(labels[n], [number(s["totals"][n]) for s in stages]) for n in names]
    rows.append(Round(_("Exhausted"), [number(s.get("exhausted", "0")) for s in stages]))
    return rows


def reveal(poll: Poll, result: ResultView, show_names: bool, *, withheld: bool = False) -> Reveal:
    """What the projector shows of a result; a withheld (too small) poll shows its outcome only."""
    labels = option_labels(poll, show_names)
    data = result.data
    stages: list[dict[str, Any]] = [] if withheld else list(data.get("stages") or [])
    final = bars(stages[-1]["totals"], labels) if stages else []
    snapshot = data.get("snapshot") or {}
    return Reveal(
        poll_id=poll.id,
        title=poll.title,
        outcome=result.outcome,
        bars=final,
        height=max(len(final), 1) * ROW_HEIGHT,
        width=CHART_WIDTH,
        label_width=LABEL_WIDTH,
        stages=[int(s["number"]) for s in stages] if len(stages) > 1 else [],
        rounds=rounds(stages, labels) if len(stages) > 1 else [],
        elected=[labels.get(e["name"], e["name"]) for e in data.get("elected") or []],
        ballots=None if withheld else snapshot.get("ballots"),
        published_at=result.published_at,
    )
