"""Delegates and observers calling chair or secretariat actions: refused, nothing changed."""

from __future__ import annotations

from governance.bootstrap import Suara
from governance.domain.commands import CreatePoll, CreatePosition, OpenPoll
from tests.e2e.flow import csrf
from tests.workflow import congress_with_roster, delegate_id, signed_in, token


def test_delegates_and_observers_cannot_run_the_congress(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    position = app.bus.handle(CreatePosition(congress_id, "Ketua", 1, "irv"))
    draft = app.bus.handle(CreatePoll(congress_id, "Agenda"))
    motion = app.bus.handle(CreatePoll(congress_id, "Tata tertib"))
    app.bus.handle(OpenPoll(motion))
    someone = delegate_id(app, congress_id, "West 0")
    actions = [
        (f"/congresses/{congress_id}/positions", {"title": "X", "seats": "1", "method": "irv"}),
        (f"/congresses/{congress_id}/motions", {"title": "X"}),
        (f"/congresses/{congress_id}/agenda", {"session": "S", "kind": "plenary", "title": "T"}),
        (f"/positions/{position}/open", {}),
        (f"/polls/{draft}/open", {}),
        (f"/polls/{motion}/close", {}),
        (f"/polls/{motion}/paper", {"ballots": "1\n"}),
        (f"/congresses/{congress_id}/delegates", {"alias": "X", "province": "Bali"}),
        (f"/congresses/{congress_id}/delegates/{someone}/remove", {}),
        (f"/congresses/{congress_id}/cards/identity", {"number": "1", "action": "revoke"}),
    ]
    for who in ("West 1", "observer"):
        with signed_in(app, congress_id, codes[who]) as client:
            csrf_token = token(client, congress_id)
            for path, data in actions:
                answer = client.post(path, data={"csrf_token": csrf_token, **data})
                assert answer.status_code == 403, (who, path, answer.status_code)
            observer_vote = client.post(
                f"/polls/{motion}/ballot", data={"csrf_token": csrf_token, "choice": "0"}
            )
            assert observer_vote.status_code == 401
    assert [p.title for p in app.queries.positions(congress_id)] == ["Ketua"]
    assert len(app.queries.polls(congress_id)) == 2
    assert app.queries.poll(draft).status.value == "draft"  # type: ignore[union-attr]
    assert app.queries.poll(motion).status.value == "open"  # type: ignore[union-attr]
    assert app.queries.batches(motion) == [] and app.queries.agenda(congress_id) == []
    assert len(app.queries.delegates(congress_id)) == 8


def test_the_card_desk_shows_a_reissued_code_once(sqlite_app: Suara) -> None:
    congress_id, codes = congress_with_roster(sqlite_app)
    with signed_in(sqlite_app, congress_id, codes["secretariat"]) as desk:
        page = desk.get(f"/congresses/{congress_id}/cards")
        answer = desk.post(
            f"/congresses/{congress_id}/cards/identity",
            data={"csrf_token": csrf(page.text), "number": "1", "action": "reissue"},
        )
        assert answer.status_code == 303
        shown = desk.get(f"/congresses/{congress_id}/cards")
        assert 'id="reissued"' in shown.text and shown.headers["cache-control"] == "no-store"
        assert 'id="reissued"' not in desk.get(f"/congresses/{congress_id}/cards").text


def test_the_card_desk_takes_a_tags_file_once_and_refuses_anything_else(sqlite_app: Suara) -> None:
    from governance.documents.cards import new_voting_cards

    congress_id, codes = congress_with_roster(sqlite_app)
    made = new_voting_cards(sqlite_app.settings.secret_key, 5)
    tags = ("\n".join(made.tags) + "\n").encode()
    path = f"/congresses/{congress_id}/cards/voting/register"
    with signed_in(sqlite_app, congress_id, codes["secretariat"]) as desk:
        form = {"csrf_token": token(desk, congress_id)}

        def send(body: bytes) -> int:
            files = {"tags": ("voting-card-tags.txt", body, "text/plain")}
            return desk.post(path, data=form, files=files).status_code

        assert send(b"\n".join(made.codes[0].encode() for _ in range(2))) == 422  # codes, not tags
        assert send(b"\xff\xfe" + tags) == 422  # not UTF-8
        assert send(tags) == 303
        page = desk.get(f"/congresses/{congress_id}/cards").text
        assert made.fingerprint in page
        assert send(tags) == 409  # the same list again: nothing stored twice
        assert desk.post(path, data=form).status_code == 422  # no file at all
        no_token = desk.post(path, files={"tags": ("t.txt", tags, "text/plain")})
        assert no_token.status_code == 403
    assert sqlite_app.queries.voting_cards(congress_id) == 5


def test_the_delegate_csv_can_be_uploaded_with_a_byte_order_mark(sqlite_app: Suara) -> None:
    congress_id, codes = congress_with_roster(sqlite_app)
    row = "Teratai Fajar,Bali,east,women,ordinary,yes,\n"
    csv = "\ufeffalias,province,region,caucus,membership_class,voting_right,legal_name\n" + row
    path = f"/congresses/{congress_id}/delegates/import"
    with signed_in(sqlite_app, congress_id, codes["secretariat"]) as desk:
        form = {"csrf_token": token(desk, congress_id)}
        files = {"file": ("delegates.csv", csv.encode("utf-8"), "text/csv")}
        dry_run = desk.post(path, data=form, files=files)
        assert dry_run.status_code == 200 and "Teratai Fajar" in dry_run.text
        assert len(sqlite_app.queries.delegates(congress_id)) == 8  # a dry run writes nothing
        kept = csrf_field(dry_run.text)
        assert desk.post(path, data={**form, "csv": kept, "apply": "yes"}).status_code == 303
        assert desk.post(path, data=form).status_code == 422  # neither a file nor a text
    assert "Teratai Fajar" in [d.alias for d in sqlite_app.queries.delegates(congress_id)]


def csrf_field(html: str) -> str:
    """The CSV text the dry-run page carries to the apply button (HTML-escaped there)."""
    import html as markup
    import re

    found = re.search(r'<input type="hidden" name="csv" value="([^"]*)">', html)
    assert found, "the dry run does not carry the text"
    return markup.unescape(found.group(1))
