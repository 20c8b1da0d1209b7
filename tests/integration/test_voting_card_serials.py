"""A lost voting card is revoked by the serial printed on it (issue 18 item 6): nobody records
a card's code, and the card is drawn from a box, so the serial is linked to no person."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.bootstrap import Suara
from governance.documents.cards import new_voting_cards, read_tags_file, voting_cards_pdf
from governance.domain import codes
from governance.domain.commands import CastBallot, RegisterVotingCards, RevokeVotingCard
from governance.domain.errors import InvalidCredentials, InvalidInput, VotingCardsKnown
from tests import factories
from tests.workflow import congress_with_roster, signed_in, token


def test_each_card_has_its_own_serial_and_the_tags_file_carries_it() -> None:
    made = new_voting_cards("k" * 64, 30)
    assert len(set(made.serials)) == 30
    assert [s.split("-")[1] for s in made.serials] == [f"{i:05d}" for i in range(1, 31)]
    assert len({s.split("-")[0] for s in made.serials}) == 1  # one print run
    read = read_tags_file(made.tags_file())
    assert read is not None
    tags, serials = read
    assert tags == made.tags  # in tag order: the lines say nothing of the printing order
    for code, serial in zip(made.codes, made.serials, strict=True):
        assert serials[tags.index(codes.card_tag("k" * 64, code))] == serial
    assert read_tags_file("\n".join(made.tags)) == (made.tags, ())  # files from before serials
    assert read_tags_file(f"{made.tags[0]} {made.serials[0]}\n{made.tags[1]}\n") is None
    assert read_tags_file(f"{made.tags[0]} not-a-serial\n") is None
    assert codes.normalise_serial(" k7qd 0oo42 ") == "K7QD-00042"
    assert codes.normalise_serial(made.codes[0]) is None


@pytest.mark.skipif(
    shutil.which("pdftotext") is None and os.environ.get("CI") != "true",
    reason="needs poppler's pdftotext",
)
def test_the_serial_is_printed_on_the_card(tmp_path: Path) -> None:
    made = new_voting_cards("k" * 64, 3)
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(voting_cards_pdf(made, "Kongres"))
    tool = shutil.which("pdftotext") or "pdftotext"
    text = subprocess.run([tool, str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    for code, serial in zip(made.codes, made.serials, strict=True):
        assert serial in text and code in text


def test_the_desk_revokes_a_lost_card_by_its_serial_and_logs_no_serial(app: Suara) -> None:
    congress_id, people = congress_with_roster(app)
    made = new_voting_cards(app.settings.secret_key, 6)
    poll_id = factories.open_motion(app, congress_id)
    with signed_in(app, congress_id, people["secretariat"]) as desk:
        files = {"tags": ("voting-card-tags.txt", made.tags_file().encode(), "text/plain")}
        registered = desk.post(
            f"/congresses/{congress_id}/cards/voting/register",
            data={"csrf_token": token(desk, congress_id)},
            files=files,
        )
        assert registered.status_code == 303
        lost = made.serials[2]
        typed = lost.lower().replace("0", "o")  # read off a photo or a note, as people type
        revoked = desk.post(
            f"/congresses/{congress_id}/cards/voting",
            data={"csrf_token": token(desk, congress_id), "code": typed},
        )
        assert revoked.status_code == 303, revoked.text
        again = desk.post(
            f"/congresses/{congress_id}/cards/voting",
            data={"csrf_token": token(desk, congress_id), "code": lost},
        )
        assert again.status_code == 401 and f'href="/congresses/{congress_id}/cards"' in again.text
        unknown = desk.post(
            f"/congresses/{congress_id}/cards/voting",
            data={"csrf_token": token(desk, congress_id), "code": "ZZZZ-99999"},
        )
        assert unknown.status_code == 401
    lost_tag = codes.card_tag(app.settings.secret_key, made.codes[2])
    with pytest.raises(InvalidCredentials):
        app.bus.handle(CastBallot(poll_id, lost_tag, (0,)))
    kept = codes.card_tag(app.settings.secret_key, made.codes[3])
    assert app.bus.handle(CastBallot(poll_id, kept, (0,)))
    assert app.queries.voting_cards(congress_id) == 5
    # The log says a card went, not which: no serial, code or tag in any event.
    with app.engine.connect() as conn:
        payloads = [p for (p,) in conn.execute(sa.text("SELECT payload FROM events"))]
    assert not any(lost in p or lost_tag in p or made.codes[2] in p for p in payloads)
    entry = next(e for e in app.queries.audit(congress_id) if e.action == "revoke_voting_card")
    assert (entry.card_number, entry.target) == (902, "")
    assert json.dumps([e.target for e in app.queries.audit(congress_id)]).count(lost) == 0


def test_a_list_with_a_repeated_or_malformed_serial_is_refused_whole(app: Suara) -> None:
    congress_id, _people = congress_with_roster(app)
    made = new_voting_cards(app.settings.secret_key, 4)
    repeated = (made.serials[0],) * 4
    with pytest.raises(VotingCardsKnown):
        app.bus.handle(RegisterVotingCards(congress_id, made.tags, repeated))
    with pytest.raises(InvalidInput):
        app.bus.handle(RegisterVotingCards(congress_id, made.tags, made.serials[:3]))
    with pytest.raises(InvalidInput):
        app.bus.handle(RegisterVotingCards(congress_id, made.tags, ("x",) * 4))
    assert app.queries.voting_cards(congress_id) == 0
    serials = tuple(made.serial_of[t] for t in made.tags)
    app.bus.handle(RegisterVotingCards(congress_id, made.tags, serials))
    app.bus.handle(RevokeVotingCard(congress_id, serial=made.serials[0]))
    assert app.queries.voting_cards(congress_id) == 3


def test_suara_cards_voting_and_register_carry_the_serials_to_the_server(tmp_path: Path) -> None:
    from governance.bootstrap import bootstrap
    from governance.config import settings_from_env

    suara = str(Path(sys.executable).parent / "suara")
    env = {"SUARA_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([suara, *args], capture_output=True, text=True, env=env, check=False)

    created = run("congress", "create", "--name", "Kongres Uji")
    congress_id = created.stdout.splitlines()[0].removeprefix("congress ")
    assert run("cards", "voting", "--count", "5", "--out", str(tmp_path / "v")).returncode == 0
    tags_file = tmp_path / "v" / "voting-card-tags.txt"
    done = run("cards", "register", str(tags_file), "--congress", congress_id)
    assert done.returncode == 0, done.stderr
    read = read_tags_file(tags_file.read_text())
    assert read is not None
    app = bootstrap(settings_from_env({"SUARA_DATA_DIR": str(tmp_path)}))
    try:
        app.bus.handle(RevokeVotingCard(congress_id, serial=read[1][0]))
        assert app.queries.voting_cards(congress_id) == 4
    finally:
        app.dispose()
