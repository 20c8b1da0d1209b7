"""A delegate's whole journey on a phone and on a laptop: sign in, switch card, rank, receipt."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from governance.domain.commands import ClosePoll
from tests.browser.actions import sign_in, use_voting_card
from tests.browser.checks import blocking_violations, small_targets
from tests.browser.pages import CANDIDATES, cast, wait_until_published
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e

RECEIPT = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")


def check_receipt_on_board(page: Page, live: LiveServer, poll_id: str, receipt: str) -> None:
    """After the close, the delegate finds the receipt on the public board, typed sloppily."""
    for ballot in ((0,), (2, 1), (3,), (1, 0)):  # enough ballots for the board to be shown
        cast(live, poll_id, ballot)
    live.app.bus.handle(ClosePoll(poll_id))
    wait_until_published(live, poll_id)
    page.goto(live.url(f"/polls/{poll_id}/board"))
    page.fill("#receipt", receipt.lower().replace("-", " "))
    page.get_by_role("button", name="Cari").click()
    found = page.locator("#lookup-result")
    expect(found).to_contain_text("ada di papan")
    expect(found.locator("strong")).to_have_text(f"{CANDIDATES[1]}, {CANDIDATES[0]}")
    assert blocking_violations(page) == []


def test_a_delegate_signs_in_switches_card_ranks_candidates_and_sees_a_receipt(
    page: Page, live: LiveServer, viewport: str
) -> None:
    poll_id = live.open_poll(f"Presidium ({viewport})", "meek-stv", CANDIDATES, seats=2)
    sign_in(page, live, "delegate")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_role("link", name="Pakai kartu suara saya").first.click()
    page.fill("#code", live.voting_card())
    page.get_by_role("button", name="Gunakan kartu ini").click()
    page.wait_for_url(f"**/congresses/{live.demo.congress_id}")
    assert "kartu suara anonim" in page.inner_text("main")
    page.get_by_role("link", name=f"Presidium ({viewport})").click()

    # The ranked ballot by keyboard alone: focus a preference, arrow to a candidate.
    page.focus("#rank-1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#rank-1") == "1"
    assert page.input_value("#rank-2") == "0"
    assert blocking_violations(page) == []
    page.get_by_role("button", name="Kirim suara saya").click()

    page.wait_for_url(f"**/polls/{poll_id}/receipt")
    receipt = page.inner_text("#receipt").strip()
    assert RECEIPT.match(receipt)
    # The receipt is shown once, so only a journey reaches it: checked here, not in PAGES.
    assert (blocking_violations(page), small_targets(page)) == ([], [])
    page.reload()
    assert page.locator("#receipt").count() == 0  # shown once
    check_receipt_on_board(page, live, poll_id, receipt)


def test_a_ranked_ballot_with_a_candidate_twice_is_stopped_before_it_is_sent(
    page: Page, live: LiveServer
) -> None:
    poll_id = live.open_poll("Board secretary", "irv", CANDIDATES[:3])
    use_voting_card(page, live)
    page.goto(live.url(f"/polls/{poll_id}"))
    page.select_option("#rank-1", "2")
    page.select_option("#rank-2", "2")
    problem = page.locator("#rank-problem")
    expect(problem).to_have_text("Setiap kandidat hanya boleh mendapat satu pilihan.")
    page.get_by_role("button", name="Kirim suara saya").click()
    assert page.url.endswith(f"/polls/{poll_id}")  # the browser did not submit
    page.select_option("#rank-2", "")
    page.select_option("#rank-3", "0")
    expect(problem).to_have_text("Isi pilihan secara berurutan, tanpa ada yang dilewati.")
    page.select_option("#rank-2", "1")
    expect(problem).to_be_hidden()
    page.get_by_role("button", name="Kirim suara saya").click()
    page.wait_for_url(f"**/polls/{poll_id}/receipt")
