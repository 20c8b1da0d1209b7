"""The whole reference congress, through HTTP, as `suara rehearse` runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.cli.rehearse import run_rehearsal
from governance.records.verifier import load, verify
from tests.conftest import FAST_HASHER

pytestmark = pytest.mark.e2e


def test_the_rehearsal_elects_a_presidium_with_every_region_and_the_board(tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = run_rehearsal(out, tmp_path / "data", hasher=FAST_HASHER)
    assert names[:3] == ["rules-of-procedure", "agenda", "presidium"]
    assert {"presidium-chair", "presidium-vice-chair", "board-chair"} <= set(names)
    regions = json.loads((out / "regions.json").read_text())
    assert len(regions) == 52
    # The election procedure (issue 14): the presidium's count ends in a tie for a seat, which
    # a re-vote among the tied settles; the hall rejects the first coordinator and ratifies
    # the board chair's second proposal; a two-round race goes to its runoff.
    held = json.loads((out / "positions.json").read_text())
    seven = held["presidium"]
    assert len(seven) == 7 and "presidium-revote-2" in names
    assert {regions[name] for name in seven} == {"west", "central", "east"}
    chair = json.loads(next(out.glob("*-presidium-chair.json")).read_text())["result"]
    assert chair["elected"][0]["name"] in seven
    assert held["presidium-vice-chair"] != held["presidium-chair"]
    ratified = [n for n in names if n.startswith("ratify-")]
    assert ratified[-2:] == ["ratify-koordinator-program", "ratify-koordinator-program-2"]
    first, second = (
        json.loads(next(out.glob(f"*-{n}.json")).read_text())["result"]["outcome"]
        for n in ratified[-2:]
    )
    assert (first, second) == ("rejected", "adopted") and len(ratified) == 4
    race = json.loads(next(out.glob("*-commission-chair.json")).read_text())["result"]
    assert race["outcome"] == "runoff" and race["elected"] == []
    runoff = json.loads(next(out.glob("*-commission-chair-runoff-2.json")).read_text())
    assert runoff["result"]["elected"][0]["name"] == held["commission-chair"][0]
    assert set(runoff["options"]) == set(race["runoff"])  # the top two, in ballot order
    rules = json.loads(next(out.glob("*-rules-of-procedure.json")).read_text())["result"]
    assert rules["outcome"] == "adopted" and rules["snapshot"]["present"] == 50
    final = json.loads(next(out.glob("*-adart-final.json")).read_text())["result"]
    assert final["outcome"] == "adopted"
    failed = json.loads(next(out.glob("*-adart-ad-4.json")).read_text())["result"]
    assert failed["outcome"] == "rejected"  # one vote short of two thirds
    # The plenary (issue 14): the amendment from the floor is voted before its motion, a
    # procedural motion by name, and a poll opens only after the suspension is lifted.
    plenary = ["floor-amendment", "floor-motion", "floor-procedural-named", "after-skorsing"]
    assert [n for n in names if n in plenary] == plenary
    named = json.loads(next(out.glob("*-floor-procedural-named.json")).read_text())
    assert named["result"]["snapshot"]["ballots"] == 50  # every delegate present, by name
    after = json.loads(next(out.glob("*-after-skorsing.json")).read_text())["result"]
    assert after["snapshot"]["present"] == 50 and "suspended" not in after["snapshot"]
    # Corrections (issues 14, 18): a paper ballot beyond the hall voided by two officials,
    # the poll annulled by the chair and an observer, then held again as a new poll.
    rerun = json.loads(next(out.glob("*-schedule-rerun.json")).read_text())["result"]
    assert rerun["outcome"] == "adopted" and rerun["snapshot"]["ballots"] == 50
    assert rerun["snapshot"].get("paper_ballots", 0) == 0
    records = sorted((out / "records").glob("*.json"))
    # One per poll (the annulled one has no published result, so no name), one for the congress.
    assert len(records) == len(names) + 2
    congress_record = load(str(next(p for p in records if "congress" in p.name)))
    kinds = [e.get("type") for e in congress_record["events"]]
    assert kinds.count("poll.annulled") == 1 and kinds.count("paper_batch.voided") == 1
    for path in records:
        report = verify(load(str(path)))
        assert report.failures == [], (path.name, report.failures)
    for path in out.glob("*-ratify-*.json"):
        result = json.loads(path.read_text())["result"]
        assert result["outcome"] in ("adopted", "rejected")
        assert result["rule"]  # the adopted rules of procedure configured the motion
