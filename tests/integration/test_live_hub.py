"""One poller per web process feeds every event stream (issue 16), on both backends: the reads
do not grow with the audience, every stream gets a close, a late or resuming stream still gets
what it missed, and the per-address cap answers the excess with a retry hint."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain.commands import ClosePoll
from tests import factories
from web.app import create_app
from web.live_hub import LiveHub

INTERVAL = 0.05


def run_scene(scene):  # type: ignore[no-untyped-def]
    """Run a scene on its own loop in its own thread: browser tests earlier in a run leave an
    event loop running in the main thread, where asyncio.run() is refused."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(scene())).result()


def handle(app: Suara, command: object) -> None:
    """A command, then its events sequenced into the log (the relay's first step)."""
    app.bus.handle(command)
    app.outbox.sequence()


async def collect(hub: LiveHub, congress_id: str, after: int, until: float) -> list[str]:
    """The events one stream yields within `until` seconds (message lines only)."""
    seen: list[str] = []

    async def read() -> None:
        async for chunk in hub.stream(congress_id, after, "192.0.2.1", lifetime=until):
            seen.extend(line for line in chunk.splitlines() if line.startswith(("id:", "event:")))

    await asyncio.wait_for(read(), until + 5)
    return seen


def closes(lines: list[str]) -> int:
    return sum(1 for line in lines if line == "event: poll.closed")


def test_many_streams_share_one_reader_and_each_gets_the_close(app: Suara) -> None:
    congress = factories.congress(app)
    poll_id = factories.open_motion(app, congress.id)
    app.outbox.sequence()
    start = app.queries.log_position()
    hub = LiveHub(app, interval=INTERVAL)

    async def scene() -> list[list[str]]:
        streams = [asyncio.create_task(collect(hub, congress.id, start, 1.5)) for _ in range(60)]
        await asyncio.sleep(0.4)
        await asyncio.to_thread(handle, app, ClosePoll(poll_id))
        return await asyncio.gather(*streams)

    seen = run_scene(scene)
    assert all(closes(lines) == 1 for lines in seen)  # every stream, once
    reads = hub.watchers[congress.id].reads
    # About two reads a tick whoever listens: 60 streams each polling would be ~3,600.
    assert reads < 2 * (1.5 / INTERVAL) + 20, reads
    assert hub.per_address == {}  # every stream gave its place back


def test_a_late_stream_and_a_resuming_one_get_what_they_missed(app: Suara) -> None:
    congress = factories.congress(app)
    first = factories.open_motion(app, congress.id)
    app.outbox.sequence()
    before = app.queries.log_position()
    handle(app, ClosePoll(first))  # happens before any stream listens
    second = factories.open_motion(app, congress.id)
    app.outbox.sequence()
    hub = LiveHub(app, interval=INTERVAL)

    async def scene() -> tuple[list[str], list[str]]:
        early = asyncio.create_task(collect(hub, congress.id, app.queries.log_position(), 1.0))
        await asyncio.sleep(0.2)
        await asyncio.to_thread(handle, app, ClosePoll(second))
        await asyncio.sleep(0.2)
        # Connects after both closes, resuming from before the first (Last-Event-ID): behind
        # the watcher's buffer, so it catches up from the log by itself.
        late = await collect(hub, congress.id, before, 0.5)
        return await early, late

    early, late = run_scene(scene)
    assert closes(early) == 1
    assert closes(late) == 2
    ids = [int(line[4:]) for line in late if line.startswith("id:")]
    assert ids == sorted(ids)  # in log order, nothing twice out of order


def test_the_per_address_cap_answers_with_a_retry_hint(sqlite_app: Suara) -> None:
    congress = factories.congress(sqlite_app)
    web = create_app(sqlite_app)
    hub: LiveHub = web.state.live_hub
    hub.cap = 2
    hub.admit("testclient")
    hub.admit("testclient")  # this address already holds two streams
    with TestClient(web) as client:
        answer = client.get(f"/congresses/{congress.id}/events")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "30"
    assert "Terlalu banyak sambungan" in answer.text
    hub.release("testclient")
    assert hub.per_address == {"testclient": 1}
    assert json.dumps(hub.per_address)  # plain data: nothing else kept per address
