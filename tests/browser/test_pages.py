"""Every page in `pages.PAGES`, at 360x740 then 1280x800: axe-core, labels, touch targets."""

from __future__ import annotations

import pytest

from tests.browser.actions import Sessions
from tests.browser.checks import blocking_violations, small_targets, unlabelled_controls
from tests.browser.conftest import VIEWPORTS
from tests.browser.pages import PAGES, PageCase, Targets
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("case", PAGES, ids=str)
def test_page_has_no_serious_violation_unlabelled_control_or_small_target(
    sessions: Sessions, live: LiveServer, targets: Targets, case: PageCase
) -> None:
    context = sessions.context(case.who, VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.goto(live.url(case.path(targets)))
        # Checked at both sizes in one load: the layout is what changes between them.
        for size, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)  # type: ignore[arg-type]
            found = {
                "axe": blocking_violations(page),
                "unlabelled": unlabelled_controls(page),
                "small targets": small_targets(page),
            }
            assert found == {"axe": [], "unlabelled": [], "small targets": []}, size
    finally:
        context.close()
