"""The web process killed (SIGKILL) while delegates vote: every receipt any phone received is
on the board, no ballot is stored twice, and the app serves again after a restart."""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest

from governance.bootstrap import bootstrap
from governance.domain.commands import ClosePoll
from governance.records import canon
from tests import factories
from tests.conftest import FAST_HASHER, make_settings
from tests.e2e.flow import csrf, free_port
from tests.e2e.stack import Probe, Stack, kill9, wait_until

pytestmark = pytest.mark.e2e

VOTERS = 40
ARRIVAL_S = 0.05  # between one phone's first request and the next one's


class Phone:
    """One delegate's phone: signs in with its voting card, votes, reads its receipt; retries
    whatever fails in transit, as a person on hotel Wi-Fi would."""

    def __init__(self, base: str, congress_id: str, code: str, poll_id: str) -> None:
        self.base, self.congress_id, self.code, self.poll_id = base, congress_id, code, poll_id
        self.client = httpx2.Client(base_url=base, timeout=5, follow_redirects=False)
        self.signed_in = False
        self.cast = False
        self.receipt: str | None = None
        self.voted_unseen = False  # stored, but the one showing of its receipt was lost
        self.failures = 0

    def step(self) -> None:
        if not self.signed_in:
            page = self.client.get(f"/congresses/{self.congress_id}/voting-card")
            data = {"csrf_token": csrf(page.text), "code": self.code}
            answer = self.client.post(f"/congresses/{self.congress_id}/voting-card", data=data)
            self.signed_in = answer.status_code == 303
            return
        if not self.cast:
            token = csrf(self.client.get(f"/polls/{self.poll_id}").text)
            data = {"csrf_token": token, "choice": str(len(self.code) % 3)}
            answer = self.client.post(f"/polls/{self.poll_id}/ballot", data=data)
            assert answer.status_code in (303, 409, 503), answer.status_code
            # 409: the first try was stored but its answer died with the process; a repeat is
            # refused whatever its choice, and the receipt is not shown twice (issue 18).
            self.voted_unseen = answer.status_code == 409
            self.cast = answer.status_code == 303
            return
        page = self.client.get(f"/polls/{self.poll_id}/receipt")
        found = re.search(r'id="receipt">([0-9A-Z-]{19})<', page.text)
        if found:
            self.receipt = found.group(1)
        else:  # the receipt page was lost with the process: cast again, same ballot
            self.cast = False

    def run(self, deadline: float, stop: threading.Event, arrives_after: float = 0) -> None:
        time.sleep(arrives_after)
        while (
            self.receipt is None
            and not self.voted_unseen
            and time.monotonic() < deadline
            and not stop.is_set()
        ):
            try:
                self.step()
            except (httpx2.TransportError, AssertionError):
                self.failures += 1
                time.sleep(0.1)
        self.client.close()


def test_killing_the_web_process_under_load_loses_no_acknowledged_ballot(
    tmp_path: Path, pg_url: str, redis_url: str, broker_namespace: str
) -> None:
    app = bootstrap(make_settings(tmp_path, pg_url), hasher=FAST_HASHER)
    congress = factories.congress(app, delegates=4, cards=VOTERS)
    poll_id = factories.open_motion(app, congress.id)
    stack = Stack(
        tmp_path, app.settings.database_url, redis_url, broker_namespace, app.settings.secret_key
    )
    probe = Probe(pg_url)
    port = free_port()
    stop = threading.Event()
    try:
        base, web = stack.web(port)
        phones = [Phone(base, congress.id, code, poll_id) for code in congress.voting_codes]
        deadline = time.monotonic() + 60
        with ThreadPoolExecutor(max_workers=VOTERS) as pool:
            # Delegates arrive over two seconds, as in a room, so the kill below lands while
            # some are voting and others have yet to start: on a fast machine all forty at
            # once were done before the kill.
            running = [
                pool.submit(phone.run, deadline, stop, i * ARRIVAL_S)
                for i, phone in enumerate(phones)
            ]
            wait_until(lambda: len(probe.receipts(poll_id)) >= VOTERS // 4, 30, "some ballots")
            kill9(web)
            received_before = {p.receipt for p in phones if p.receipt}
            stack.web(port)  # the same address: phones keep their cookies and retry
            for future in running:
                future.result()
        receipts = [p.receipt for p in phones if p.receipt is not None]
        assert len(received_before) < VOTERS and sum(p.failures for p in phones) > 0
        assert all(p.receipt or p.voted_unseen for p in phones), "every phone votes"
        board = probe.receipts(poll_id)
        assert len(board) == len(set(board)) == VOTERS  # nothing lost, nothing twice
        assert set(receipts) <= set(board) and received_before <= set(board)
        app.bus.handle(ClosePoll(poll_id))
        assert probe.logged_receipts_sha256(poll_id) == canon.receipts_sha256(board)
    finally:
        stop.set()
        stack.stop()
        probe.dispose()
        app.dispose()
