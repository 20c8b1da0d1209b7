"""Issue 18, low items: text checks wherever text enters, observer keys per congress, named
votes only from delegates checked in, deeply nested JSON refused as a 400."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from governance.adart import commands as c
from governance.adart.sample import SAMPLE_DRAFT
from governance.bootstrap import Suara
from governance.domain.commands import CreatePoll, CreatePosition, OpenPoll, RegisterObserver
from governance.domain.errors import DomainError, InvalidText
from governance.domain.plenary_errors import NotPresent
from tests import factories
from web.app import create_app

TRICKS = ["Ketua\u202eumum", "Ketua\u2066umum\u2069", "Ketua\x00umum", "Ketua\x1bumum"]
KEY_A = "ab" * 32


@pytest.mark.parametrize("trick", TRICKS)
def test_positions_refuse_direction_and_control_characters(app: Suara, trick: str) -> None:
    congress = factories.congress(app)
    with pytest.raises(InvalidText):
        app.bus.handle(CreatePosition(congress.id, trick))


@pytest.mark.parametrize("trick", TRICKS)
def test_observer_labels_refuse_direction_and_control_characters(app: Suara, trick: str) -> None:
    congress = factories.congress(app)
    with pytest.raises(InvalidText):
        app.bus.handle(RegisterObserver(congress.id, trick, KEY_A))


@pytest.mark.parametrize("trick", TRICKS)
def test_adart_drafts_and_amendments_refuse_direction_and_control_characters(
    app: Suara, trick: str
) -> None:
    congress = factories.congress(app)
    source = SAMPLE_DRAFT.read_text(encoding="utf-8")
    with pytest.raises(InvalidText):
        app.bus.handle(c.ImportDraft(congress.id, source.replace("Nama", trick, 1)))
    app.bus.handle(c.ImportDraft(congress.id, source))
    first = congress.delegate_ids[0]
    with pytest.raises(InvalidText):
        app.bus.handle(c.ProposeAmendment(congress.id, "AD-1", "replace", "1", trick, "why", first))
    with pytest.raises(InvalidText):
        app.bus.handle(
            c.ProposeAmendment(congress.id, "AD-1", "replace", "1", "Nama baru.", trick, first)
        )


def test_one_congress_cannot_block_another_congresss_observer(app: Suara) -> None:
    first, second = factories.congress(app), factories.congress(app)
    app.bus.handle(RegisterObserver(first.id, "Saksi A", KEY_A))  # taken first, elsewhere
    app.bus.handle(RegisterObserver(second.id, "Saksi B", KEY_A))
    assert [o.label for o in app.trust.observers(second.id)] == ["Saksi B"]
    assert [o.label for o in app.trust.observers(first.id)] == ["Saksi A"]


def test_the_same_key_under_another_label_in_one_congress_is_a_409_with_the_reason(
    sqlite_app: Suara,
) -> None:
    congress = factories.congress(sqlite_app)
    sqlite_app.bus.handle(RegisterObserver(congress.id, "Saksi A", KEY_A))
    sqlite_app.bus.handle(RegisterObserver(congress.id, "Saksi A", KEY_A))  # idempotent
    with pytest.raises(DomainError) as refused:
        sqlite_app.bus.handle(RegisterObserver(congress.id, "Saksi lain", KEY_A))
    assert refused.value.code == "observer_key_taken"


def test_a_delegate_not_checked_in_cannot_cast_a_named_vote(app: Suara) -> None:
    congress = factories.congress(app, delegates=4, cards=4, present=2)
    poll_id = app.bus.handle(CreatePoll(congress.id, "Agenda", named=True))
    app.bus.handle(OpenPoll(poll_id))
    assert app.bus.handle(c.CastNamedVote(poll_id, congress.delegate_ids[0], 0)) is True
    with pytest.raises(NotPresent):
        app.bus.handle(c.CastNamedVote(poll_id, congress.delegate_ids[3], 0))
    assert len(app.queries.adart.named_votes(poll_id)) == 1


def test_deeply_nested_json_to_the_cosignature_api_is_a_400(sqlite_app: Suara) -> None:
    congress = factories.congress(sqlite_app)
    poll_id = factories.open_motion(sqlite_app, congress.id)
    body = "[" * 100_000 + "]" * 100_000
    with TestClient(create_app(sqlite_app), raise_server_exceptions=False) as client:
        answer = client.post(
            f"/api/polls/{poll_id}/cosignatures",
            content=body[: 60 * 1024 // 2] + body[-60 * 1024 // 2 :],
            headers={"content-type": "application/json"},
        )
    assert answer.status_code == 400
    assert answer.json()["error"]
