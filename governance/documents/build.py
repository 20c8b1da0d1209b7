"""Build the content of a decision or of minutes from poll facts and the statute's record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from governance.documents.content import Block, Content
from governance.documents.labels import labels


@dataclass(frozen=True)
class PollFacts:
    """What a published poll contributes to a document: its reconciliation and outcome."""

    title: str
    rule: str
    outcome: str
    digest: str
    snapshot: dict[str, Any]
    counts: dict[str, str]
    withheld_below: int | None = None  # set when a secret poll is too small to show counts

    def reconciliation(self) -> dict[str, int]:
        cast = int(self.snapshot.get("ballots", 0))
        blank = int(self.counts.get("blank", 0))
        valid = sum(int(self.counts.get(k, 0)) for k in ("yes", "no", "abstain"))
        return {
            "entitled": int(self.snapshot.get("entitled", 0)),
            "present": int(self.snapshot.get("present", 0)),
            "cards": int(self.snapshot.get("cards_issued", 0)),
            "cast": cast,
            "valid": valid if self.counts else cast - blank,
            "invalid": max(cast - valid - blank, 0) if self.counts else 0,
            "blank": blank,
        }


def _rows(facts: PollFacts, lab: dict[str, str]) -> tuple[tuple[str, str], ...]:
    numbers = facts.reconciliation()
    if facts.withheld_below is not None:
        # Counts of a handful of secret ballots could reveal how individuals voted.
        rows = [(lab[k], str(numbers[k])) for k in ("entitled", "present", "cards")]
        rows.append((lab["cast"], lab["withheld"].format(n=facts.withheld_below)))
    else:
        rows = [(lab[k], str(v)) for k, v in numbers.items()]
        rows += [(lab[k], facts.counts[k]) for k in ("yes", "no", "abstain") if k in facts.counts]
    rows.append((lab["outcome"], lab.get(facts.outcome, facts.outcome)))
    rows.append((lab["digest"], facts.digest))
    return tuple(rows)


def decision(
    number: str,
    facts: PollFacts,
    language: str,
    signatures: tuple[str, str],
    date: str,
    annex: tuple[Block, ...] = (),
) -> Content:
    """Keputusan Kongres: Menimbang, Mengingat, Memperhatikan, Memutuskan, Menetapkan."""
    lab = labels(language)
    outcome = lab.get(facts.outcome, facts.outcome)
    blocks = (
        Block(
            lab["considering"],
            items=(
                lab["considering_text"].format(title=facts.title),
                lab["considering_vote"],
            ),
        ),
        Block(lab["recalling"], items=(lab["recalling_text"].format(rule=facts.rule),)),
        Block(lab["noting"], items=(lab["noting_text"],), rows=_rows(facts, lab)),
        Block(lab["deciding"]),
        Block(
            lab["establishing"],
            paragraphs=(lab["establishing_text"].format(title=facts.title, outcome=outcome),),
        ),
        *annex,
    )
    return Content(
        language,
        lab["decision"],
        f"{lab['number']}: {number}",
        f"{lab['about']} {facts.title.upper()}",
        blocks,
        lab["signed"].format(date=date),
        ((lab["chair"], signatures[0]), (lab["secretary"], signatures[1])),
    )


def minutes(
    number: str,
    attendance: dict[str, int],
    deliberations: list[tuple[str, bool, str]],
    polls: list[PollFacts],
    language: str,
    signatures: tuple[str, str],
    date: str,
    regions: dict[str, tuple[int, int]] | None = None,
) -> Content:
    """Berita Acara: attendance, every deliberation, and each poll's reconciliation."""
    lab = labels(language)
    blocks = [
        Block(
            lab["attendance"],
            rows=(
                (lab["entitled"], str(attendance["entitled"])),
                (lab["present"], str(attendance["present"])),
                (lab["cards"], str(attendance["cards_issued"])),
                *(
                    (f"{lab['region']} {name}", f"{present} / {entitled}")
                    for name, (entitled, present) in (regions or {}).items()
                ),
            ),
        ),
    ]
    if deliberations:
        items = tuple(
            f"{subject}: {lab['consensus'] if consensus else lab['no_consensus']}"
            + (f" ({note})" if note else "")
            for subject, consensus, note in deliberations
        )
        blocks.append(Block(lab["deliberations"], items=items))
    for index, facts in enumerate(polls, start=1):
        blocks.append(Block(f"{lab['polls']} {index}: {facts.title}", rows=_rows(facts, lab)))
    return Content(
        language,
        lab["minutes"],
        f"{lab['number']}: {number}",
        lab["minutes"],
        tuple(blocks),
        lab["signed"].format(date=date),
        ((lab["chair"], signatures[0]), (lab["secretary"], signatures[1])),
    )
