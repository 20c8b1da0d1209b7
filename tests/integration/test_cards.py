"""Voting cards printed offline: a PDF with QR codes, and only HMACs for the server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from governance.bootstrap import Suara
from governance.documents.cards import new_voting_cards, voting_cards_pdf
from governance.domain import codes
from governance.service_layer import setup
from governance.service_layer.setup import card_list_fingerprint
from tests.e2e.flow import folders


def test_voting_cards_export_only_tags_and_the_fingerprint(app: Suara) -> None:
    made = new_voting_cards(app.settings.secret_key, 12)
    pdf = voting_cards_pdf(made, "Kongres")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
    assert made.fingerprint == card_list_fingerprint(made.tags)
    assert not any(c.replace("-", "") in t for c in made.codes for t in made.tags)
    congress_id = setup.create_congress(app.uow_factory, "k", "Kongres")
    assert setup.register_voting_cards(app.uow_factory, congress_id, made.tags) == made.fingerprint
    typed = made.codes[0].lower().replace("0", "o")  # O/0 folded when typed
    assert codes.card_tag(app.settings.secret_key, typed) in made.tags


def test_suara_cards_voting_writes_the_pdf_and_tags(tmp_path: Path) -> None:
    suara = str(Path(sys.executable).parent / "suara")
    env = {**folders(tmp_path), "SUARA_SECRET_KEY": "k" * 64, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [suara, "cards", "voting", "--count", "11", "--out", str(tmp_path / "cards")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "cards" / "voting-card-tags.txt").read_text().splitlines()
    tags = [line.split()[0] for line in lines]
    assert len(tags) == 11 and tags == sorted(tags)
    assert (tmp_path / "cards" / "fingerprint.txt").read_text().strip() == card_list_fingerprint(
        tags
    )
    assert (tmp_path / "cards" / "voting-cards.pdf").read_bytes().startswith(b"%PDF")
    bad = tmp_path / "bad.txt"
    bad.write_text("not a tag\n")
    refused = subprocess.run(
        [suara, "cards", "register", str(bad), "--congress", "x"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1


def test_revoked_voting_cards_cannot_vote_and_identity_cards_can_be_reissued(app: Suara) -> None:
    import pytest

    from governance.domain.commands import CastBallot, ReissueIdentityCard, RevokeVotingCard
    from governance.domain.errors import InvalidCredentials
    from governance.service_layer import auth
    from tests import factories

    congress = factories.congress(app)
    poll_id = factories.open_motion(app, congress.id)
    app.bus.handle(RevokeVotingCard(congress.id, congress.voting_codes[0]))
    with pytest.raises(InvalidCredentials):
        app.bus.handle(CastBallot(poll_id, congress.tags[0], (0,)))
    with pytest.raises(InvalidCredentials):
        app.bus.handle(RevokeVotingCard(congress.id, congress.voting_codes[0]))
    assert app.queries.turnout(poll_id) == 0
    old = congress.identity["delegate"]
    new = app.bus.handle(ReissueIdentityCard(congress.id, 1))
    with pytest.raises(InvalidCredentials):
        auth.sign_in(app.uow_factory, app.hasher, congress.id, old)
    assert auth.sign_in(app.uow_factory, app.hasher, congress.id, new).card_number == 1
    app.bus.handle(ReissueIdentityCard(congress.id, 1, reissue=False))
    with pytest.raises(InvalidCredentials):
        auth.sign_in(app.uow_factory, app.hasher, congress.id, new)


def test_suara_cards_identity_issues_cards_to_delegates_without_one(tmp_path: Path) -> None:
    from governance.bootstrap import bootstrap
    from governance.config import settings_from_env
    from governance.domain.commands import ImportDelegates
    from governance.migrations.runner import upgrade
    from tests.workflow import roster_csv

    settings = settings_from_env(folders(tmp_path))
    upgrade(settings.database_url)
    app = bootstrap(settings)
    congress_id = setup.create_congress(app.uow_factory, "k", "Kongres")
    app.bus.handle(ImportDelegates(congress_id, roster_csv(), dry_run=False))
    suara = str(Path(sys.executable).parent / "suara")
    env = {**folders(tmp_path), "PATH": "/usr/bin:/bin"}
    args = [suara, "cards", "identity", "--congress", congress_id, "--out", str(tmp_path / "id")]
    first = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("8 identity cards")
    assert (tmp_path / "id" / "identity-cards.pdf").read_bytes().startswith(b"%PDF")
    again = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    assert again.stdout.startswith("0 identity cards")
    assert app.queries.identity_numbers(congress_id) == set(range(1, 9))
    app.dispose()


def test_the_card_desk_issues_each_delegate_one_identity_card_that_signs_them_in(
    app: Suara,
) -> None:
    import pytest

    from governance.domain.commands import ImportDelegates, IssueIdentityCards, SaveDelegate
    from governance.domain.errors import CardsAlreadyIssued
    from governance.service_layer.auth import sign_in
    from tests.workflow import roster_csv

    congress_id = setup.create_congress(app.uow_factory, "k", "Kongres")
    app.bus.handle(ImportDelegates(congress_id, roster_csv(), dry_run=False))
    delegates = {d.alias: d for d in app.queries.delegates(congress_id)}
    printed = dict(app.bus.handle(IssueIdentityCards(congress_id)))
    assert set(printed) == set(delegates)
    for alias, code in printed.items():
        who = sign_in(app.uow_factory, app.hasher, congress_id, code)
        assert (who.delegate_id, who.role) == (delegates[alias].id, "delegate")
    with pytest.raises(CardsAlreadyIssued):
        app.bus.handle(IssueIdentityCards(congress_id))
    app.bus.handle(SaveDelegate(congress_id, "Teratai Fajar", "Bali", "east", "women", "ordinary"))
    later = app.bus.handle(IssueIdentityCards(congress_id))
    assert [alias for alias, _code in later] == ["Teratai Fajar"]


def test_a_voting_card_list_is_registered_once_and_whole(app: Suara) -> None:
    import pytest

    from governance.domain.commands import RegisterVotingCards
    from governance.domain.errors import InvalidInput, VotingCardsKnown

    congress_id = setup.create_congress(app.uow_factory, "k", "Kongres")
    made = new_voting_cards(app.settings.secret_key, 7)
    assert app.bus.handle(RegisterVotingCards(congress_id, made.tags)) == made.fingerprint
    more = new_voting_cards(app.settings.secret_key, 3)
    with pytest.raises(VotingCardsKnown):  # one card of the new list was registered before
        app.bus.handle(RegisterVotingCards(congress_id, (*more.tags, made.tags[0])))
    with pytest.raises(VotingCardsKnown):
        app.bus.handle(RegisterVotingCards(congress_id, (more.tags[0], more.tags[0])))
    with pytest.raises(InvalidInput):
        app.bus.handle(RegisterVotingCards(congress_id, (*more.tags, made.codes[0])))
    assert app.queries.voting_cards(congress_id) == 7
    app.bus.handle(RegisterVotingCards(congress_id, more.tags))
    assert app.queries.voting_cards(congress_id) == 10


def test_suara_congress_create_prints_the_officials_cards_once(tmp_path: Path) -> None:
    from governance.bootstrap import bootstrap
    from governance.config import settings_from_env
    from governance.service_layer.auth import sign_in

    suara = str(Path(sys.executable).parent / "suara")
    env = {**folders(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [suara, "congress", "create", "--name", "Kongres Uji"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    congress_id = lines[0].removeprefix("congress ")
    printed = dict(line.split() for line in lines[3:])
    app = bootstrap(settings_from_env(folders(tmp_path)))
    try:
        assert [c.name for c in app.queries.congresses()] == ["Kongres Uji"]
        for role, code in printed.items():
            assert sign_in(app.uow_factory, app.hasher, congress_id, code).role == role
        assert sorted(printed) == ["chair", "observer", "secretariat"]
        assert app.queries.delegates(congress_id) == []
    finally:
        app.dispose()
