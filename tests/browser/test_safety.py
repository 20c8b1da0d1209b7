"""Safety on a shared or watched phone: neutral title, quick exit, sign-out, language, no JS."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.actions import sign_in
from tests.browser.conftest import VIEWPORTS
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e


def test_the_tab_title_does_not_say_what_the_meeting_is(page: Page, live: LiveServer) -> None:
    sign_in(page, live, "delegate")
    assert page.title() == "Suara"
    page.goto(live.url(f"/congresses/{live.demo.congress_id}/projector"))
    assert page.title() == "Suara"


def test_an_idle_phone_leaves_for_the_neutral_exit_page(page: Page, live: LiveServer) -> None:
    page.clock.install()
    sign_in(page, live, "delegate")
    page.clock.fast_forward("29:00")
    assert page.url.endswith(f"/congresses/{live.demo.congress_id}")
    page.clock.fast_forward("02:00")
    page.wait_for_url("**/exit")
    page.goto(live.url(f"/congresses/{live.demo.congress_id}"))
    expect(page.get_by_role("link", name="Masuk dengan kartu identitas")).to_be_visible()


def test_the_projector_is_not_sent_away_when_nobody_touches_it(
    page: Page, live: LiveServer
) -> None:
    sign_in(page, live, "secretariat")
    assert page.locator("body").get_attribute("data-idle-seconds") is not None
    page.goto(live.url(f"/congresses/{live.demo.congress_id}/projector"))
    assert page.locator("body").get_attribute("data-idle-seconds") is None


def test_the_quick_exit_signs_out_and_shows_nothing_about_the_meeting(
    page: Page, live: LiveServer
) -> None:
    sign_in(page, live, "delegate")
    page.get_by_role("link", name="Keluar cepat").click()
    page.wait_for_url("**/exit")
    assert "Kongres" not in page.content()
    page.go_back()
    page.goto(live.url(f"/congresses/{live.demo.congress_id}"))
    expect(page.get_by_role("link", name="Masuk dengan kartu identitas")).to_be_visible()


def test_back_after_the_quick_exit_does_not_return_to_the_meeting(
    page: Page, live: LiveServer
) -> None:
    sign_in(page, live, "delegate")
    congress = live.url(f"/congresses/{live.demo.congress_id}")
    assert page.url == congress
    page.get_by_role("link", name="Keluar cepat").click()
    page.wait_for_url("**/exit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cuaca")
    page.go_back()
    assert page.url != congress


def test_the_site_has_a_neutral_icon(page: Page, live: LiveServer) -> None:
    response = page.request.get(live.url("/favicon.ico"))
    assert response.status == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.body()[:4] == b"\x00\x00\x01\x00"


def test_the_chosen_language_is_remembered_across_pages(page: Page, live: LiveServer) -> None:
    page.goto(live.url(f"/congresses/{live.demo.congress_id}"))
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(live.url(f"/congresses/{live.demo.congress_id}/signin"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_without_javascript_the_live_pages_keep_their_refresh_links(
    browser: Browser, live: LiveServer
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])  # type: ignore[arg-type]
    try:
        page = context.new_page()
        for path in ("", "/projector"):
            page.goto(live.url(f"/congresses/{live.demo.congress_id}{path}"))
            expect(page.get_by_role("link", name="Muat ulang")).to_be_visible()
    finally:
        context.close()
