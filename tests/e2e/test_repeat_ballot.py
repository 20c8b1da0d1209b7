"""Issue 18 item 10: a voting card does not tell how it voted while the poll is open.

Whoever holds the card (a seized phone, a coercer at the delegate's side) submits each option
in turn: every answer is the same refusal, so none says which option the card chose. The
receipt was shown once, right after the first ballot.
"""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e


def test_every_repeat_submission_gets_the_same_answer_whatever_its_choice(
    sqlite_app: Suara,
) -> None:
    c = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, c.id)  # yes / no / abstain
    with TestClient(create_app(sqlite_app), follow_redirects=False) as phone:
        page = phone.get(f"/congresses/{c.id}/voting-card")
        data = {"csrf_token": csrf(page.text), "code": c.voting_codes[0]}
        assert phone.post(f"/congresses/{c.id}/voting-card", data=data).status_code == 303
        token = csrf(phone.get(f"/polls/{poll_id}").text)
        url = f"/polls/{poll_id}/ballot"
        first = phone.post(url, data={"csrf_token": token, "choice": "1"})
        assert first.status_code == 303
        receipt_page = phone.get(first.headers["location"]).text
        receipt = re.search(r'id="receipt">([0-9A-Z-]+)<', receipt_page)
        assert receipt, "the first ballot's receipt is shown"
        answers = []
        for choice in ("0", "1", "2"):
            answer = phone.post(url, data={"csrf_token": token, "choice": choice})
            follow = phone.get(answer.headers["location"]) if answer.is_redirect else None
            answers.append(
                (
                    answer.status_code,
                    answer.text.replace(token, ""),
                    follow.text if follow is not None else "",
                )
            )
        assert answers[0] == answers[1] == answers[2], "a repeat told the card's choice"
        assert all(receipt.group(1) not in "".join(a[1:]) for a in answers)
    assert [choices for _, choices in sqlite_app.queries.board(poll_id)] == ["1"]
