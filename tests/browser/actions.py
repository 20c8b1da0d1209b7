"""What people do on the pages, as a browser does it: sign in, switch cards, vote."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.server import LiveServer


def sign_in(page: Page, live: LiveServer, role: str) -> None:
    """Sign in with one of the demo identity cards (delegate, chair, secretariat, observer)."""
    page.goto(live.url(f"/congresses/{live.demo.congress_id}/signin"))
    page.fill("#code", live.demo.identity[role])
    page.click("form[action$='/signin'] button[type=submit]")
    page.wait_for_url(f"**/congresses/{live.demo.congress_id}")


def use_voting_card(page: Page, live: LiveServer) -> None:
    """Switch the phone to a fresh anonymous voting card, through the congress page's button."""
    page.goto(live.url(f"/congresses/{live.demo.congress_id}"))
    page.click(f"a[href='/congresses/{live.demo.congress_id}/voting-card']")
    page.fill("#code", live.voting_card())
    page.click("form[action$='/voting-card'] button[type=submit]")
    page.wait_for_url(f"**/congresses/{live.demo.congress_id}")


def sign_in_as(page: Page, live: LiveServer, who: str | None) -> None:
    """`who` from a page list entry: None (the public), "voter", or an identity role."""
    if who == "voter":
        use_voting_card(page, live)
    elif who is not None:
        sign_in(page, live, who)


class Sessions:
    """Signed-in browser states by who, made once per run: pages that only look reuse them."""

    def __init__(self, browser: Browser, live: LiveServer) -> None:
        self.browser = browser
        self.live = live
        self.states: dict[str | None, Any] = {}

    def state(self, who: str | None) -> Any:
        if who not in self.states:
            context = self.browser.new_context()
            try:
                sign_in_as(context.new_page(), self.live, who)
                self.states[who] = context.storage_state()
            finally:
                context.close()
        return self.states[who]

    def context(self, who: str | None, viewport: dict[str, int]) -> BrowserContext:
        """A new profile (empty cache) that already carries the session cookie of `who`."""
        context = self.browser.new_context(
            viewport=viewport,  # type: ignore[arg-type]
            storage_state=self.state(who),
            locale="id-ID",
        )
        context.set_default_timeout(10_000)
        return context
