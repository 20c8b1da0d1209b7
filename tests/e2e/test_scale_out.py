"""The shape that scales past one machine: two web processes and two worker processes on one
PostgreSQL and one Redis, with the relay. Voters spread over both web ports lose no ballot
they were given a receipt for, and each poll's result is computed and published once and
equals a recount of its public board.

One relay, as the design prescribes (docs/ARCHITECTURE.md, DESIGN.md "one relay"): the
sequencer would tolerate two (it serialises on the `log_head` row lock), but both relays would
share one cursor, re-send each other's events and move the cursor backwards, so every message
would go out twice or more and safety would rest entirely on the actors' idempotence.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest
import redis

from governance.bootstrap import Suara, bootstrap
from governance.domain.counting import group_constraints
from governance.domain.results import canonical_json
from governance.records import canon
from governance.tally import TallyInput, tally
from tests import factories
from tests.conftest import FAST_HASHER, make_settings
from tests.e2e.flow import assert_record_verifies, csrf
from tests.e2e.stack import Probe, Stack, wait_until

pytestmark = pytest.mark.e2e

VOTERS = 48
CANDIDATES = ("Anggrek", "Bakung", "Cempaka", "Dahlia", "Kenanga", "Melati", "Teratai")


@dataclass(frozen=True)
class PollSpec:
    method: str
    options: tuple[str, ...]
    seats: int = 1


POLLS = (
    PollSpec("yes-no-abstain", ("yes", "no", "abstain")),
    PollSpec("plurality", CANDIDATES[:4]),
    PollSpec("approval", CANDIDATES[:5], seats=2),
    PollSpec("meek-stv", CANDIDATES, seats=3),
)


def ballot_form(spec: PollSpec, rng: random.Random) -> dict[str, str | list[str]]:
    """What a voter's phone posts for this kind of poll, chosen at random."""
    if spec.method == "meek-stv":
        ranking = rng.sample(range(len(spec.options)), rng.randint(1, len(spec.options)))
        return {f"rank-{i + 1}": str(c) for i, c in enumerate(ranking)}
    if spec.method == "approval":
        approved = rng.sample(range(len(spec.options)), rng.randint(1, 3))
        return {"choice": [str(c) for c in sorted(approved)]}
    return {"choice": str(rng.randrange(len(spec.options)))}


@dataclass
class Voter:
    """One phone with one voting card, voting in every open poll through alternating web
    processes (the session is a cookie signed with the shared secret, valid on both)."""

    bases: tuple[str, str]
    congress_id: str
    code: str
    number: int
    receipts: dict[str, str] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)

    def base(self, step: int) -> str:
        return self.bases[(self.number + step) % 2]

    def run(self, polls: dict[str, PollSpec], start: threading.Barrier) -> None:
        rng = random.Random(self.number)
        with httpx2.Client(timeout=10, follow_redirects=False) as phone:
            start.wait()
            self._sign_in(phone)
            for step, (poll_id, spec) in enumerate(polls.items(), start=1):
                self._vote(phone, self.base(step), poll_id, ballot_form(spec, rng))

    def _sign_in(self, phone: httpx2.Client) -> None:
        url = f"{self.base(0)}/congresses/{self.congress_id}/voting-card"
        answer = phone.post(url, data={"csrf_token": csrf(phone.get(url).text), "code": self.code})
        assert answer.status_code == 303, answer.status_code

    def _vote(
        self, phone: httpx2.Client, base: str, poll_id: str, form: dict[str, str | list[str]]
    ) -> None:
        # A 503 means "not recorded, try again"; an identical retry returns the same ballot.
        for _ in range(5):
            token = csrf(phone.get(f"{base}/polls/{poll_id}").text)
            cast = phone.post(f"{base}/polls/{poll_id}/ballot", data={"csrf_token": token, **form})
            if cast.status_code != 303:
                self.unexpected.append(f"ballot {cast.status_code}")
                time.sleep(0.2)
                continue
            page = phone.get(f"{base}/polls/{poll_id}/receipt")
            found = re.search(r'id="receipt">([0-9A-Z-]{19})<', page.text)
            if found:
                self.receipts[poll_id] = found.group(1)
                return
            self.unexpected.append(f"receipt page {page.status_code}")


def close_as_chair(base: str, congress_id: str, code: str, poll_ids: list[str]) -> None:
    with httpx2.Client(base_url=base, timeout=10, follow_redirects=False) as laptop:
        page = laptop.get(f"/congresses/{congress_id}/signin")
        data = {"csrf_token": csrf(page.text), "code": code}
        assert laptop.post(f"/congresses/{congress_id}/signin", data=data).status_code == 303
        for poll_id in poll_ids:
            token = csrf(laptop.get(f"/polls/{poll_id}").text)
            closed = laptop.post(f"/polls/{poll_id}/close", data={"csrf_token": token})
            assert closed.status_code == 303, closed.status_code


def broker_quiet(client: redis.Redis, namespace: str) -> bool:
    """No message waiting, delayed for a retry, or taken and not yet acknowledged."""
    waiting = client.hlen(f"{namespace}:suara.msgs") + client.hlen(f"{namespace}:suara.DQ.msgs")
    in_flight = sum(int(client.scard(k)) for k in client.scan_iter(f"{namespace}:__acks__.*"))
    return waiting + in_flight == 0


