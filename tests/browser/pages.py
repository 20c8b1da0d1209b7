"""The list of pages every browser check runs on. Add your pages here.

Each entry names a page, who looks at it (None: the public; "voter": a phone switched to a
fresh anonymous voting card; or an identity role: "delegate", "chair", "secretariat",
"observer") and how to build its path from the polls the fixtures set up (`Targets`).
`tests/browser/test_pages.py` runs axe-core, the label check and the touch-target check on
each entry at the phone and the laptop size; `DELEGATE_PAGES` are also weighed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from governance.adart import commands as adart
from governance.adart.sample import SAMPLE_DRAFT
from governance.domain import codes
from governance.domain import plenary_commands as plenary
from governance.domain.commands import (
    CastBallot,
    ClosePoll,
    CreatePosition,
    EnterPaperBatch,
    Nominate,
    OpenPosition,
    SecondNomination,
)
from governance.domain.corrections import CosignCorrection, ProposeCorrection
from governance.service_layer import setup
from tests.browser.server import LiveServer


@dataclass(frozen=True)
class Targets:
    """Ids of things the pages show: the demo's open motion and polls the fixtures add."""

    congress_id: str
    motion_id: str
    ranked_id: str
    approval_id: str
    closed_stv_id: str
    position_id: str  # the demo's presidium, with nominations open
    delegate_id: str
    article: str  # an AD/ART article with an amendment gathering support
    document_id: str  # the published decision on the closed election
    item_id: str = ""  # the current agenda item: someone speaking, two waiting
    floor_motion_id: str = ""  # a motion from the floor, seconded once, with an amendment
    paper_id: str = ""  # an open poll with a paper batch beyond the hall, its void proposed
    annulled_id: str = ""  # a poll annulled by the chair and an observer
    tied_position_id: str = ""  # a position whose count tied for its seat (issue 14)


@dataclass(frozen=True)
class PageCase:
    name: str
    who: str | None
    path: Callable[[Targets], str]

    def __str__(self) -> str:
        return self.name


