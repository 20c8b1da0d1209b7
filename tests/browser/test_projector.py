"""The projector: live turnout over SSE, the reveal when a poll closes, names only by choice."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect

from governance.domain import codes
from governance.domain.commands import CastBallot, ClosePoll
from tests.browser.actions import sign_in
from tests.browser.conftest import VIEWPORTS
from tests.browser.pages import CANDIDATES, Targets, cast, wait_until_published
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e


def settled(live: LiveServer, quiet: float = 1.5, timeout: float = 30) -> None:
    """Wait until the log stops growing: a status event sequenced after the projector page is
    rendered (the relay's step, a fixture's late result) would reload the page by design."""
    deadline = time.monotonic() + timeout
    last, since = live.app.queries.log_position(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.1)
        now = live.app.queries.log_position()
        if now != last:
            last, since = now, time.monotonic()


def projector_url(live: LiveServer) -> str:
    return live.url(f"/congresses/{live.demo.congress_id}/projector")


def test_the_projector_counts_ballots_live_and_reveals_the_result_when_the_poll_closes(
    page: Page, live: LiveServer, viewport: str
) -> None:
    title = f"Adopt the rules of procedure ({viewport})"
    poll_id = live.open_poll(title, "yes-no-abstain", ("yes", "no", "abstain"))
    settled(live)  # the opening and any late event are in the log before the page is
    page.goto(projector_url(live))
    turnout = page.locator(f"[data-turnout='{poll_id}']")
    expect(turnout).to_have_text("kurang dari 5")  # small counts could reveal who voted what
    page.evaluate("window.stillTheSamePage = true")
    for choice in (0, 0, 0, 0, 1, 1):
        cast(live, poll_id, (choice,))
    expect(turnout).to_have_text("6", timeout=15_000)
    assert page.evaluate("window.stillTheSamePage === true")  # counted in place, no reload

    live.app.bus.handle(ClosePoll(poll_id))
    latest = page.locator("section[aria-labelledby=latest]")
    expect(latest).to_contain_text(title, timeout=20_000)
    expect(latest.locator(".outcome")).to_have_text("Diterima")
    expect(latest.locator("svg.chart title")).to_contain_text("Setuju 4")
    expect(turnout).to_have_count(0)  # no longer open


def test_candidates_names_stay_off_the_projector_until_the_secretariat_turns_them_on(
    browser: Browser, page: Page, live: LiveServer, targets: Targets, viewport: str
) -> None:
    poll_id = live.open_poll(f"Presidium chair ({viewport})", "irv", CANDIDATES[:3])
    for ballot in ((0, 1), (1, 0), (0,), (2, 0), (2, 1)):
        cast(live, poll_id, ballot)
    live.app.bus.handle(ClosePoll(poll_id))
    wait_until_published(live, poll_id)
    page.goto(projector_url(live))
    latest = page.locator("section[aria-labelledby=latest]")
    expect(latest).to_contain_text(f"Presidium chair ({viewport})")
    expect(latest.locator("table.rounds")).to_contain_text("Kandidat A")
    assert not any(name in latest.inner_text() for name in CANDIDATES)

    secretariat = browser.new_context(viewport=VIEWPORTS["laptop"])  # type: ignore[arg-type]
    desk = secretariat.new_page()
    try:
        sign_in(desk, live, "secretariat")
        desk.get_by_role("link", name="Pengaturan proyektor").click()  # from the congress menu
        key = desk.locator("h3", has_text=f"Presidium chair ({viewport})").locator("+ ul")
        expect(key).to_contain_text(f"Kandidat A: {CANDIDATES[0]}")  # the letters' key
        desk.get_by_label("Tampilkan nama kandidat di layar proyektor").check()
        desk.get_by_role("button", name="Simpan").click()
        expect(desk.get_by_role("status")).to_contain_text(
            "Tersimpan. Layar proyektor kini menampilkan nama kandidat."
        )
        page.reload()
        expect(latest.locator("table.rounds")).to_contain_text(CANDIDATES[0])
    finally:
        desk.goto(live.url(f"/congresses/{live.demo.congress_id}/projector/settings"))
        desk.get_by_label("Tampilkan nama kandidat di layar proyektor").uncheck()
        desk.get_by_role("button", name="Simpan").click()
        secretariat.close()


def test_only_the_secretariat_may_change_what_the_projector_shows(
    page: Page, live: LiveServer
) -> None:
    sign_in(page, live, "chair")
    page.get_by_role("link", name="Layar proyektor").click()  # the chair finds the screen
    page.wait_for_url("**/projector")
    assert page.get_by_role("link", name="Pengaturan proyektor").count() == 0
    answer = page.goto(live.url(f"/congresses/{live.demo.congress_id}/projector/settings"))
    assert answer is not None and answer.status == 403


def read_messages(live: LiveServer, last_event_id: str, count: int) -> list[tuple[int, str, str]]:
    """Read SSE messages until `count` have arrived: (id, event, data)."""
    found: list[tuple[int, str, str]] = []
    url = live.url(f"/congresses/{live.demo.congress_id}/events")
    headers = {"last-event-id": last_event_id}
    with httpx2.stream("GET", url, headers=headers, timeout=10) as answer:
        assert answer.headers["content-type"].startswith("text/event-stream")
        block: dict[str, str] = {}
        for line in answer.iter_lines():
            if line:
                key, _, value = line.partition(": ")
                block[key] = value
                continue
            if "id" in block:
                found.append((int(block["id"]), block["event"], block["data"]))
                if len(found) == count:
                    break
            block = {}
    return found


def test_the_event_stream_resumes_after_last_event_id_and_never_sends_a_receipt(
    live: LiveServer, targets: Targets
) -> None:
    first = read_messages(live, "0", 4)
    assert [m[0] for m in first] == sorted(m[0] for m in first)
    resumed = read_messages(live, str(first[1][0]), 2)
    assert resumed == first[2:4]
    receipts = {r for r, _ in live.app.queries.board(targets.closed_stv_id)}
    everything = read_messages(live, "0", 12)
    assert receipts and not any(r in data for r in receipts for _, _, data in everything)
    assert all(  # a plenary change ("plenary") carries no data at all
        re.fullmatch(r'\{\}|\{"poll_id":"[0-9a-f]{32}"(,"turnout":(\d+|null))?\}', d)
        for *_, d in everything
    )


def test_a_poll_page_counts_live_and_shows_the_close_without_a_tap(
    page: Page, live: LiveServer, viewport: str
) -> None:
    poll_id = live.open_poll(
        f"Adopt the minutes ({viewport})", "yes-no-abstain", ("yes", "no", "abstain")
    )
    page.goto(live.url(f"/polls/{poll_id}"))
    expect(page.locator(".status strong")).to_have_text("dibuka")
    for _ in range(5):
        cast(live, poll_id, (0,))
    expect(page.locator(f"[data-turnout='{poll_id}']")).to_have_text("5", timeout=15_000)
    live.app.bus.handle(ClosePoll(poll_id))
    expect(page.locator(".status strong")).to_have_text("ditutup", timeout=15_000)
    expect(page.get_by_role("link", name="Lihat hasil")).to_be_visible(timeout=20_000)


NINE = tuple(f"Calon {n}" for n in "ABCDEFGHJ")


def test_nine_candidates_fit_the_projector_at_1280_by_800_with_no_quick_exit(
    browser: Browser, live: LiveServer, tmp_path: Path
) -> None:
    poll_id = live.open_poll("Dewan nasional (sembilan calon)", "scottish-stv", NINE, seats=3)
    for n in range(18):  # cards others used in other polls: each votes once in this one
        tag = codes.card_tag(live.app.settings.secret_key, live.demo.voting_cards[n])
        live.app.bus.handle(CastBallot(poll_id, tag, (n % 9, (n + 1) % 9)))
    live.app.bus.handle(ClosePoll(poll_id))
    wait_until_published(live, poll_id)
    context = browser.new_context(viewport=VIEWPORTS["laptop"], locale="id-ID")  # type: ignore[arg-type]
    page = context.new_page()
    try:
        page.goto(projector_url(live))
        latest = page.locator("section[aria-labelledby=latest]")
        expect(latest).to_contain_text("Dewan nasional (sembilan calon)")
        page.screenshot(path=str(tmp_path / "projector-nine.png"))
        bars = latest.locator("svg.chart g")
        assert bars.count() == 9
        for i in range(9):  # every bar and its number on the first screen, without scrolling
            box = bars.nth(i).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 800, (i, box)
        assert page.locator("a.exit").count() == 0  # nobody taps the hall's screen to flee
    finally:
        context.close()
