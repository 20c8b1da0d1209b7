"""The secretariat sets up a whole small congress through the pages, from an empty one.

Only what the secretariat does away from the server is done here without a browser: the
congress and the officials' cards come from `suara congress create` (run as a process on the
server's data folder), and the voting cards are printed offline as `suara cards voting` does,
so that the test holds the printed codes a delegate draws from the box. Everything else goes
through the set-up checklist and the pages it links to, and each step must turn its line done.

The journey runs once, at the laptop size the secretariat works at: it is the longest browser
test. The pages it passes through are in `pages.PAGES` (checked there at both sizes), except
states only a journey reaches: an empty checklist, the dry run of an import, the card desk
before cards are issued and after a list is registered, the AD/ART import form, a motion not
yet open. Those are checked here, at the phone and the laptop size. The delegate who votes on
the rules does so at the phone size.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from playwright.sync_api import Browser, Locator, Page, expect

from governance.adart.sample import SAMPLE_DRAFT
from governance.documents.cards import new_voting_cards
from governance.domain import codes
from governance.domain.commands import CastBallot
from tests.browser.checks import blocking_violations, small_targets, unlabelled_controls
from tests.browser.conftest import VIEWPORTS
from tests.browser.server import LiveServer
from tests.e2e.flow import SUARA, env_for

pytestmark = pytest.mark.e2e

# Invented aliases. One honorary member without a vote, to show that eligibility is applied.
ROSTER = """alias,province,region,caucus,membership_class,voting_right,legal_name
Kenari Fajar,Aceh,west,women,ordinary,yes,
Merpati Fajar,Lampung,west,waria,ordinary,yes,
Camar Senja,Jakarta,central,women,ordinary,yes,
Elang Senja,Yogyakarta,central,men,special,yes,
Nuri Malam,Bali,east,waria,ordinary,yes,
Kutilang Malam,East Nusa Tenggara,east,women,honorary,no,
"""
DELEGATES = 6
# Lines of the checklist, in the order web/pages/setup.py lists them.
STEPS = (
    "delegates",
    "identity",
    "voting",
    "agenda",
    "positions",
    "adart",
    "observers",
    "checkin",
    "rules",
)


def create_congress(live: LiveServer) -> tuple[str, str]:
    """`suara congress create` on the running server's data: the id and the secretariat code."""
    done = subprocess.run(
        [SUARA, "congress", "create", "--name", "Kongres Uji Coba"],
        env=env_for(live.data_dir),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    congress_id = re.search(r"^congress ([0-9a-f]{32})$", done.stdout, re.M)
    code = re.search(r"^\s+secretariat\s+(\S+)$", done.stdout, re.M)
    assert congress_id and code, done.stdout
    return congress_id.group(1), code.group(1)


def checked(page: Page) -> None:
    """What every page must hold, at both sizes, on each page the secretariat passes through."""
    for size in ("phone", "laptop"):  # ends at the laptop size the journey runs at
        page.set_viewport_size(VIEWPORTS[size])  # type: ignore[arg-type]
        found = {
            "axe": blocking_violations(page),
            "unlabelled": unlabelled_controls(page),
            "small targets": small_targets(page),
        }
        assert found == {"axe": [], "unlabelled": [], "small targets": []}, (size, page.url)


class Checklist:
    """The set-up checklist page of one congress, and its lines by step name."""

    def __init__(self, page: Page, live: LiveServer, congress_id: str) -> None:
        self.page = page
        self.url = live.url(f"/congresses/{congress_id}/setup")

    def open(self) -> None:
        self.page.goto(self.url)

    def line(self, step: str) -> Locator:
        return self.page.locator(".checklist li").nth(STEPS.index(step))

    def go(self, step: str) -> None:
        """Back to the checklist, check the step is still to do, and follow its link."""
        self.open()
        expect(self.line(step)).to_have_class("todo")
        self.line(step).get_by_role("link").click()
        self.page.wait_for_load_state()

    def expect_done(self, step: str) -> None:
        self.open()
        expect(self.line(step)).to_have_class("done")


def import_delegates(page: Page, tmp_path: Path) -> None:
    """Upload the CSV, read the dry run, apply it."""
    csv = tmp_path / "delegates.csv"
    csv.write_text(ROSTER, encoding="utf-8")
    page.set_input_files("#file", str(csv))
    page.get_by_role("button", name="Periksa (uji coba)").click()
    dry_run = page.locator("#dry-run")
    expect(dry_run).to_contain_text(f"Peserta baru: {DELEGATES}")
    assert page.locator(".totals tbody tr").count() == 0  # nothing written by the dry run
    checked(page)
    dry_run.get_by_role("button", name="Terapkan perubahan ini").click()
    expect(page.locator(".totals tbody tr")).to_have_count(DELEGATES)


def issue_cards(page: Page, live: LiveServer, tmp_path: Path) -> list[str]:
    """Identity cards as a PDF to print; voting cards printed offline, their tags uploaded."""
    checked(page)
    with page.expect_download() as download:
        page.locator("form[action$='/cards/identity/issue'] button").click()
    sheet = Path(download.value.path())
    assert sheet.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename == "identity-cards.pdf"
    page.reload()
    expect(page.locator("#identity-count")).to_contain_text(f"{DELEGATES} dari {DELEGATES}")
    assert page.locator("form[action$='/cards/identity/issue']").count() == 0

    made = new_voting_cards(live.app.settings.secret_key, DELEGATES)  # as `suara cards voting`
    tags = tmp_path / "voting-card-tags.txt"
    tags.write_text("\n".join(made.tags) + "\n")
    page.set_input_files("#tags", str(tags))
    page.locator("form[action$='/cards/voting/register'] button").click()
    expect(page.locator("#fingerprint code")).to_have_text(made.fingerprint)
    checked(page)
    return list(made.codes)


def build_agenda(page: Page) -> None:
    page.fill("#session", "Pleno I")
    page.select_option("#kind", "plenary")
    page.fill("#title", "Pengesahan tata tertib / Rules of procedure")
    page.locator("form[action$='/agenda'] button").click()
    expect(page.locator("ol.list")).to_contain_text("Pleno I")


def create_position(page: Page) -> None:
    """A treasurer among ordinary members with a vote; the honorary member is not offered."""
    page.fill("#title", "Bendahara")
    page.fill("#seats", "1")
    page.select_option("#method", "irv")
    page.check("input[name=membership_class][value=ordinary]")
    page.locator("form[action$='/positions'] button[type=submit]").click()
    page.wait_for_url("**/positions/*")
    expect(page.locator("h1")).to_have_text("Bendahara")
    # The form lists only those eligible (issue 14): the honorary member is not offered.
    expect(page.locator("#candidate option", has_text="Kutilang Malam")).to_have_count(0)
    expect(page.locator("#candidate option", has_text="Camar Senja")).to_have_count(1)
    page.select_option("#candidate", label="Camar Senja")
    page.get_by_role("button", name="Calonkan").click()
    expect(page.locator(".nominations")).to_contain_text("Camar Senja")


def import_adart(page: Page) -> None:
    checked(page)
    page.fill("#draft", SAMPLE_DRAFT.read_text(encoding="utf-8"))
    page.locator("form[action$='/adart/import'] button").click()
    expect(page.locator("section.chapter").first).to_be_visible()


def register_observer(page: Page) -> None:
    public = Ed25519PrivateKey.generate().public_key()  # as `suara keygen` on their laptop
    page.fill("#label", "Saksi Pelangi")
    page.fill("#public_key", public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex())
    page.locator("form[action$='/observers'] button").click()
    expect(page.locator("main")).to_contain_text("Saksi Pelangi")


def check_everyone_in(page: Page) -> None:
    for _ in range(DELEGATES):
        page.locator(
            "form[action$='/checkin']", has=page.locator("input[value=yes]")
        ).first.get_by_role("button").click()
        page.wait_for_load_state()
    expect(page.locator("form[action$='/checkin'] input[value=yes]")).to_have_count(0)


def adopt_rules(page: Page, browser: Browser, live: LiveServer, cards: list[str]) -> None:
    """A motion that adopts the rules: opened from its page, voted on, closed, counted."""
    page.fill("#m-title", "Mengesahkan tata tertib / Adopt the rules of procedure")
    page.check("input[name=adopts_rules]")
    page.fill("#quorum", "2/3")
    page.locator("form[action$='/motions'] button[type=submit]").click()
    page.wait_for_url("**/polls/*")
    poll_id = page.url.rsplit("/", 1)[1]
    checked(page)  # a motion not yet open, with its chair controls
    page.locator("form[action$='/open'] button").click()
    expect(page.locator(".status strong")).to_have_text("dibuka")

    vote_on_a_phone(browser, live, poll_id, cards[0])
    for code in cards[1:5]:  # the others as the paper-ballot desk would enter them
        tag = codes.card_tag(live.app.settings.secret_key, code)
        live.app.bus.handle(CastBallot(poll_id, tag, (0,)))
    page.reload()  # the page shows the opening already: no live reload races this one
    page.locator("#close-poll summary").click()  # the confirmation step (issue 14)
    page.locator("form[action$='/close'] button").click()
    expect(page.locator(".status strong")).to_have_text("ditutup")
    # The count arrives on the chair's page by itself, and after it nothing reloads the page.
    expect(page.locator(f"a[href='/polls/{poll_id}/result']")).to_be_visible(timeout=30_000)


def vote_on_a_phone(browser: Browser, live: LiveServer, poll_id: str, code: str) -> None:
    """A delegate who drew a voting card from the box votes yes."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID")  # type: ignore[arg-type]
    try:
        phone = context.new_page()
        phone.goto(live.url(f"/polls/{poll_id}"))
        phone.get_by_role("link", name="Pakai kartu suara saya untuk memilih").click()
        phone.fill("#code", code)
        phone.get_by_role("button", name="Gunakan kartu ini").click()
        phone.goto(live.url(f"/polls/{poll_id}"))
        phone.check("input[name=choice][value='0']")
        phone.get_by_role("button", name="Kirim suara saya").click()
        phone.wait_for_url(f"**/polls/{poll_id}/receipt")
    finally:
        context.close()


def wait_for_the_count(checklist: Checklist, timeout: float = 30) -> None:
    """The server's own relay and worker count the motion; the rules are adopted by the count."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        checklist.open()
        if checklist.line("rules").get_attribute("class") == "done":
            return
        time.sleep(0.3)
    raise AssertionError(f"the rules motion was not counted in {timeout} s")


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORTS["laptop"], locale="id-ID")  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_secretariat_sets_up_a_small_congress_from_the_checklist(
    laptop: Page, browser: Browser, live: LiveServer, tmp_path: Path
) -> None:
    page = laptop
    congress_id, code = create_congress(live)
    page.goto(live.url(f"/congresses/{congress_id}/signin"))
    page.fill("#code", code)
    page.click("form[action$='/signin'] button[type=submit]")
    page.get_by_role("link", name="Daftar persiapan").click()
    page.wait_for_url(f"**/congresses/{congress_id}/setup")
    checklist = Checklist(page, live, congress_id)
    expect(page.locator(".checklist li.todo")).to_have_count(len(STEPS))
    checked(page)

    checklist.go("delegates")
    import_delegates(page, tmp_path)
    checklist.expect_done("delegates")

    checklist.go("identity")
    cards = issue_cards(page, live, tmp_path)
    checklist.expect_done("identity")
    checklist.expect_done("voting")

    for step, do in (
        ("agenda", build_agenda),
        ("positions", create_position),
        ("adart", import_adart),
        ("observers", register_observer),
        ("checkin", check_everyone_in),
    ):
        checklist.go(step)
        do(page)
        checklist.expect_done(step)

    checklist.go("rules")
    adopt_rules(page, browser, live, cards)
    wait_for_the_count(checklist)
    expect(page.locator(".checklist li.done")).to_have_count(len(STEPS))
    expect(page.locator("main")).to_contain_text(f"{len(STEPS)} dari {len(STEPS)} langkah selesai")
