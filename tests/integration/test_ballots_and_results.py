"""Ranked and approval ballots without JavaScript, the results page, rules, paper batches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction

import pytest
from starlette.testclient import TestClient

from governance.bootstrap import Suara
from governance.domain.commands import (
    CheckInDelegate,
    ClosePoll,
    ConfirmPaperBatch,
    CreatePoll,
    EnterPaperBatch,
    OpenPoll,
    PublishResult,
    TallyPoll,
)
from governance.domain.errors import BatchesPending, SameConfirmer
from tests import factories
from tests.e2e.flow import csrf
from tests.workflow import congress_with_roster, signed_in, token
from web.app import create_app


@contextmanager
def voter(app: Suara, congress_id: str, code: str) -> Iterator[TestClient]:
    with TestClient(create_app(app), follow_redirects=False) as client:
        page = client.get(f"/congresses/{congress_id}/voting-card")
        client.post(
            f"/congresses/{congress_id}/voting-card",
            data={"csrf_token": csrf(page.text), "code": code},
        )
        yield client


def _voting_cards(app: Suara, congress_id: str, count: int) -> None:
    from governance.domain import codes as card_codes
    from governance.service_layer import setup

    tags = [
        card_codes.card_tag(app.settings.secret_key, card_codes.new_voting_code())
        for _ in range(count)
    ]
    setup.register_voting_cards(app.uow_factory, congress_id, tags)


def _count(app: Suara, poll_id: str) -> None:
    app.bus.handle(ClosePoll(poll_id))
    app.bus.handle(TallyPoll(poll_id))
    app.bus.handle(PublishResult(poll_id))


CANDIDATES = ("Melati", "Mawar", "Kenanga", "Anggrek")


@pytest.mark.parametrize(
    ("ranks", "code"),
    [
        ({"rank-1": "0", "rank-3": "1"}, "ranking_gap"),
        ({"rank-2": "0"}, "ranking_gap"),
        ({"rank-1": "0", "rank-2": "0"}, "ranking_duplicate"),
        ({"rank-1": "9"}, "invalid_choice"),
    ],
)
def test_a_ranked_ballot_with_gaps_or_duplicates_is_refused_and_shown_again(
    sqlite_app: Suara, ranks: dict[str, str], code: str
) -> None:
    congress = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, congress.id, "irv", CANDIDATES)
    with voter(sqlite_app, congress.id, congress.voting_codes[0]) as client:
        page = client.get(f"/polls/{poll_id}")
        assert page.text.count("<select") == 4
        answer = client.post(
            f"/polls/{poll_id}/ballot", data={"csrf_token": csrf(page.text), **ranks}
        )
    assert answer.status_code == 422
    assert 'id="ballot-error"' in answer.text and "<select" in answer.text
    assert sqlite_app.queries.turnout(poll_id) == 0


def test_a_ranked_ballot_is_counted_and_the_result_page_explains_the_count(app: Suara) -> None:
    congress = factories.congress(app, delegates=6, cards=6)
    poll_id = factories.open_motion(app, congress.id, "irv", CANDIDATES)
    ballots = [("0", "1"), ("0",), ("1", "0"), ("2", "1"), ("3", "2"), ("1",)]
    for code, ranking in zip(congress.voting_codes, ballots, strict=True):
        with voter(app, congress.id, code) as client:
            page = client.get(f"/polls/{poll_id}")
            data = {f"rank-{i + 1}": r for i, r in enumerate(ranking)}
            assert (
                client.post(
                    f"/polls/{poll_id}/ballot", data={"csrf_token": csrf(page.text), **data}
                ).status_code
                == 303
            )
    _count(app, poll_id)
    with TestClient(create_app(app)) as public:
        public.cookies.set("lang", "en")
        page = public.get(f"/polls/{poll_id}/result")
    assert page.status_code == 200
    # The chart is drawn by the template: no inline script (app.js only adds live updates).
    assert "<svg" in page.text and not re.search(r"<script(?![^>]*\bsrc=)", page.text)
    # C and D tie for the fewest first preferences (1 each): the tie is told as a tie, with
    # its rule, never as "fewest votes" (issue 17).
    assert "has the fewest votes and is excluded" in page.text or "Tie: " in page.text
    assert "is excluded as the tie above was settled" in page.text
    result = app.queries.result(poll_id)
    assert result is not None and result.outcome == "elected"
    winner = result.data["elected"][0]["name"]
    assert f"{winner} is elected in round" in page.text


def test_approval_ballots_respect_minimum_and_maximum(sqlite_app: Suara) -> None:
    congress = factories.congress(sqlite_app)
    poll_id = sqlite_app.bus.handle(
        CreatePoll(
            congress.id,
            "Komisi",
            method="approval",
            options=CANDIDATES,
            seats=2,
            min_selections=1,
            max_selections=2,
        )
    )
    sqlite_app.bus.handle(OpenPoll(poll_id))
    with voter(sqlite_app, congress.id, congress.voting_codes[0]) as client:
        token_ = csrf(client.get(f"/polls/{poll_id}").text)
        too_many = client.post(
            f"/polls/{poll_id}/ballot", data={"csrf_token": token_, "choice": ["0", "1", "2"]}
        )
        assert too_many.status_code == 422
        too_few = client.post(f"/polls/{poll_id}/ballot", data={"csrf_token": token_})
        assert too_few.status_code == 422
        assert sqlite_app.queries.turnout(poll_id) == 0
        ok = client.post(
            f"/polls/{poll_id}/ballot", data={"csrf_token": token_, "choice": ["0", "2"]}
        )
        assert ok.status_code == 303
    assert sqlite_app.queries.turnout(poll_id) == 1


def test_adopted_rules_configure_later_polls(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    with signed_in(app, congress_id, codes["secretariat"]) as client:
        answer = client.post(
            f"/congresses/{congress_id}/motions",
            data={
                "csrf_token": token(client, congress_id),
                "title": "Tata tertib",
                "adopts_rules": "yes",
                "quorum": "2/3",
                "majority": "2/3",
                "majority_base": "valid",
                "qualified": "yes",
                "seconders": "2",
                "acclamation": "yes",
            },
        )
        assert answer.status_code == 303
    rules_poll = answer.headers["location"].rsplit("/", 1)[1]
    assert app.queries.rules(congress_id)[1] is False
    people = app.queries.delegates(congress_id)
    for person in people:
        app.bus.handle(CheckInDelegate(congress_id, person.id))
    _voting_cards(app, congress_id, 5)  # paper ballots stay within the cards issued (issue 18)
    app.bus.handle(OpenPoll(rules_poll))
    app.bus.handle(EnterPaperBatch(rules_poll, "card 902", ((0,),) * 5))
    app.bus.handle(
        ConfirmPaperBatch(next(b.id for b in app.queries.batches(rules_poll)), "card 903")
    )
    _count(app, rules_poll)
    rules, adopted = app.queries.rules(congress_id)
    assert adopted and rules.seconders == 2 and rules.quorum == "2/3"
    motion = app.bus.handle(CreatePoll(congress_id, "AD/ART"))
    app.bus.handle(OpenPoll(motion))
    frozen = app.queries.poll(motion)
    assert frozen is not None and frozen.rule is not None and frozen.rule.fraction == Fraction(2, 3)
    app.bus.handle(EnterPaperBatch(motion, "card 902", ((0,),) * 3 + ((1,),) * 2))
    app.bus.handle(ConfirmPaperBatch(app.queries.batches(motion)[0].id, "card 904"))
    _count(app, motion)
    result = app.queries.result(motion)
    assert result is not None and result.outcome == "rejected"  # 3 of 5 is under 2/3


def test_paper_batches_need_a_second_person_and_count_with_electronic_ballots(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    from governance.domain import codes as card_codes
    from governance.service_layer import setup

    # Four ballots in all: within the cards issued and the delegates present (issue 18).
    voting = [card_codes.new_voting_code() for _ in range(4)]
    setup.register_voting_cards(
        app.uow_factory,
        congress_id,
        [card_codes.card_tag(app.settings.secret_key, c) for c in voting],
    )
    for person in app.queries.delegates(congress_id):
        app.bus.handle(CheckInDelegate(congress_id, person.id))
    poll_id = app.bus.handle(CreatePoll(congress_id, "Ketua", method="irv", options=CANDIDATES))
    app.bus.handle(OpenPoll(poll_id))
    with voter(app, congress_id, voting[0]) as client:
        page = client.get(f"/polls/{poll_id}")
        client.post(f"/polls/{poll_id}/ballot", data={"csrf_token": csrf(page.text), "rank-1": "1"})
    with signed_in(app, congress_id, codes["secretariat"]) as desk:
        answer = desk.post(
            f"/polls/{poll_id}/paper",
            data={
                "csrf_token": csrf(desk.get(f"/polls/{poll_id}").text),
                "ballots": "1,2\n2\n1 3\n",
            },
        )
        assert answer.status_code == 303
        batch = app.queries.batches(poll_id)[0]
        bad = desk.post(
            f"/polls/{poll_id}/paper",
            data={"csrf_token": csrf(desk.get(f"/polls/{poll_id}").text), "ballots": "1,1\n"},
        )
        assert bad.status_code == 422
        same = desk.post(
            f"/polls/{poll_id}/paper/{batch.id}/confirm",
            data={"csrf_token": csrf(desk.get(f"/polls/{poll_id}").text)},
        )
        assert same.status_code == 409
    assert app.queries.turnout(poll_id) == 1
    with pytest.raises(BatchesPending):
        app.bus.handle(ClosePoll(poll_id))
    with pytest.raises(SameConfirmer):
        app.bus.handle(ConfirmPaperBatch(batch.id, "card 902"))
    with signed_in(app, congress_id, codes["observer"]) as observer:
        page = observer.get(f"/polls/{poll_id}")
        ok = observer.post(
            f"/polls/{poll_id}/paper/{batch.id}/confirm", data={"csrf_token": csrf(page.text)}
        )
        assert ok.status_code == 303
    assert app.queries.turnout(poll_id) == 4
    rec = app.queries.reconciliation(congress_id, poll_id)
    assert (rec.cards_issued, rec.electronic, rec.paper, rec.pending_batches) == (4, 1, 3, 0)
    _count(app, poll_id)
    result = app.queries.result(poll_id)
    assert result is not None and result.data["snapshot"]["paper_ballots"] == 3
    assert sum(int(v) for v in result.data["stages"][0]["totals"].values()) == 4
