"""The secretariat sets up the day from a laptop: checklist, delegates, check-in, agenda."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.actions import sign_in
from tests.browser.checks import blocking_violations
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e


def test_the_secretariat_follows_the_checklist_to_check_in_a_delegate(
    page: Page, live: LiveServer, viewport: str
) -> None:
    sign_in(page, live, "secretariat")
    page.get_by_role("link", name="Daftar persiapan").click()
    page.wait_for_url(f"**/congresses/{live.demo.congress_id}/setup")
    assert blocking_violations(page) == []
    checked = page.locator(".checklist li", has_text="Sudah hadir")
    before = int(checked.inner_text().split(":")[1].split()[0])
    expect(page.locator(".checklist li", has_text="Delegasi diimpor")).to_have_class("done")

    checked.get_by_role("link").click()
    page.wait_for_url(f"**/congresses/{live.demo.congress_id}/checkin")
    absent = page.locator("form[action$='/checkin']", has=page.locator("input[value=yes]"))
    assert absent.count() > 0  # the demo checks in 48 of 52
    absent.first.get_by_role("button").click()
    page.goto(live.url(f"/congresses/{live.demo.congress_id}/setup"))
    after = int(
        page.locator(".checklist li", has_text="Sudah hadir").inner_text().split(":")[1].split()[0]
    )
    assert after == before + 1
    page.locator(".checklist li", has_text="Sudah hadir").get_by_role("link").click()
    undo = page.locator("form[action$='/checkin']", has=page.locator("input[value=no]"))
    undo.last.get_by_role("button").click()  # leave the shared demo as it was
