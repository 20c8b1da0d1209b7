"""Board, receipt lookup, audit page, record download and co-signature upload through HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.cli.records import cosignatures
from governance.domain.commands import CastBallot, ClosePoll, RegisterObserver
from governance.records import canon
from governance.records.verifier import verify
from tests import factories
from tests.e2e.flow import csrf
from tests.trust.helpers import Driver, voted_poll
from web.app import create_app


@pytest.fixture
def driver(app: Suara) -> Iterator[Driver]:
    d = Driver(app)
    yield d
    d.close()


@pytest.fixture
def client(app: Suara) -> Iterator[TestClient]:
    with TestClient(create_app(app), follow_redirects=False) as c:
        yield c


def test_the_board_is_byte_identical_for_every_reader_and_matches_the_checkpoint(
    app: Suara, driver: Driver, client: TestClient
) -> None:
    c, poll_id = voted_poll(app, driver, [0, 1, 0, 2, 0, 0])
    first = client.get(f"/polls/{poll_id}/board.json")
    with TestClient(create_app(app)) as other:
        second = other.get(
            f"/polls/{poll_id}/board.json",
            headers={"user-agent": "Another/1.0", "cookie": "suara_session=x; lang=en"},
        )
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    digest = canon.sha256_hex(first.content)
    assert first.headers["x-board-sha256"] == digest
    closing = next(cp for cp in app.trust.checkpoints(c.id, poll_id) if cp.kind == "close")
    assert closing.board_sha256 == digest
    rows = json.loads(first.content)["ballots"]
    assert [r["receipt"] for r in rows] == sorted(r["receipt"] for r in rows)


def test_a_delegate_finds_the_choice_recorded_for_a_receipt(
    app: Suara, driver: Driver, client: TestClient
) -> None:
    c = factories.congress(app, delegates=6, cards=6)
    poll_id = factories.open_motion(app, c.id)
    receipts = [
        app.bus.handle(CastBallot(poll_id, tag, (i % 2,))).receipt for i, tag in enumerate(c.tags)
    ]
    app.bus.handle(ClosePoll(poll_id))
    driver.settle()
    typed = receipts[1].lower().replace("-", " ")
    token = csrf(client.get(f"/polls/{poll_id}/board").text)
    posted = client.post(f"/polls/{poll_id}/board", data={"csrf_token": token, "receipt": typed})
    assert posted.status_code == 303 and receipts[1] not in posted.headers["location"]
    page = client.get(f"/polls/{poll_id}/board")
    assert 'id="lookup-result"' in page.text and "<strong>Tidak setuju</strong>" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert 'id="lookup-result"' not in client.get(f"/polls/{poll_id}/board").text  # shown once
    client.post(
        f"/polls/{poll_id}/board", data={"csrf_token": token, "receipt": "0000-0000-0000-0000"}
    )
    missing = client.get(f"/polls/{poll_id}/board").text
    assert 'class="error" id="lookup-result"' in missing
    assert client.post(f"/polls/{poll_id}/board", data={"receipt": typed}).status_code == 403


def test_small_polls_show_no_board_no_counts_and_no_turnout(
    app: Suara, driver: Driver, client: TestClient
) -> None:
    _, poll_id = voted_poll(app, driver, [0, 1, 0])
    assert client.get(f"/polls/{poll_id}/board.json").status_code == 409
    summary = client.get(f"/api/polls/{poll_id}").json()
    assert summary["turnout"] is None
    assert summary["result"]["withheld"] is True and "stages" not in summary["result"]
    download = client.get(f"/polls/{poll_id}/record.json")
    saved = f'filename="suara-record-{poll_id}.json"'
    assert saved in download.headers["content-disposition"]  # as the audit page's guide says
    record = download.json()
    entry = record["polls"][0]
    assert entry["board"]["document"] is None and entry["result"]["data"] is None
    assert entry["closed_snapshot"] is None
    shown = {e.get("type") for e in record["events"]}
    assert "ballot.cast" not in shown and "poll.closed" not in shown
    assert all(cp["ballots"] is None for cp in record["checkpoints"])
    assert verify(record).failures == []


def test_the_board_of_an_open_poll_is_not_shown(app: Suara, client: TestClient) -> None:
    c = factories.congress(app)
    poll_id = factories.open_motion(app, c.id)
    assert client.get(f"/polls/{poll_id}/board.json").status_code == 409
    page = client.get(f"/polls/{poll_id}/audit")
    assert page.status_code == 200 and "suara verify" in page.text
    # The guide names the file the download saves (its header is checked below).
    assert f"suara verify suara-record-{poll_id}.json</code>" in page.text
    assert f"suara cosign suara-record-{poll_id}.json " in page.text


def test_publishing_waits_for_k_observer_cosignatures_uploaded_through_the_api(
    app: Suara, driver: Driver, client: TestClient, tmp_path: Path
) -> None:
    c = factories.congress(app, delegates=6, cards=8)
    keys = [Ed25519PrivateKey.generate() for _ in range(3)]
    for i, key in enumerate(keys):
        app.bus.handle(RegisterObserver(c.id, f"Saksi {i + 1}", canon.public_key_hex(key)))
    poll_id = factories.open_motion(app, c.id, required_cosignatures=2)
    for tag in c.tags[:6]:
        app.bus.handle(CastBallot(poll_id, tag, (0,)))
    app.bus.handle(ClosePoll(poll_id))
    driver.settle()
    assert not app.queries.result(poll_id).published  # type: ignore[union-attr]
    record = client.get(f"/polls/{poll_id}/record.json").json()
    assert verify(record).failures == []
    stranger = cosignatures(record, canon.private_key_pem(Ed25519PrivateKey.generate()), poll_id)
    url = f"/api/polls/{poll_id}/cosignatures"
    assert client.post(url, json=stranger[0]).status_code == 422
    assert client.post(url, content=b"not json").status_code == 422
    assert client.post(url, json=[]).status_code == 422
    for n, key in enumerate(keys[:2], start=1):
        signed = cosignatures(record, canon.private_key_pem(key), poll_id)  # as `suara cosign`
        assert client.post(url, json=signed).status_code == 201
        assert client.post(url, json=signed[0]).status_code == 200  # a repeat changes nothing
        driver.settle()
        assert app.queries.result(poll_id).published is (n == 2)  # type: ignore[union-attr]
    page = client.get(f"/polls/{poll_id}/result")
    assert "Saksi 1" in page.text and "Saksi 2" in page.text and "Saksi 3" not in page.text
    shown = client.get(f"/api/polls/{poll_id}").json()["cosigned_by"]
    assert sorted(o["label"] for o in shown) == ["Saksi 1", "Saksi 2"]
    final = client.get(f"/polls/{poll_id}/record.json").json()
    report = verify(final)
    assert report.failures == []
    assert report.render().count("co-signature by observer") == 2


def test_the_chair_registers_an_observer_key_on_a_page_and_others_cannot(
    app: Suara, client: TestClient
) -> None:
    c = factories.congress(app)
    public = canon.public_key_hex(Ed25519PrivateKey.generate())
    url = f"/congresses/{c.id}/observers"
    token = csrf(client.get(f"/congresses/{c.id}/signin").text)
    assert (
        client.post(url, data={"csrf_token": token, "label": "X", "public_key": public}).status_code
        == 403
    )
    page = client.get(f"/congresses/{c.id}/signin")
    client.post(
        f"/congresses/{c.id}/signin",
        data={"csrf_token": csrf(page.text), "code": c.identity["chair"]},
    )
    token = csrf(client.get(url).text)
    bad = client.post(url, data={"csrf_token": token, "label": "Saksi", "public_key": "abc"})
    assert bad.status_code == 422
    done = client.post(
        url, data={"csrf_token": token, "label": "Saksi Barat", "public_key": public}
    )
    assert done.status_code == 303
    shown = client.get(url).text
    assert "Saksi Barat" in shown and canon.fingerprint(public) in shown
    assert [o.label for o in app.trust.observers(c.id)] == ["Saksi Barat"]
