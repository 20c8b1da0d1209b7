"""A voter who switches to the voting card from a poll comes back to it, and after voting the
poll says so instead of showing the ballot again (issue 17 item 9)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e


def test_the_voting_card_step_returns_to_the_poll_and_the_poll_says_it_has_voted(
    sqlite_app: Suara,
) -> None:
    congress = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, congress.id)
    other = factories.congress(sqlite_app)
    elsewhere = factories.open_motion(sqlite_app, other.id)
    with TestClient(create_app(sqlite_app), follow_redirects=False) as client:
        poll = client.get(f"/polls/{poll_id}")
        link = f"/congresses/{congress.id}/voting-card?poll={poll_id}"
        assert f'href="{link}"' in poll.text
        form = client.get(link)
        answer = client.post(
            f"/congresses/{congress.id}/voting-card",
            data={
                "csrf_token": csrf(form.text),
                "code": congress.voting_codes[0],
                "poll": poll_id,
            },
        )
        assert answer.status_code == 303 and answer.headers["location"] == f"/polls/{poll_id}"
        ballot = client.get(f"/polls/{poll_id}")
        assert 'class="ballot"' in ballot.text and 'id="voted"' not in ballot.text
        cast = client.post(
            f"/polls/{poll_id}/ballot", data={"csrf_token": csrf(ballot.text), "choice": "0"}
        )
        assert cast.status_code == 303
        client.get(cast.headers["location"])  # the receipt, shown once
        after = client.get(f"/polls/{poll_id}")
        assert 'id="voted"' in after.text and 'class="ballot"' not in after.text
        assert "Kartu suara ini sudah memilih" in after.text

        # A poll of another congress (or anything but a poll id) is no place to return to.
        form = client.get(f"/congresses/{congress.id}/voting-card")
        answer = client.post(
            f"/congresses/{congress.id}/voting-card",
            data={
                "csrf_token": csrf(form.text),
                "code": congress.voting_codes[1],
                "poll": elsewhere,
            },
        )
        assert answer.headers["location"] == f"/congresses/{congress.id}"
