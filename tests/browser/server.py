"""The real app for browser tests: `suara serve --demo` as a child process on a temp SQLite.

The test process opens the same data folder (same SQLite file, same generated secret key), so a
test can add polls through the message bus while the server's own relay and worker react.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from governance.bootstrap import Suara, bootstrap
from governance.config import settings_from_env
from governance.domain import codes
from governance.domain.commands import CreatePoll, OpenPoll
from governance.service_layer import setup
from tests.e2e.flow import (
    SUARA,
    DemoOutput,
    env_for,
    folders,
    free_port,
    parse_demo,
    read_until,
    stop,
    wait_for_health,
)


@dataclass
class LiveServer:
    """A running server, its demo codes, and the application object of its data folder."""

    base: str
    demo: DemoOutput
    app: Suara
    data_dir: Path
    next_card: int = 0

    def url(self, path: str) -> str:
        return self.base + path

    def voting_card(self) -> str:
        """A voting card no other test has used yet (each may vote once per poll).

        The demo prints 60; when the run has used them all, 20 more are registered, as the
        secretariat would register another printed list.
        """
        if self.next_card >= len(self.demo.voting_cards):
            more = [codes.new_voting_code() for _ in range(20)]
            tags = [codes.card_tag(self.app.settings.secret_key, code) for code in more]
            setup.register_voting_cards(self.app.uow_factory, self.demo.congress_id, tags)
            self.demo.voting_cards.extend(more)
        code = self.demo.voting_cards[self.next_card]
        self.next_card += 1
        return code

    def open_poll(self, title: str, method: str, options: tuple[str, ...], seats: int = 1) -> str:
        poll_id: str = self.app.bus.handle(
            CreatePoll(
                congress_id=self.demo.congress_id,
                title=title,
                method=method,
                options=options,
                seats=seats,
            )
        )
        self.app.bus.handle(OpenPoll(poll_id))
        return poll_id


def all_voting_cards(data_dir: Path) -> list[str]:
    """The server prints three cards; the data folder holds all of them."""
    lines = (data_dir / "demo-codes.txt").read_text().splitlines()
    return [line.split(" ", 1)[1] for line in lines if line.startswith("voting-card ")]


@contextmanager
def live_server(data_dir: Path, **env: str) -> Iterator[LiveServer]:
    port = free_port()
    process = subprocess.Popen(
        [SUARA, "serve", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env_for(data_dir, **env),
    )
    try:
        demo = parse_demo(read_until(process, "demo-codes.txt"))
        demo.voting_cards = all_voting_cards(data_dir)
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base, process)
        app = bootstrap(settings_from_env({**folders(data_dir), **env}))
        try:
            yield LiveServer(base, demo, app, data_dir)
        finally:
            app.dispose()
    finally:
        stop(process)