PAGES: list[PageCase] = [
    PageCase("congress-public", None, lambda t: f"/congresses/{t.congress_id}"),
    PageCase("congress-delegate", "delegate", lambda t: f"/congresses/{t.congress_id}"),
    PageCase("congress-voter", "voter", lambda t: f"/congresses/{t.congress_id}"),
    PageCase("congress-chair", "chair", lambda t: f"/congresses/{t.congress_id}"),
    PageCase("congress-secretariat", "secretariat", lambda t: f"/congresses/{t.congress_id}"),
    PageCase("congress-observer", "observer", lambda t: f"/congresses/{t.congress_id}"),
    PageCase("home-several-congresses", None, lambda t: "/"),
    PageCase("setup-checklist", "secretariat", lambda t: f"/congresses/{t.congress_id}/setup"),
    PageCase("checkin-desk", "secretariat", lambda t: f"/congresses/{t.congress_id}/checkin"),
    PageCase("attendance-list", "secretariat", lambda t: f"/congresses/{t.congress_id}/attendance"),
    PageCase("delegates", "secretariat", lambda t: f"/congresses/{t.congress_id}/delegates"),
    PageCase("card-desk", "secretariat", lambda t: f"/congresses/{t.congress_id}/cards"),
    PageCase("agenda", "secretariat", lambda t: f"/congresses/{t.congress_id}/agenda"),
    PageCase(
        "delegate-edit",
        "secretariat",
        lambda t: f"/congresses/{t.congress_id}/delegates/{t.delegate_id}",
    ),
    PageCase("positions", "delegate", lambda t: f"/congresses/{t.congress_id}/positions"),
    PageCase(
        "positions-secretariat", "secretariat", lambda t: f"/congresses/{t.congress_id}/positions"
    ),
    PageCase("position-public", None, lambda t: f"/positions/{t.position_id}"),
    PageCase("position-delegate", "delegate", lambda t: f"/positions/{t.position_id}"),
    PageCase("position-secretariat", "secretariat", lambda t: f"/positions/{t.position_id}"),
    # The election procedure (issue 14): a tie waits for the chair's re-vote.
    PageCase("position-tied-chair", "chair", lambda t: f"/positions/{t.tied_position_id}"),
    PageCase("position-tied-public", None, lambda t: f"/positions/{t.tied_position_id}"),
    PageCase("agenda-public", None, lambda t: f"/congresses/{t.congress_id}/agenda"),
    PageCase("signin", None, lambda t: f"/congresses/{t.congress_id}/signin"),
    PageCase("voting-card", "delegate", lambda t: f"/congresses/{t.congress_id}/voting-card"),
    PageCase("poll-public", None, lambda t: f"/polls/{t.motion_id}"),
    PageCase("ballot-yes-no", "voter", lambda t: f"/polls/{t.motion_id}"),
    PageCase("ballot-ranked", "voter", lambda t: f"/polls/{t.ranked_id}"),
    PageCase("ballot-approval", "voter", lambda t: f"/polls/{t.approval_id}"),
    PageCase("poll-chair", "chair", lambda t: f"/polls/{t.motion_id}"),
    PageCase("poll-secretariat", "secretariat", lambda t: f"/polls/{t.motion_id}"),
    PageCase("poll-observer", "observer", lambda t: f"/polls/{t.motion_id}"),
    PageCase("receipt-shown-already", "voter", lambda t: f"/polls/{t.motion_id}/receipt"),
    PageCase("result-stv", None, lambda t: f"/polls/{t.closed_stv_id}/result"),
    PageCase("result-pending", None, lambda t: f"/polls/{t.motion_id}/result"),
    PageCase("board", None, lambda t: f"/polls/{t.closed_stv_id}/board"),
    PageCase("audit", "observer", lambda t: f"/polls/{t.closed_stv_id}/audit"),
    PageCase("observers", "secretariat", lambda t: f"/congresses/{t.congress_id}/observers"),
    PageCase("action-log", "observer", lambda t: f"/congresses/{t.congress_id}/actions"),
    PageCase("projector", None, lambda t: f"/congresses/{t.congress_id}/projector"),
    PageCase("projector-chair", "chair", lambda t: f"/congresses/{t.congress_id}/projector"),
    PageCase(
        "projector-settings",
        "secretariat",
        lambda t: f"/congresses/{t.congress_id}/projector/settings",
    ),
    # AD/ART (issue 5): the statute page for the public and the secretariat, and the decisions.
    PageCase("adart-public", None, lambda t: f"/congresses/{t.congress_id}/adart"),
    PageCase("adart-secretariat", "secretariat", lambda t: f"/congresses/{t.congress_id}/adart"),
    PageCase(
        "adart-article-delegate",
        "delegate",
        lambda t: f"/congresses/{t.congress_id}/adart/articles/{t.article}",
    ),
    PageCase(
        "adart-article-secretariat",
        "secretariat",
        lambda t: f"/congresses/{t.congress_id}/adart/articles/{t.article}",
    ),
    PageCase("decisions", None, lambda t: f"/congresses/{t.congress_id}/decisions"),
    PageCase(
        "decisions-secretariat", "secretariat", lambda t: f"/congresses/{t.congress_id}/decisions"
    ),
    PageCase("decision-document", None, lambda t: f"/documents/{t.document_id}/html"),
    # The plenary (issue 14): the current item with its list of speakers, motions from the floor.
    PageCase("agenda-chair", "chair", lambda t: f"/congresses/{t.congress_id}/agenda"),
    PageCase("agenda-item-public", None, lambda t: f"/agenda/{t.item_id}"),
    PageCase("agenda-item-delegate", "delegate", lambda t: f"/agenda/{t.item_id}"),
    PageCase("agenda-item-chair", "chair", lambda t: f"/agenda/{t.item_id}"),
    PageCase("agenda-item-secretariat", "secretariat", lambda t: f"/agenda/{t.item_id}"),
    PageCase(
        "floor-motions-delegate", "delegate", lambda t: f"/congresses/{t.congress_id}/floor-motions"
    ),
    PageCase("floor-motion-delegate", "delegate", lambda t: f"/floor-motions/{t.floor_motion_id}"),
    PageCase("floor-motion-chair", "chair", lambda t: f"/floor-motions/{t.floor_motion_id}"),
    PageCase(
        "floor-motion-secretariat", "secretariat", lambda t: f"/floor-motions/{t.floor_motion_id}"
    ),
    # Corrections (issues 14, 18): the discrepancy and the proposals, an annulled poll.
    PageCase("poll-paper-beyond-chair", "chair", lambda t: f"/polls/{t.paper_id}"),
    PageCase("poll-paper-beyond-observer", "observer", lambda t: f"/polls/{t.paper_id}"),
    PageCase("poll-annulled-public", None, lambda t: f"/polls/{t.annulled_id}"),
    PageCase("result-annulled-chair", "chair", lambda t: f"/polls/{t.annulled_id}/result"),
    PageCase("not-found", None, lambda t: "/polls/00000000000000000000000000000000"),
    PageCase("quick-exit", None, lambda t: "/exit"),
]

