"""A count's transcript in plain language, and the bars of its chart (no JavaScript)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from web.i18n import _

# User units at 13 px text: a phone draws the chart at about its own size, so the text stays
# readable there (at 600 it shrank to 5 px); a laptop scales it up to the CSS max-width.
CHART_WIDTH = 340
LABEL_WIDTH = 130
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class Bar:
    name: str
    value: str
    y: int
    width: int
    elected: bool


def _label(name: str) -> str:
    return {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")}.get(name, name)


def _action(action: str) -> str:
    """Translate the counting engine's stage actions into a sentence for the reader."""
    rules: list[tuple[str, Any]] = [
        (r"^first preferences", lambda m: _("First preferences are counted.")),
        (r"^count of votes", lambda m: _("The votes are counted.")),
        (
            r"^surplus of (.+) transferred",
            lambda m: (
                _("%(name)s has more votes than needed; the surplus is passed on.")
                % {"name": m.group(1)}
            ),
        ),
        (
            r"^(.+) excluded \(doomed by a group bound\)",
            lambda m: (
                _(
                    "%(name)s is excluded, because electing them would break the regional rule; "
                    "their votes go to the next preference."
                )
                % {"name": m.group(1)}
            ),
        ),
        (
            r"^(.+) excluded",
            lambda m: (
                _(
                    "%(name)s has the fewest votes and is excluded; their votes go to the next "
                    "preference."
                )
                % {"name": m.group(1)}
            ),
        ),
        (r"^keep values updated", lambda m: _("The keep values are updated after an election.")),
    ]
    for pattern, sentence in rules:
        found = re.match(pattern, action)
        if found:
            return str(sentence(found))
    return action


def transcript(data: dict[str, Any]) -> list[str]:
    """One sentence per stage, then who was elected at which stage."""
    lines = []
    for stage in data.get("stages", []):
        totals = ", ".join(f"{_label(n)} {v}" for n, v in stage.get("totals", {}).items())
        lines.append(
            _("Round %(n)s: %(action)s Totals: %(totals)s.")
            % {"n": stage["number"], "action": _action(str(stage["action"])), "totals": totals}
        )
    for elected in data.get("elected", []):
        if elected.get("stage"):
            lines.append(
                _("%(name)s is elected in round %(n)s.")
                % {"name": elected["name"], "n": elected["stage"]}
            )
    return lines


def _number(text: str) -> Decimal:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return Decimal(0)


def chart(data: dict[str, Any]) -> tuple[list[Bar], int]:
    """Horizontal bars of the final totals; the SVG is drawn by the template."""
    stages = data.get("stages") or []
    if not stages:
        return [], 0
    totals: dict[str, str] = stages[-1].get("totals", {})
    elected = {e["name"] for e in data.get("elected", [])}
    top = max((_number(v) for v in totals.values()), default=Decimal(0)) or Decimal(1)
    span = CHART_WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(
            _label(name),
            value,
            i * (BAR_HEIGHT + GAP),
            int(_number(value) / top * span),
            name in elected,
        )
        for i, (name, value) in enumerate(totals.items())
    ]
    return bars, len(bars) * (BAR_HEIGHT + GAP)


def result_bars(rows: list[Any]) -> list[Bar]:
    """Bars of the result's rows (ballot order, an excluded candidate's last total, not 0),
    with their values written exactly as the table writes them."""
    values = [_number(r.value) for r in rows]
    top = max(values, default=Decimal(0)) or Decimal(1)
    span = CHART_WIDTH - LABEL_WIDTH - 60
    return [
        Bar(r.name, r.final, i * (BAR_HEIGHT + GAP), int(v / top * span), r.elected)
        for i, (r, v) in enumerate(zip(rows, values, strict=True))
    ]
