"""Browser fixtures: Debian's Chromium driven by Playwright, and the real app as a process.

Chromium comes from the distribution (`apt-get install chromium`), never from
`playwright install`, so the tests run offline. With CI=true a missing browser fails the run;
elsewhere the browser tests are skipped with a reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.actions import Sessions
from tests.browser.pages import Targets, build_targets
from tests.browser.server import LiveServer, live_server

CHROMIUM = os.environ.get("SUARA_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {"phone": {"width": 360, "height": 740}, "laptop": {"width": 1280, "height": 800}}

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One demo server for the whole browser run; tests add their own polls to it."""
    with live_server(tmp_path_factory.mktemp("browser-data")) as server:
        yield server


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def context(browser: Browser, viewport: str) -> Iterator[BrowserContext]:
    """A fresh profile (no cookies, empty cache) at the phone or the laptop size."""
    ctx = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID")  # type: ignore[arg-type]
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def targets(live: LiveServer) -> Targets:
    return build_targets(live)


@pytest.fixture(scope="session")
def sessions(browser: Browser, live: LiveServer) -> Sessions:
    return Sessions(browser, live)