# Pages a delegate's phone loads while voting: each must stay under the weight budget.
DELEGATE_PAGES = {
    "agenda-item-delegate",
    "congress-voter",
    "ballot-yes-no",
    "ballot-ranked",
    "ballot-approval",
    "signin",
    "voting-card",
    "result-stv",
}

CANDIDATES = ("Melati Pagi", "Mawar Pagi", "Kenanga Senja", "Anggrek Bulan", "Dahlia Bintang")


def cast(live: LiveServer, poll_id: str, choices: tuple[int, ...]) -> None:
    """A ballot through the message bus, with a fresh card (as the paper-ballot desk would)."""
    tag = codes.card_tag(live.app.settings.secret_key, live.voting_card())
    live.app.bus.handle(CastBallot(poll_id, tag, choices))


def wait_until_published(live: LiveServer, poll_id: str, timeout: float = 30) -> None:
    """The server's own relay and worker count and publish; wait for them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = live.app.queries.result(poll_id)
        if result is not None and result.published:
            return
        time.sleep(0.1)
    raise AssertionError(f"poll {poll_id} was not published in {timeout} s")


def draft_with_an_amendment(live: LiveServer) -> str:
    """The sample AD/ART draft, and an amendment to its first article by the second delegate
    (so the demo delegate, the first, sees it as someone else's to support)."""
    congress_id = live.demo.congress_id
    live.app.bus.handle(adart.ImportDraft(congress_id, SAMPLE_DRAFT.read_text(encoding="utf-8")))
    proposer = live.app.queries.delegates(congress_id)[1].id
    text = "Organisasi ini bernama Jaringan Contoh Nasional."
    reason = "Nama yang lebih jelas / a clearer name"
    live.app.bus.handle(
        adart.ProposeAmendment(congress_id, "AD-1", "replace", "1", text, reason, proposer)
    )
    return "AD-1"


def build_targets(live: LiveServer) -> Targets:
    # A second, empty congress: the front page then lists congresses instead of redirecting.
    setup.create_congress(live.app.uow_factory, "kongres-kosong", "Kongres Kosong")
    motion = live.app.queries.polls(live.demo.congress_id)[0]  # the demo's open motion
    ranked = live.open_poll("Presidium (ranked)", "meek-stv", CANDIDATES, seats=2)
    approval = live.open_poll("Commission chairs (approval)", "approval", CANDIDATES[:3])
    closed = live.open_poll("Board chair", "scottish-stv", CANDIDATES[:4], seats=1)
    for ballot in ((0, 1), (1, 0), (2, 1, 0), (3, 2), (1,), (0, 3)):
        cast(live, closed, ballot)
    live.app.bus.handle(ClosePoll(closed))
    wait_until_published(live, closed)
    # Early, so its late events (result published, checkpoints) are in the log before any
    # live page is opened: a page reloads on a status event newer than itself.
    tied = tied_position(live)
    positions = live.app.queries.positions(live.demo.congress_id)
    presidium = next(p for p in positions if live.app.queries.nominations(p.id))
    delegate = live.app.queries.delegates(live.demo.congress_id)[0]
    article = draft_with_an_amendment(live)
    document = live.app.bus.handle(
        adart.PublishDocument(live.demo.congress_id, "decision", poll_id=closed)
    )
    item, floor_motion = plenary_under_way(live)
    paper, annulled = corrections_under_way(live)
    return Targets(
        live.demo.congress_id,
        motion.id,
        ranked,
        approval,
        closed,
        presidium.id,
        delegate.id,
        article,
        document,
        item,
        floor_motion,
        paper,
        annulled,
        tied,
    )


def corrections_under_way(live: LiveServer) -> tuple[str, str]:
    """A batch of 49 paper ballots with 48 delegates present, its void proposed by the
    secretariat; and a poll annulled by the chair (901) and an observer (903)."""
    bus = live.app.bus.handle
    paper = live.open_poll("Tata tertib (kertas)", "yes-no-abstain", ("yes", "no", "abstain"))
    batch = bus(EnterPaperBatch(paper, "card 902", ((0,),) * 49))
    bus(ProposeCorrection(paper, "void_batch", "49 surat, 48 hadir", "secretariat", 902, batch))
    annulled = live.open_poll("Jadwal (dibatalkan)", "yes-no-abstain", ("yes", "no", "abstain"))
    correction = bus(ProposeCorrection(annulled, "annul", "Surat suara keliru", "chair", 901))
    bus(CosignCorrection(correction, "observer", 903))
    return paper, annulled


def tied_position(live: LiveServer) -> str:
    """A position whose count ties 3-3 for its one seat: it waits for a re-vote."""
    bus = live.app.bus.handle
    people = [d.id for d in live.app.queries.delegates(live.demo.congress_id)]
    position = bus(CreatePosition(live.demo.congress_id, "Ketua Komisi Advokasi", 1, "plurality"))
    for candidate in people[5:7]:
        nomination = bus(Nominate(position, candidate, candidate))
        for seconder in people[8:11]:
            bus(SecondNomination(nomination, seconder))
    # Its own voting cards: the demo's printed ones are kept for the pages' voters.
    tags = [codes.card_tag(live.app.settings.secret_key, codes.new_voting_code()) for _ in range(6)]
    setup.register_voting_cards(live.app.uow_factory, live.demo.congress_id, tags)
    poll = bus(OpenPosition(position))
    for tag, choice in zip(tags, (0, 1) * 3, strict=True):
        bus(CastBallot(poll, tag, (choice,)))
    bus(ClosePoll(poll))
    wait_until_published(live, poll)
    found = live.app.queries.position(position)
    assert found is not None and found.step == "revote", found
    return str(position)


def plenary_under_way(live: LiveServer) -> tuple[str, str]:
    """The first agenda item is current: delegate 2 speaks, 3 waits, 4 raised a point of
    order; delegate 2 tabled a motion that 3 seconded and 4 amended (the demo delegate, the
    first, may still second it)."""
    congress_id = live.demo.congress_id
    people = [d.id for d in live.app.queries.delegates(congress_id)]
    item = live.app.queries.plenary.agenda(congress_id)[0].id
    bus = live.app.bus.handle
    bus(plenary.SetCurrentItem(congress_id, item))
    bus(plenary.AddSpeaker(item, people[1]))
    bus(plenary.NextSpeaker(item))
    bus(plenary.AddSpeaker(item, people[2]))
    bus(plenary.AddSpeaker(item, people[3], "point_of_order"))
    motion = bus(
        plenary.TableMotion(
            congress_id,
            people[1],
            "Tempat kongres berikutnya",
            "Kongres Nasional II diselenggarakan di Makassar.",
            "Mudah dijangkau dari ketiga wilayah.",
        )
    )
    bus(plenary.SecondMotion(motion, people[2]))
    text = "Kongres Nasional II diselenggarakan di Kupang."
    bus(plenary.TableMotion(congress_id, people[3], "", text, amends=motion, kind="replace"))
    return item, motion
