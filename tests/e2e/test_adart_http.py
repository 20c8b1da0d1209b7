"""The AD/ART through HTTP on both backends: import, amend, deliberate, vote, text, documents."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.testclient import TestClient

from governance.adapters.tables import delegates, events
from governance.adart import commands as c
from governance.adart.model import AdartRules
from governance.adart.sample import SAMPLE_DRAFT
from governance.bootstrap import Suara
from governance.domain.commands import CastBallot, ClosePoll, PublishResult, TallyPoll
from governance.domain.delegates import Role
from governance.service_layer import setup
from tests import factories
from tests.e2e.flow import csrf
from web.app import create_app

pytestmark = pytest.mark.e2e


@dataclass
class Plenary:
    app: Suara
    congress: factories.Congress
    codes: dict[str, str]
    clients: dict[str, TestClient]

    def post(self, who: str, path: str, data: dict[str, object]) -> Any:
        client = self.clients[who]
        token = csrf(client.get(f"/congresses/{self.congress.id}").text)
        return client.post(path, data={"csrf_token": token, **data})


def sign_in(client: TestClient, congress_id: str, code: str) -> None:
    page = client.get(f"/congresses/{congress_id}/signin")
    done = client.post(
        f"/congresses/{congress_id}/signin", data={"csrf_token": csrf(page.text), "code": code}
    )
    assert done.status_code == 303


@pytest.fixture
def plenary(app: Suara) -> Iterator[Plenary]:
    congress = factories.congress(app, delegates=6, cards=6, present=4)
    holders = [
        (2, Role.DELEGATE, congress.delegate_ids[1], "Alias 2"),
        (3, Role.DELEGATE, congress.delegate_ids[2], "Alias 3"),
        (800, Role.SECRETARIAT, None, "Sekretariat"),
    ]
    printed = setup.issue_identity_cards(app.uow_factory, app.hasher, congress.id, holders)
    codes = {"d1": congress.identity["delegate"], "d2": printed[2], "d3": printed[3]}
    codes |= {"chair": congress.identity["chair"], "sec": printed[800]}
    web = create_app(app)
    clients = {name: TestClient(web, follow_redirects=False) for name in codes}
    with clients["d1"], clients["d2"], clients["d3"], clients["chair"], clients["sec"]:
        for name, client in clients.items():
            sign_in(client, congress.id, codes[name])
        yield Plenary(app, congress, codes, clients)


def vote_and_publish(app: Suara, poll_id: str, tags: list[str], yes: int) -> None:
    for index, tag in enumerate(tags):
        app.bus.handle(CastBallot(poll_id, tag, (0 if index < yes else 1,)))
    app.bus.handle(ClosePoll(poll_id))
    app.bus.handle(TallyPoll(poll_id))
    app.bus.handle(PublishResult(poll_id))


def test_the_plenary_amends_votes_and_publishes_through_http(plenary: Plenary) -> None:
    app, cid = plenary.app, plenary.congress.id
    base = f"/congresses/{cid}/adart"
    bad = plenary.post("sec", f"{base}/import", {"draft": "# AD: X\n## Bab I: A\nstray\n"})
    assert bad.status_code == 422 and "baris 3" in bad.text
    assert app.queries.adart.statute(cid) is None
    assert plenary.post("d1", f"{base}/import", {"draft": "# AD: X"}).status_code == 403
    draft = SAMPLE_DRAFT.read_text(encoding="utf-8")
    wrong = plenary.post("sec", f"{base}/import", {"draft": draft, "required_support": "-1"})
    assert wrong.status_code == 422
    imported = plenary.post("sec", f"{base}/import", {"draft": draft, "required_support": "2"})
    assert imported.status_code == 303
    plenary.post("sec", f"{base}/chapters/AD-I/commission", {"commission": "organisation"})

    proposal = {"kind": "replace", "target": "1", "text": "Nama baru JCN.", "reason": "Lebih jelas"}
    assert plenary.post("d1", f"{base}/articles/AD-1/amendments", proposal).status_code == 303
    statute = app.queries.adart.statute(cid)
    (amendment,) = statute.amendments.values()  # type: ignore[union-attr]
    for who in ("d2", "d3"):
        plenary.post(who, f"{base}/amendments/{amendment.id}/support", {})
    plenary.post(
        "sec",
        f"{base}/amendments/{amendment.id}/recommendation",
        {"commission": "organisation", "recommendation": "adopt"},
    )
    page = plenary.clients["d1"].get(f"{base}/articles/AD-1").text
    assert "<del>" in page and "<ins>" in page and "Lebih jelas" in page

    plenary.post("chair", f"{base}/articles/AD-1/deliberation", {"consensus": "no", "note": "-"})
    refused = plenary.post("chair", f"{base}/votes", {"subject": "AD-1"})
    assert refused.status_code == 409
    opened = plenary.post("chair", f"{base}/votes", {"subject": amendment.id})
    poll_id = opened.headers["location"].rsplit("/", 1)[-1]
    vote_and_publish(app, poll_id, plenary.congress.tags, 6)
    late = plenary.post("d2", f"{base}/articles/AD-1/amendments", proposal)
    assert late.status_code == 409

    final = plenary.post("chair", f"{base}/votes", {"subject": "final"})
    assert final.status_code == 409 and "AD-2" in final.text

    document = plenary.post(
        "sec",
        f"/congresses/{cid}/documents",
        {"kind": "decision", "poll": poll_id, "language": "id"},
    )
    assert document.status_code == 303
    listing = plenary.clients["d1"].get(f"/congresses/{cid}/decisions").text
    (doc,) = app.queries.adart.documents(cid)
    assert doc.html_sha256 in listing
    pdf = plenary.clients["d1"].get(f"/documents/{doc.id}/pdf").content
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
    html = plenary.clients["d1"].get(f"/documents/{doc.id}/html").text
    assert "Menimbang" in html and "Pimpinan Sidang" in html
    with app.engine.connect() as conn:
        rows = conn.execute(
            sa.select(events.c.payload).where(events.c.type == "document.published")
        )
        logged = [json.loads(payload) for (payload,) in rows]
    assert logged[0]["html_sha256"] == doc.html_sha256
    text = plenary.clients["d1"].get(f"{base}/text?format=md").text
    assert text.startswith("# AD:")


def test_a_vote_without_quorum_is_refused_with_the_numbers(plenary: Plenary) -> None:
    app, cid = plenary.app, plenary.congress.id
    base = f"/congresses/{cid}/adart"
    plenary.post("sec", f"{base}/import", {"draft": SAMPLE_DRAFT.read_text(encoding="utf-8")})
    plenary.post("chair", f"{base}/articles/AD-5/deliberation", {"consensus": "no"})
    with app.engine.begin() as conn:
        conn.execute(delegates.update().values(present=False))
    refused = plenary.post("chair", f"{base}/votes", {"subject": "AD-5"})
    assert refused.status_code == 409
    found = re.search(r'data-code="quorum_not_met">([^<]*)<', refused.text)
    assert found is not None
    assert re.findall(r"\d+", found.group(1)) == ["0", "6", "4"]  # present, entitled, required
    assert app.queries.polls(cid) == []


def test_a_document_for_an_unpublished_poll_is_refused(plenary: Plenary) -> None:
    cid = plenary.congress.id
    poll_id = factories.open_motion(plenary.app, cid)
    refused = plenary.post(
        "sec",
        f"/congresses/{cid}/documents",
        {"kind": "decision", "poll": poll_id, "language": "id"},
    )
    assert refused.status_code == 409
    assert plenary.app.queries.adart.documents(cid) == []


def test_the_draft_is_for_the_congress_and_the_adopted_text_for_everyone(plenary: Plenary) -> None:
    cid = plenary.congress.id
    plenary.post("sec", f"/congresses/{cid}/adart/import", {"draft": SAMPLE_DRAFT.read_text()})
    with TestClient(create_app(plenary.app), follow_redirects=False) as public:
        for path in ("adart", "adart/articles/AD-1", "adart/text"):
            assert public.get(f"/congresses/{cid}/{path}").status_code == 403
        assert public.get(f"/congresses/{cid}/decisions").status_code == 200
    assert plenary.clients["d1"].get(f"/congresses/{cid}/adart/articles/AD-1").status_code == 200


def test_an_open_vote_records_names_apart_from_the_ballot_box(app: Suara) -> None:
    congress = factories.congress(app, delegates=3, cards=3)
    source = SAMPLE_DRAFT.read_text(encoding="utf-8")
    app.bus.handle(c.ImportDraft(congress.id, source, AdartRules(named_votes=True)))
    app.bus.handle(c.RecordDeliberation(congress.id, "ART-2", False, ""))
    poll_id = app.bus.handle(c.OpenAdartVote(congress.id, "ART-2"))
    web = create_app(app)
    with TestClient(web, follow_redirects=False) as named, TestClient(web) as anonymous:
        sign_in(named, congress.id, congress.identity["delegate"])
        page = named.get(f"/polls/{poll_id}").text
        assert "/named-vote" in page
        voted = named.post(
            f"/polls/{poll_id}/named-vote", data={"csrf_token": csrf(page), "choice": "0"}
        )
        assert voted.status_code == 303
        card_page = anonymous.get(f"/congresses/{congress.id}/voting-card")
        anonymous.post(
            f"/congresses/{congress.id}/voting-card",
            data={"csrf_token": csrf(card_page.text), "code": congress.voting_codes[0]},
        )
        assert "/named-vote" not in anonymous.get(f"/polls/{poll_id}").text
        token = csrf(anonymous.get(f"/congresses/{congress.id}").text)
        refused = anonymous.post(
            f"/polls/{poll_id}/ballot", data={"csrf_token": token, "choice": "0"}
        )
        assert refused.status_code == 403
        app.bus.handle(ClosePoll(poll_id))
        app.bus.handle(TallyPoll(poll_id))
        app.bus.handle(PublishResult(poll_id))
        assert "Alias 1" in named.get(f"/polls/{poll_id}/result").text
    with TestClient(web) as public:
        assert "Alias 1" not in public.get(f"/polls/{poll_id}/result").text
    assert app.queries.board(poll_id) == []
    statute = app.queries.adart.statute(congress.id, settled=True)
    assert statute is not None and statute.articles["ART-2"].status.value == "adopted"
