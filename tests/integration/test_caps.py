"""Caps sized for a congress of a few thousand (issue 16): 20,000 delegates a CSV file, a web
upload that carries such a file, 20,000 voting cards a print run, each refusal naming its cap
(HTTP 413 with a way back; the CLI's exit 2 with one line)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from governance.bootstrap import Suara
from governance.documents.cards import new_voting_cards
from governance.domain.commands import ImportDelegates, RegisterVotingCards
from governance.domain.limits import (
    MAX_DELEGATE_ROWS,
    MAX_ROSTER_BYTES,
    MAX_VOTING_CARDS,
    RosterTooLong,
    TooManyVotingCards,
)
from governance.service_layer import setup
from tests.workflow import HEADER, congress_with_roster, signed_in, token


def _csv(count: int) -> str:
    rows = [f"Delegasi Nomor {i},Jawa Tengah,central,women,ordinary,yes," for i in range(count)]
    return HEADER + "\n".join(rows) + "\n"


def _suara(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    suara = str(Path(sys.executable).parent / "suara")
    return subprocess.run([suara, *args], capture_output=True, text=True, env=env, check=False)


def test_a_file_of_20000_delegates_is_read_and_one_more_is_refused(app: Suara) -> None:
    congress_id = setup.create_congress(app.uow_factory, "besar", "Kongres")
    started = time.perf_counter()
    report = app.bus.handle(ImportDelegates(congress_id, _csv(MAX_DELEGATE_ROWS), dry_run=True))
    assert len(report.added) == 20_000 and not report.applied
    assert time.perf_counter() - started < 30
    with pytest.raises(RosterTooLong) as refused:
        app.bus.handle(ImportDelegates(congress_id, _csv(MAX_DELEGATE_ROWS + 1), dry_run=True))
    assert "20.000" in refused.value.detail
    assert app.queries.delegates(congress_id) == []


def test_the_web_import_takes_20000_delegates_and_names_each_cap_it_refuses(
    sqlite_app: Suara,
) -> None:
    congress_id, codes = congress_with_roster(sqlite_app)
    path = f"/congresses/{congress_id}/delegates/import"
    back = f'href="/congresses/{congress_id}/delegates"'
    with signed_in(sqlite_app, congress_id, codes["secretariat"]) as desk:
        form = {"csrf_token": token(desk, congress_id)}

        def upload(text: str | bytes) -> tuple[int, str]:
            body = text.encode() if isinstance(text, str) else text
            files = {"file": ("delegasi.csv", body, "text/csv")}
            answer = desk.post(path, data=form, files=files)
            return answer.status_code, answer.text

        big = _csv(MAX_DELEGATE_ROWS)
        assert len(big.encode()) > 1024 * 1024  # over Starlette's default part size
        status, page = upload(big)
        assert status == 200 and 'id="dry-run"' in page, page[-2000:]
        assert "Peserta baru: 20000" in page
        status, page = upload(_csv(MAX_DELEGATE_ROWS + 1))
        assert status == 413 and "paling banyak 20.000 delegasi per berkas" in page and back in page
        status, page = upload(b"x" * (MAX_ROSTER_BYTES + 1))
        assert status == 413 and "paling banyak 4 MB per berkas" in page and back in page
        huge = b"x" * (3 * MAX_ROSTER_BYTES)  # beyond even the route's body limit
        status, page = upload(huge)
        assert status == 413 and "paling banyak 4 MB per berkas" in page and back in page
        pasted = desk.post(
            path,
            data=form,
            files={"csv": (None, "y" * (MAX_ROSTER_BYTES + 1))},
        )
        assert pasted.status_code == 413 and "4 MB" in pasted.text
        # The dry run's own form sends the checked text back: applying it works at the cap.
        apply = desk.post(path, data=form, files={"csv": (None, big), "apply": (None, "yes")})
        assert apply.status_code == 303, apply.text[-2000:]
    assert len(sqlite_app.queries.delegates(congress_id)) == 8 + MAX_DELEGATE_ROWS


def test_the_card_desk_registers_20000_voting_cards_and_refuses_more(sqlite_app: Suara) -> None:
    congress_id, codes = congress_with_roster(sqlite_app)
    made = new_voting_cards(sqlite_app.settings.secret_key, MAX_VOTING_CARDS + 1)
    path = f"/congresses/{congress_id}/cards/voting/register"
    back = f'href="/congresses/{congress_id}/cards"'
    with signed_in(sqlite_app, congress_id, codes["secretariat"]) as desk:
        form = {"csrf_token": token(desk, congress_id)}

        def send(tags: tuple[str, ...]) -> tuple[int, str]:
            body = ("\n".join(tags) + "\n").encode()
            answer = desk.post(path, data=form, files={"tags": ("t.txt", body, "text/plain")})
            return answer.status_code, answer.text

        status, page = send(made.tags)
        assert status == 413 and "paling banyak 20.000 per daftar" in page and back in page
        status, _page = send(made.tags[:MAX_VOTING_CARDS])
        assert status == 303
    assert sqlite_app.queries.voting_cards(congress_id) == MAX_VOTING_CARDS
    with pytest.raises(TooManyVotingCards):
        sqlite_app.bus.handle(RegisterVotingCards(congress_id, made.tags))


def test_the_command_line_names_each_cap_in_one_line(tmp_path: Path) -> None:
    env = {"SUARA_DATA_DIR": str(tmp_path), "SUARA_SECRET_KEY": "k" * 64, "PATH": "/usr/bin:/bin"}
    for count in (str(MAX_VOTING_CARDS + 1), "0"):
        refused = _suara(env, "cards", "voting", "--count", count, "--out", str(tmp_path / "v"))
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert (
        "paling banyak 20.000"
        in _suara(env, "cards", "voting", "--count", "20001", "--out", str(tmp_path / "v")).stderr
    )
    assert not (tmp_path / "v").exists()
    tags = tmp_path / "tags.txt"
    tags.write_text("\n".join(new_voting_cards("k" * 64, MAX_VOTING_CARDS + 1).tags) + "\n")
    refused = _suara(env, "cards", "register", str(tags), "--congress", "x")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "paling banyak 20.000" in refused.stderr
    created = _suara(env, "congress", "create", "--name", "Kongres Uji")
    congress_id = created.stdout.splitlines()[0].removeprefix("congress ")
    roster = tmp_path / "delegasi.csv"
    roster.write_text(_csv(MAX_DELEGATE_ROWS + 1))
    refused = _suara(env, "delegates", "import", str(roster), "--congress", congress_id)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "paling banyak 20.000 delegasi per berkas" in refused.stderr
