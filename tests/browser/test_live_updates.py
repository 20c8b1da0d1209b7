"""A poll's page follows the poll live: from where the log stood at its render, without reloading
for a change it already shows (a reload under a chair's finger would swallow their next tap)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from governance.domain.commands import ClosePoll
from tests.browser.pages import cast, wait_until_published
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e
OPTIONS = ("yes", "no", "abstain")


@pytest.fixture
def viewport() -> str:
    """On a phone only: the live page's logic does not depend on the screen."""
    return "phone"


def sse(poll_id: str, *events: tuple[str, dict[str, object]]) -> str:
    """A short stream body that asks the browser to reconnect within 100 ms."""
    blocks = [
        f"id: {n}\nevent: {name}\ndata: {json.dumps({'poll_id': poll_id, **data})}\n\n"
        for n, (name, data) in enumerate(events, start=1)
    ]
    return "retry: 100\n\n" + "".join(blocks)


def test_an_open_polls_page_ignores_its_own_opening_and_reloads_when_it_closes(
    page: Page, live: LiveServer
) -> None:
    poll_id = live.open_poll("Live page (opening already shown)", "yes-no-abstain", OPTIONS)
    bodies: list[str] = []  # what the next connection of the page's stream receives

    def stream(route: Route) -> None:
        route.fulfill(
            status=200,
            headers={"content-type": "text/event-stream"},
            body=bodies.pop(0) if bodies else "retry: 100\n\n",
        )

    page.route("**/events*", stream)
    bodies.append(sse(poll_id, ("poll.opened", {}), ("turnout", {"turnout": 9})))
    page.goto(live.url(f"/polls/{poll_id}"))
    expect(page.locator("body")).to_have_attribute("data-shows", "poll.opened")
    page.evaluate("window.stillTheSamePage = true")
    expect(page.locator(f"[data-turnout='{poll_id}']")).to_have_text("9")  # after the opening
    assert page.evaluate("window.stillTheSamePage === true")

    with page.expect_navigation():
        bodies.append(sse(poll_id, ("poll.closed", {})))
    assert page.evaluate("window.stillTheSamePage === undefined")


def test_a_change_made_while_a_page_loads_reaches_it(page: Page, live: LiveServer) -> None:
    poll_id = live.open_poll("Live page (closed while loading)", "yes-no-abstain", OPTIONS)
    for choice in (0, 0, 1):
        cast(live, poll_id, (choice,))
    asked: list[str] = []

    def unreachable(route: Route) -> None:  # a slow phone whose stream has not connected yet
        asked.append(route.request.url)
        route.abort()

    page.route("**/events*", unreachable)
    page.goto(live.url(f"/polls/{poll_id}"))
    expect(page.locator(".status strong")).to_have_text("dibuka")
    position = page.locator("body").get_attribute("data-live-after")
    assert position is not None and position.isdigit()
    for _ in range(100):  # the stream connects once the page's script has run
        if asked:
            break
        page.wait_for_timeout(50)
    assert asked and parse_qs(urlsplit(asked[0]).query)["after"] == [position]

    live.app.bus.handle(ClosePoll(poll_id))
    wait_until_published(live, poll_id)
    page.unroute("**/events*")  # the stream connects after the poll was closed and counted
    result = page.locator(f"a[href='/polls/{poll_id}/result']")
    expect(result).to_be_visible(timeout=20_000)
    expect(page.locator(".status strong")).to_have_text("ditutup")
