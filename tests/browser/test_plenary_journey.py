"""The plenary in a real browser: the chair runs an agenda item with its list of speakers, and a
delegate asks for the floor and tables a motion from a phone at 360x740."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from governance.adapters.tables import events
from governance.domain import plenary_commands as plenary
from governance.domain.commands import AddAgendaItem
from tests.browser.actions import sign_in
from tests.browser.checks import blocking_violations, small_targets, unlabelled_controls
from tests.browser.conftest import VIEWPORTS
from tests.browser.server import LiveServer

pytestmark = pytest.mark.e2e


def new_item(live: LiveServer, title: str) -> str:
    item: str = live.app.bus.handle(
        AddAgendaItem(live.demo.congress_id, "Pleno V", "plenary", title, "15:30", 20)
    )
    return item


def people(live: LiveServer) -> list[tuple[str, str, int]]:
    return [(d.id, d.alias, d.number) for d in live.app.queries.delegates(live.demo.congress_id)]


def shot(page: Page, tmp_path: Path, name: str) -> None:
    """Kept for a person to look at (docs/screenshots with SUARA_SCREENSHOTS)."""
    target = Path(os.environ.get("SUARA_SCREENSHOTS", "") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}.png"), full_page=True)


def settled(live: LiveServer, page: Page) -> None:
    """Wait until the relay has sequenced every event and the stream (which looks once a
    second) has passed them on: an event sequenced after a page was rendered (the chair's own
    last action) reloads a live page, and a check must not run across that reload."""
    waiting = sa.select(sa.func.count()).select_from(events).where(events.c.seq.is_(None))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with live.app.engine.connect() as conn:
            if conn.execute(waiting).scalar_one() == 0:
                break
        time.sleep(0.1)
    page.wait_for_timeout(1500)  # a stream message on its way, and the reload it causes
    page.wait_for_load_state("load")


def checked(page: Page) -> None:
    found = {
        "axe": blocking_violations(page),
        "unlabelled": unlabelled_controls(page),
        "small": small_targets(page),
    }
    assert found == {"axe": [], "unlabelled": [], "small": []}


def test_the_chair_runs_an_agenda_item_with_its_speakers_list(
    page: Page, live: LiveServer, viewport: str, tmp_path: Path
) -> None:
    title = f"Laporan keuangan ({viewport})"
    item = new_item(live, title)
    everyone = people(live)
    for delegate_id, _, _ in everyone[4:7]:
        live.app.bus.handle(plenary.AddSpeaker(item, delegate_id))
    sign_in(page, live, "chair")
    page.goto(live.url(f"/congresses/{live.demo.congress_id}/agenda"))
    entry = page.locator(f"#item-{item}")
    expect(entry).to_contain_text("15:30\u201315:50")
    entry.get_by_role("button", name="Jadikan acara sekarang").click()
    page.wait_for_url(f"**/agenda/{item}#top")  # the chair goes on to run the item
    expect(page.locator("h1 + p")).to_contain_text("acara sekarang")
    settled(live, page)
    checked(page)

    # A delegate raises a point of order from the floor: the chair's page updates by itself,
    # and the point of order heads the queue.
    point_id, point_alias, _ = everyone[7]
    live.app.bus.handle(plenary.AddSpeaker(item, point_id, "point_of_order"))
    queue = page.locator("#queue li")
    expect(queue.first).to_contain_text(point_alias, timeout=15_000)
    expect(queue.first).to_contain_text("interupsi")
    expect(queue).to_have_count(4)

    page.get_by_role("button", name="Pembicara berikutnya").click()
    current = page.locator("#current-speaker")
    expect(current).to_contain_text(point_alias)
    settled(live, page)
    clock = current.locator("[data-countdown]")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first, timeout=5_000)  # the countdown runs on the page
    assert first.startswith("1:00") or first.startswith("0:5")  # a point of order: one minute

    # The chair (or the secretariat) adds a delegate who asked on paper, by number.
    _, paper_alias, paper_number = everyone[8]
    page.fill("#speaker-number", str(paper_number))
    page.get_by_role("button", name="Masukkan ke daftar").click()
    expect(page.locator("#queue li").last).to_contain_text(paper_alias)
    page.get_by_role("button", name="Pembicara berikutnya").click()
    expect(page.locator("#current-speaker")).to_contain_text(everyone[4][1])
    settled(live, page)
    checked(page)
    shot(page, tmp_path, f"plenary-chair-{viewport}")
    page.get_by_role("button", name="Akhiri pembicaraan ini").click()
    expect(page.locator("#current-speaker")).to_have_text("Tidak ada yang sedang berbicara.")

    # The projector shows the current item and who is next, by number only.
    projector = page.context.new_page()
    projector.set_viewport_size(VIEWPORTS["laptop"])  # type: ignore[arg-type]
    projector.goto(live.url(f"/congresses/{live.demo.congress_id}/projector"))
    plenary_part = projector.locator("section.plenary")
    expect(plenary_part).to_contain_text(title)
    expect(plenary_part).to_contain_text("Peserta no.")
    assert paper_alias not in plenary_part.inner_text()
    shot(projector, tmp_path, f"plenary-projector-{viewport}")


def test_a_delegate_asks_for_the_floor_and_tables_a_motion_from_a_phone(
    browser: Browser, live: LiveServer, tmp_path: Path
) -> None:
    title = "Rekomendasi untuk pemerintah daerah"
    item = new_item(live, title)
    live.app.bus.handle(plenary.SetCurrentItem(live.demo.congress_id, item))
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID")  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live, "delegate")
        page.locator("#current-item a").click()
        page.wait_for_url(f"**/agenda/{item}")
        settled(live, page)
        checked(page)
        page.get_by_role("button", name="Daftarkan saya untuk berbicara").click()
        me = people(live)[0][1]
        expect(page.locator("#queue")).to_contain_text(me)
        expect(page.get_by_role("button", name="Batalkan permintaan saya")).to_be_visible()
        expect(page.get_by_role("button", name="Daftarkan saya untuk berbicara")).to_have_count(0)
        settled(live, page)
        checked(page)
        shot(page, tmp_path, "plenary-delegate-phone")

        page.get_by_role("link", name="Usul dari peserta").click()
        page.fill("#motion-title", "Layanan kesehatan yang ramah")
        page.fill("#motion-text", "Kongres meminta layanan kesehatan tanpa diskriminasi.")
        page.get_by_role("button", name="Ajukan usul").click()
        page.wait_for_url("**/floor-motions/*")
        expect(page.locator("h1")).to_contain_text("Layanan kesehatan yang ramah")
        expect(page.locator("#motion-status")).to_contain_text("menunggu pendukung")
        expect(page.locator("#seconders")).to_contain_text("0 dari 2")
        settled(live, page)
        checked(page)
        shot(page, tmp_path, "plenary-motion-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360  # nothing runs off the side of the phone
    finally:
        context.close()
