"""Page weight on a delegate's phone: HTML, CSS and JS transferred, with an empty cache."""

from __future__ import annotations

import pytest

from tests.browser.actions import Sessions
from tests.browser.checks import DELEGATE_PAGE_BUDGET, measure_transfer
from tests.browser.conftest import VIEWPORTS
from tests.browser.pages import DELEGATE_PAGES, PAGES, PageCase, Targets
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("case", [c for c in PAGES if c.name in DELEGATE_PAGES], ids=str)
def test_a_delegate_page_transfers_at_most_60_kb(
    sessions: Sessions, live: LiveServer, targets: Targets, case: PageCase
) -> None:
    # A new profile with only the session cookie: a first visit over hotel Wi-Fi has no cache.
    context = sessions.context(case.who, VIEWPORTS["phone"])
    try:
        transfer = measure_transfer(context.new_page(), live.url(case.path(targets)))
    finally:
        context.close()
    print(f"page weight {case.name}: {transfer.total} bytes {transfer.sizes}")
    assert any("/static/app.css" in url for url in transfer.sizes)
    assert any("/static/app.js" in url for url in transfer.sizes)
    assert all(url.startswith(live.base + "/") for url in transfer.sizes)  # no CDN, no font
    assert 0 < transfer.total <= DELEGATE_PAGE_BUDGET
