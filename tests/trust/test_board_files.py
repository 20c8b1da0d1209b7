"""A closed poll's board as CSV and BLT for observers' own tools (issue 17 item 8).

Downloaded from the links on the audit page, parsed back with ordinary readers, the files
hold exactly the board's ballots and nothing that links a ballot to a delegate.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain.commands import CastBallot, ClosePoll
from governance.tally import TallyInput, tally
from governance.tally.blt import read_blt
from tests import factories
from tests.trust.helpers import Driver
from web.app import create_app

CANDIDATES = ("Mawar", "Melati", "Anggrek", "Kenanga")
RANKINGS = [(0, 1), (1, 0, 2), (2,), (0, 2, 1, 3), (1,), (0, 1), (3, 0), (2, 1), (0,)]


@pytest.fixture
def driver(app: Suara) -> Iterator[Driver]:
    d = Driver(app)
    yield d
    d.close()


@pytest.fixture
def client(app: Suara) -> Iterator[TestClient]:
    with TestClient(create_app(app), follow_redirects=False) as c:
        yield c


def closed(
    app: Suara,
    driver: Driver,
    method: str,
    options: tuple[str, ...],
    ballots: list[tuple[int, ...]],
) -> tuple[factories.Congress, str]:
    c = factories.congress(app, delegates=len(ballots), cards=len(ballots) + 1)
    poll_id = factories.open_motion(app, c.id, method=method, options=options, seats=2)
    for tag, choices in zip(c.tags, ballots, strict=False):
        app.bus.handle(CastBallot(poll_id, tag, choices))
    app.bus.handle(ClosePoll(poll_id))
    driver.settle()
    return c, poll_id


def links(client: TestClient, poll_id: str) -> dict[str, str]:
    page = client.get(f"/polls/{poll_id}/audit")
    assert page.status_code == 200
    found = re.findall(rf'href="(/polls/{poll_id}/board\.(\w+))"', page.text)
    return {kind: url for url, kind in found}


def nothing_about_delegates(app: Suara, c: factories.Congress, text: str) -> None:
    people = app.queries.delegates(c.id)
    for secret in [*c.delegate_ids, *c.tags, *c.voting_codes, *(p.alias for p in people)]:
        assert secret not in text


def test_a_ranked_board_downloads_as_csv_and_blt_that_match_the_board(
    app: Suara, driver: Driver, client: TestClient
) -> None:
    c, poll_id = closed(app, driver, "scottish-stv", CANDIDATES, RANKINGS)
    urls = links(client, poll_id)
    assert set(urls) == {"json", "csv", "blt"}
    board = json.loads(client.get(urls["json"]).content)["ballots"]

    got = client.get(urls["csv"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert f'filename="suara-board-{poll_id}.csv"' in got.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(got.text)))
    assert rows[0] == ["receipt", *CANDIDATES]
    assert [r[0] for r in rows[1:]] == [b["receipt"] for b in board]
    for row, ballot in zip(rows[1:], board, strict=True):
        ranks = {int(cell): i for i, cell in enumerate(row[1:]) if cell}
        assert [ranks[r] for r in sorted(ranks)] == ballot["choices"]
    nothing_about_delegates(app, c, got.text)

    blt = client.get(urls["blt"])
    assert blt.status_code == 200
    assert f'filename="suara-board-{poll_id}.blt"' in blt.headers["content-disposition"]
    parsed = read_blt(blt.text)
    assert parsed.candidates == CANDIDATES and parsed.seats == 2 and parsed.title == "Motion"
    counted: Counter[tuple[int, ...]] = Counter()
    for prefs, weight in parsed.ballots:
        counted[prefs] += weight
    assert counted == Counter(tuple(b["choices"]) for b in board)
    nothing_about_delegates(app, c, blt.text)
    # An STV program counting the file gets the published first-round totals and winners.
    result = app.queries.result(poll_id)
    assert result is not None
    again = tally(
        TallyInput(
            method="scottish-stv",
            candidates=parsed.candidates,
            ballots=parsed.ballots,
            seats=parsed.seats,
            seed=app.queries.poll(poll_id).seed,  # type: ignore[union-attr]
        )
    ).to_dict()
    assert again["stages"][0]["totals"] == result.data["stages"][0]["totals"]  # type: ignore[index]
    assert again["elected"] == result.data["elected"]


def test_a_motion_board_is_a_csv_with_one_mark_per_ballot_and_no_blt(
    app: Suara, driver: Driver, client: TestClient
) -> None:
    options = ('=HYPERLINK("x")', "Tidak", "Abstain")
    choices = [(0,), (1,), (0,), (2,), (0,), (1,)]
    _, poll_id = closed(app, driver, "plurality", options, choices)
    urls = links(client, poll_id)
    assert set(urls) == {"json", "csv"}
    rows = list(csv.reader(io.StringIO(client.get(urls["csv"]).text)))
    assert rows[0] == ["receipt", "'" + options[0], "Tidak", "Abstain"]  # never a formula
    totals = [sum(1 for r in rows[1:] if r[1 + i] == "1") for i in range(3)]
    assert totals == [3, 2, 1]
    assert all(sum(1 for cell in r[1:] if cell) == 1 for r in rows[1:])
    assert client.get(f"/polls/{poll_id}/board.blt").status_code == 404


def test_no_file_while_open_or_when_the_board_is_withheld(
    app: Suara, driver: Driver, client: TestClient
) -> None:
    c, small = closed(app, driver, "scottish-stv", CANDIDATES, RANKINGS[:3])
    still_open = factories.open_motion(app, c.id, method="irv", options=CANDIDATES)
    for poll_id in (small, still_open):
        for kind in ("csv", "blt"):
            answer = client.get(f"/polls/{poll_id}/board.{kind}")
            assert answer.status_code == 409 and "text/html" in answer.headers["content-type"]
    assert links(client, small) == {}
