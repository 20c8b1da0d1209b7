"""Operations: JSON logs and Prometheus metrics that never hold a code, a receipt, a choice or
an address (issue 15 item 5)."""

from __future__ import annotations

import dataclasses
import json
import logging
import re

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.logs import configure
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e

TOKEN = "metrics-token-for-the-test"


def vote(app: Suara, client: TestClient) -> tuple[factories.Congress, str, str]:
    congress = factories.congress(app)
    poll_id = factories.open_motion(app, congress.id)
    page = client.get(f"/congresses/{congress.id}/signin")
    client.post(
        f"/congresses/{congress.id}/signin",
        data={"csrf_token": csrf(page.text), "code": "1-AAAA-AAAA-AAAA-AAAA-AAAA"},
    )  # a wrong code: refused and logged nowhere with its text
    page = client.get(f"/congresses/{congress.id}/voting-card")
    client.post(
        f"/congresses/{congress.id}/voting-card",
        data={"csrf_token": csrf(page.text), "code": congress.voting_codes[0]},
    )
    ballot = client.get(f"/polls/{poll_id}")
    cast = client.post(
        f"/polls/{poll_id}/ballot", data={"csrf_token": csrf(ballot.text), "choice": "1"}
    )
    assert cast.status_code == 303
    receipt = client.get(cast.headers["location"]).text
    found = re.search(r'id="receipt">([^<]+)<', receipt)
    assert found is not None
    return congress, poll_id, found.group(1)


def test_metrics_need_the_token_and_count_by_route_without_secrets(sqlite_app: Suara) -> None:
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        assert client.get("/metrics").status_code == 404  # no token configured: no endpoint
    with_token = dataclasses.replace(
        sqlite_app, settings=dataclasses.replace(sqlite_app.settings, metrics_token=TOKEN)
    )
    with TestClient(create_app(with_token), follow_redirects=False) as client:
        congress, poll_id, receipt = vote(with_token, client)
        assert client.get("/metrics").status_code == 401
        wrong = {"authorization": "Bearer not-the-token"}
        assert client.get("/metrics", headers=wrong).status_code == 401
        answer = client.get("/metrics", headers={"authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200
    text = answer.text
    assert re.search(
        r'suara_http_requests_total\{method="POST",route="cast_ballot",status="303"\} [1-9]', text
    )
    assert re.search(r"^suara_ballots_cast_total [1-9]", text, re.M)
    assert "suara_relay_backlog_events" in text
    for secret in (
        receipt,
        *congress.voting_codes,
        congress.identity["delegate"],
        poll_id,
        congress.id,
        "testclient",
    ):
        assert secret not in text
    labels = set(re.findall(r'(\w+)="', text))
    assert labels <= {
        "route",
        "method",
        "status",
        "le",
        "version",
        "implementation",
        "major",
        "minor",
        "patchlevel",
        "generation",
        "quantile",
    }


def test_log_lines_are_json_and_never_hold_a_code_receipt_choice_or_address(
    sqlite_app: Suara, capsys: pytest.CaptureFixture[str]
) -> None:
    configure("DEBUG")
    try:
        with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
            congress, _, receipt = vote(sqlite_app, client)
        # Whatever a library might write: a code, a receipt, an address in the text or fields.
        noisy = logging.getLogger("some.library")
        noisy.warning("client 203.0.113.7 sent %s and got %s", congress.voting_codes[1], receipt)
        structured = logging.getLogger("suara.test")
        structured.info("cast", extra={"receipt": receipt, "choice": "1"})
        err = capsys.readouterr().err
    finally:
        logging.getLogger().handlers[:] = []
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    for line in lines:
        record = json.loads(line)  # one JSON object a line
        assert {"event", "level", "timestamp"} <= set(record)
    for secret in (
        receipt,
        *congress.voting_codes,
        congress.identity["delegate"],
        "203.0.113.7",
        "1-AAAA-AAAA-AAAA-AAAA-AAAA",
    ):
        assert secret not in err
    assert "[redacted]" in err
