"""Screenshots of the main screens, for README.md and for a person to look at.

They go to a temporary folder on every run (so the code that takes them stays working) and to
docs/screenshots/ when SUARA_SCREENSHOTS names that folder:
`SUARA_SCREENSHOTS=docs/screenshots pytest tests/browser/test_screenshots.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.actions import sign_in_as
from tests.browser.conftest import VIEWPORTS
from tests.browser.pages import Targets
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e

# name, who, size, path
SCREENS = [
    ("1-congress-delegate", "delegate", "phone", lambda t: f"/congresses/{t.congress_id}"),
    ("2-ballot-ranked", "voter", "phone", lambda t: f"/polls/{t.ranked_id}"),
    ("4-result", None, "phone", lambda t: f"/polls/{t.closed_stv_id}/result"),
    ("5-projector", None, "laptop", lambda t: f"/congresses/{t.congress_id}/projector"),
    ("6-setup-checklist", "secretariat", "phone", lambda t: f"/congresses/{t.congress_id}/setup"),
]


def folder(tmp_path: Path) -> Path:
    target = Path(os.environ.get("SUARA_SCREENSHOTS", "") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def shoot(browser: Browser, live: LiveServer, who: str | None, size: str, url: str) -> Page:
    context = browser.new_context(viewport=VIEWPORTS[size], device_scale_factor=1)  # type: ignore[arg-type]
    page = context.new_page()
    sign_in_as(page, live, who)
    page.goto(live.url(url))
    return page


def test_screenshots_of_the_main_screens(
    browser: Browser, live: LiveServer, targets: Targets, tmp_path: Path
) -> None:
    out = folder(tmp_path)
    for name, who, size, path in SCREENS:
        page = shoot(browser, live, who, size, path(targets))
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
        page.context.close()
    # The receipt exists only right after a vote.
    page = shoot(browser, live, "voter", "phone", f"/polls/{targets.approval_id}")
    page.locator("label.choice").first.click()
    page.locator("form.ballot button[type=submit]").click()
    page.wait_for_url("**/receipt")
    page.screenshot(path=str(out / "3-receipt.png"), full_page=True)
    page.context.close()
    assert sorted(p.name for p in out.glob("*.png")) == [
        "1-congress-delegate.png",
        "2-ballot-ranked.png",
        "3-receipt.png",
        "4-result.png",
        "5-projector.png",
        "6-setup-checklist.png",
    ]
