"""Page weight on a delegate's phone: HTML, CSS and JS transferred, with an empty cache."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.actions import sign_in_as
from tests.browser.checks import DELEGATE_PAGE_BUDGET, measure_transfer
from tests.browser.conftest import VIEWPORTS
from tests.browser.pages import DELEGATE_PAGES, PAGES, PageCase, Targets
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("case", [c for c in PAGES if c.name in DELEGATE_PAGES], ids=str)
def test_a_delegate_page_transfers_at_most_60_kb(
    browser: Browser, phone: Page, live: LiveServer, targets: Targets, case: PageCase
) -> None:
    sign_in_as(phone, live, case.who)
    # Signing in warmed the cache; a first visit over hotel Wi-Fi has none, so the page is
    # loaded in a new profile that carries only the session cookie.
    cold = browser.new_context(
        viewport=VIEWPORTS["phone"],  # type: ignore[arg-type]
        storage_state=phone.context.storage_state(),
    )
    try:
        transfer = measure_transfer(cold.new_page(), live.url(case.path(targets)))
    finally:
        cold.close()
    print(f"page weight {case.name}: {transfer.total} bytes {transfer.sizes}")
    assert any("/static/app.css" in url for url in transfer.sizes)
    assert all(url.startswith(live.base + "/") for url in transfer.sizes)  # no CDN, no font
    assert 0 < transfer.total <= DELEGATE_PAGE_BUDGET