def recount(suara: Suara, poll_id: str, board: bytes) -> tuple[str, str]:
    """Count the public board's ballots with the tally package, as an observer would."""
    poll = suara.queries.poll(poll_id)
    assert poll is not None
    ballots = Counter(tuple(b["choices"]) for b in json.loads(board)["ballots"])
    snapshot = poll.closed_snapshot
    counted = tally(
        TallyInput(
            method=poll.method,
            candidates=poll.options,
            ballots=tuple(sorted(ballots.items())),
            seats=poll.seats,
            rule=poll.rule,
            electorate=snapshot.get("entitled"),
            present=snapshot.get("present"),
            seed=poll.seed,
            constraints=group_constraints(poll),
            min_selections=poll.min_selections,
            max_selections=poll.max_selections,
        )
    )
    return counted.outcome, canonical_json(counted.to_dict() | {"snapshot": dict(snapshot)})


def effects(log: str, what: str) -> int:
    return log.count(f"{what} for event ")


def test_two_web_and_two_worker_processes_lose_nothing_and_publish_each_result_once(
    tmp_path: Path, pg_url: str, redis_url: str, broker_namespace: str
) -> None:
    suara = bootstrap(make_settings(tmp_path, pg_url), hasher=FAST_HASHER)
    congress = factories.congress(suara, delegates=VOTERS, cards=VOTERS)
    polls = {
        factories.open_motion(suara, congress.id, s.method, s.options, seats=s.seats): s
        for s in POLLS
    }
    stack = Stack(
        tmp_path,
        suara.settings.database_url,
        redis_url,
        broker_namespace,
        suara.settings.secret_key,
    )
    probe = Probe(pg_url)
    client = redis.Redis.from_url(redis_url)
    try:
        workers = [stack.worker(), stack.worker()]  # they boot while the web processes do
        stack.relay()
        webs = stack.webs(2)
        bases = (webs[0][0], webs[1][0])
        for worker in workers:  # both consume from the start, so either may take any message
            wait_until(lambda w=worker: "ready for action" in stack.log(w), 30, "a worker")

        voters = [
            Voter(bases, congress.id, code, i) for i, code in enumerate(congress.voting_codes)
        ]
        start = threading.Barrier(VOTERS, timeout=60)
        with ThreadPoolExecutor(max_workers=VOTERS) as pool:
            for done in [pool.submit(v.run, polls, start) for v in voters]:
                done.result()
        unexpected = [u for v in voters for u in v.unexpected]
        assert all(len(v.receipts) == len(polls) for v in voters), unexpected

        # The chair closes half the polls through each web process, at the same time.
        ids = list(polls)
        chair = congress.identity["chair"]
        with ThreadPoolExecutor(max_workers=2) as pool:
            closing = [
                pool.submit(close_as_chair, base, congress.id, chair, ids[i::2])
                for i, base in enumerate(bases)
            ]
            for done in closing:
                done.result()

        for poll_id in ids:
            wait_until(
                lambda p=poll_id: probe.count_events("result.published", p) >= 1, 30, "results"
            )
        # Wait until nothing can still publish: the relay has passed every event and no
        # message is queued, delayed or in a worker's hands.
        wait_until(
            lambda: (
                all(probe.relayed("result.published", p) for p in ids)
                and broker_quiet(client, broker_namespace)
            ),
            20,
            "a quiet broker",
        )

        for poll_id in ids:
            received = sorted(v.receipts[poll_id] for v in voters)
            boards = [httpx2.get(f"{base}/polls/{poll_id}/board.json") for base in bases]
            assert boards[0].content == boards[1].content  # byte-identical from either process
            board = boards[0].content
            on_board = [b["receipt"] for b in json.loads(board)["ballots"]]
            assert on_board == received  # every receipt given out, nothing else, none twice
            assert sorted(probe.receipts(poll_id)) == received
            assert probe.logged_receipts_sha256(poll_id) == canon.receipts_sha256(received)
            assert probe.count_events("result.computed", poll_id) == 1
            assert probe.count_events("result.published", poll_id) == 1
            [stored] = probe.results(poll_id)
            assert (stored.outcome, stored.data) == recount(suara, poll_id, board)
            assert stored.digest == hashlib.sha256(stored.data.encode()).hexdigest()
            assert json.loads(stored.data)["snapshot"]["ballots"] == VOTERS
            with httpx2.Client(base_url=bases[1], timeout=10) as public:
                assert_record_verifies(public, poll_id, time.monotonic() + 10)

        # Each tally and publication happened once in all, in whichever worker took it.
        logs = [stack.log(w) for w in workers]
        tallied = [effects(log, "tallied poll") for log in logs]
        published = [effects(log, "published result") for log in logs]
        assert (sum(tallied), sum(published)) == (len(polls), len(polls)), (tallied, published)
        assert client.zcard(f"{broker_namespace}:suara.XQ") == 0  # nothing dead-lettered
        assert all(w.poll() is None for w in workers) and all(p.poll() is None for _, p in webs)
    finally:
        client.close()
        stack.stop()
        probe.dispose()
        suara.dispose()
