"""Build the project's copy of the 60 Scottish 2017 STV wards from their source folder.

    python tests/data/build_scottish_wards.py SOURCE_DIR

SOURCE_DIR holds `<stem>.blt` and `expected.json` as the data set describes them (see
`stv-scottish-2017/README.md`). Every count, weight, seat number, quota and official stage
total is kept exactly; every candidate name becomes a neutral label (C01, C02, ... in `.blt`
order), in the ballot files and in the expected results alike, because the project commits no
real person's name, not even a public one. Run once; the output is committed and the tests
read only it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "stv-scottish-2017"
# Fields of expected.json that hold or are keyed by names: rewritten; the rest is copied.
_DROPPED = ("official_json",)


def label(index: int) -> str:
    return f"C{index + 1:02d}"


def relabel_blt(text: str, candidates: list[str]) -> str:
    """The same ballots and counts; the candidate lines become labels."""
    lines = text.splitlines()
    end = lines.index("0")  # the line that ends the ballots
    names = lines[end + 1 : end + 1 + len(candidates)]
    if len(names) != len(candidates):
        raise SystemExit(f"candidate lines do not match expected.json: {names}")
    title = lines[end + 1 + len(candidates) :]
    labels = [label(i) for i in range(len(candidates))]
    return "\n".join([*lines[: end + 1], *labels, *title]) + "\n"


def _name_words(candidates: list[str]) -> set[str]:
    words: set[str] = set()
    for name in candidates:
        words.update(w.lower() for w in re.findall(r"[A-Za-z'-]{3,}", re.sub(r"\(.*?\)", "", name)))
    return words


def neutral_note(note: str, candidates: list[str]) -> str:
    """The note with names replaced by labels, and any left-over name fragment removed."""
    # Longest names first, so that "Jo SMITH (Lab)" is not half-replaced by a shorter one.
    for i, name in sorted(enumerate(candidates), key=lambda p: -len(p[1])):
        note = re.sub(re.escape(name), label(i), note, flags=re.IGNORECASE)
    note = re.sub(r"share a surname \([^)]*\)", "share a surname", note)
    note = note.replace("by index or full name", "by label")
    words = _name_words(candidates)
    leftover = [w for w in re.findall(r"[A-Za-z'-]{3,}", note) if w.lower() in words]
    # Plain English words that are also name parts in some ward are not names in the note.
    leftover = [w for w in leftover if w.lower() not in _COMMON]
    if leftover:
        raise SystemExit(f"a name is left in a note: {leftover} in {note!r}")
    return note


_COMMON = {"and", "the", "candidate", "candidates", "stage", "quota", "without", "reaching"}


def relabel_election(entry: dict[str, Any]) -> dict[str, Any]:
    cands: list[str] = entry["candidates"]
    index = {name: i for i, name in enumerate(cands)}
    out = {k: v for k, v in entry.items() if k not in _DROPPED}
    out["candidates"] = [label(i) for i in range(len(cands))]
    out["winners_in_order"] = [label(index[n]) for n in entry["winners_in_order"]]
    out["elected_at_stage"] = {label(index[n]): s for n, s in entry["elected_at_stage"].items()}
    out["excluded_at_stage"] = {label(index[n]): s for n, s in entry["excluded_at_stage"].items()}
    out["notes"] = neutral_note(entry["notes"], cands)
    return out


def main(source: Path) -> None:
    expected = json.loads((source / "expected.json").read_text(encoding="utf-8"))
    OUT.mkdir(exist_ok=True)
    elections: dict[str, Any] = {}
    for stem, entry in sorted(expected["elections"].items()):
        blt = (source / entry["blt"]).read_text(encoding="utf-8")
        (OUT / entry["blt"]).write_text(relabel_blt(blt, entry["candidates"]), encoding="utf-8")
        elections[stem] = relabel_election(entry)
    about = (
        expected["_about"] + " Candidate names are replaced by labels C01, C02, ... in .blt order."
    )
    (OUT / "expected.json").write_text(
        json.dumps({"_about": about, "elections": elections}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    print(f"{len(elections)} wards written to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: build_scottish_wards.py SOURCE_DIR")
    main(Path(sys.argv[1]))
