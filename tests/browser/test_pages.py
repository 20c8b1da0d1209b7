"""Every page in `pages.PAGES`, at 360x740 then 1280x800: axe-core, labels, touch targets."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.actions import sign_in_as
from tests.browser.checks import blocking_violations, small_targets, unlabelled_controls
from tests.browser.conftest import VIEWPORTS
from tests.browser.pages import PAGES, PageCase, Targets
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("case", PAGES, ids=str)
def test_page_has_no_serious_violation_unlabelled_control_or_small_target(
    phone: Page, live: LiveServer, targets: Targets, case: PageCase
) -> None:
    sign_in_as(phone, live, case.who)
    phone.goto(live.url(case.path(targets)))
    # One sign-in per page, checked at both sizes: the layout is what changes between them.
    for size, viewport in VIEWPORTS.items():
        phone.set_viewport_size(viewport)  # type: ignore[arg-type]
        found = {
            "axe": blocking_violations(phone),
            "unlabelled": unlabelled_controls(phone),
            "small targets": small_targets(phone),
        }
        assert found == {"axe": [], "unlabelled": [], "small targets": []}, size
