"""Delegate import (dry run, apply, all-or-nothing), edits, and the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from governance.bootstrap import Suara
from governance.domain.commands import ImportDelegates, RemoveDelegate, SaveDelegate
from governance.domain.errors import DelegateInUse, RosterInvalid
from governance.service_layer import setup
from tests.e2e.flow import folders
from tests.workflow import HEADER, congress_with_roster, roster_csv, signed_in, token

BAD_FILES = {
    "missing column": (
        "alias,province,region,caucus,membership_class\nA,Aceh,west,men,ordinary\n",
        "voting_right",
    ),
    "unknown region": (HEADER + "A,Aceh,north,men,ordinary,yes,\n", "region"),
    "duplicate aliases": (
        HEADER + "Mawar,Aceh,west,men,ordinary,yes,\nmawar,Bali,east,men,ordinary,yes,\n",
        "alias",
    ),
    "bidi control": (HEADER + "Ma\u202ewar,Aceh,west,men,ordinary,yes,\n", "alias"),
    "zero width": (HEADER + "Mel\u200bati,Aceh,west,men,ordinary,yes,\n", "alias"),
    "bad voting right": (HEADER + "A,Aceh,west,men,ordinary,maybe,\n", "voting_right"),
    "unknown class": (HEADER + "A,Aceh,west,men,mami,yes,\n", "membership_class"),
}


def _congress(app: Suara) -> str:
    return setup.create_congress(app.uow_factory, "k", "Kongres")


def test_a_dry_run_reports_changes_and_writes_nothing(app: Suara) -> None:
    congress_id = _congress(app)
    report = app.bus.handle(ImportDelegates(congress_id, roster_csv(), dry_run=True))
    assert len(report.added) == 8 and not report.applied
    assert app.queries.delegates(congress_id) == []
    app.bus.handle(ImportDelegates(congress_id, roster_csv(), dry_run=False))
    changed = roster_csv().replace("West 0,Aceh,west,women", "West 0,Riau,west,waria")
    again = app.bus.handle(ImportDelegates(congress_id, changed, dry_run=False))
    assert again.added == () and again.updated == ("West 0",) and again.unchanged == 7
    people = app.queries.delegates(congress_id)
    assert [d.number for d in people] == list(range(1, 9))
    assert next(d for d in people if d.alias == "West 0").province == "Riau"


def test_aliases_are_normalised_to_nfc(app: Suara) -> None:
    congress_id = _congress(app)
    decomposed = "Me\u0301lati"  # e + combining acute
    app.bus.handle(
        ImportDelegates(congress_id, HEADER + f"{decomposed},Aceh,west,,,yes,\n", dry_run=False)
    )
    assert app.queries.delegates(congress_id)[0].alias == "M\u00e9lati"


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_names_line_and_field_and_changes_nothing(sqlite_app: Suara, case: str) -> None:
    congress_id = _congress(sqlite_app)
    text, field = BAD_FILES[case]
    with pytest.raises(RosterInvalid) as refused:
        sqlite_app.bus.handle(
            ImportDelegates(
                congress_id,
                roster_csv() + text.split("\n", 1)[1] if case != "missing column" else text,
                dry_run=False,
            )
        )
    assert any(p.field == field for p in refused.value.problems)  # type: ignore[attr-defined]
    assert all(p.line >= 1 for p in refused.value.problems)  # type: ignore[attr-defined]
    assert sqlite_app.queries.delegates(congress_id) == []


def test_a_bad_file_through_the_page_shows_the_problems_and_changes_nothing(app: Suara) -> None:
    congress_id, codes = congress_with_roster(app)
    before = app.queries.delegates(congress_id)
    with signed_in(app, congress_id, codes["secretariat"]) as client:
        answer = client.post(
            f"/congresses/{congress_id}/delegates/import",
            data={
                "csrf_token": token(client, congress_id),
                "csv": BAD_FILES["unknown region"][0],
                "apply": "yes",
            },
        )
    assert answer.status_code == 422
    assert "north" in answer.text and 'id="problems"' in answer.text
    assert app.queries.delegates(congress_id) == before


def test_the_secretariat_imports_with_a_dry_run_then_applies(sqlite_app: Suara) -> None:
    congress_id, codes = congress_with_roster(sqlite_app)
    extra = HEADER + "Kenanga Baru,Bali,east,waria,special,no,\n"
    with signed_in(sqlite_app, congress_id, codes["secretariat"]) as client:
        csrf = token(client, congress_id)
        dry = client.post(
            f"/congresses/{congress_id}/delegates/import", data={"csrf_token": csrf, "csv": extra}
        )
        assert dry.status_code == 200 and 'id="dry-run"' in dry.text and "Kenanga Baru" in dry.text
        assert len(sqlite_app.queries.delegates(congress_id)) == 8
        done = client.post(
            f"/congresses/{congress_id}/delegates/import",
            data={"csrf_token": csrf, "csv": extra, "apply": "yes"},
        )
        assert done.status_code == 303
    assert len(sqlite_app.queries.delegates(congress_id)) == 9


def test_a_delegate_cannot_import_or_edit(sqlite_app: Suara) -> None:
    congress_id, codes = congress_with_roster(sqlite_app)
    with signed_in(sqlite_app, congress_id, codes["West 0"]) as client:
        csrf = token(client, congress_id)
        assert client.get(f"/congresses/{congress_id}/delegates").status_code == 403
        answer = client.post(
            f"/congresses/{congress_id}/delegates/import",
            data={"csrf_token": csrf, "csv": roster_csv(), "apply": "yes"},
        )
        assert answer.status_code == 403


def test_edit_add_and_remove_a_delegate(app: Suara) -> None:
    congress_id, _ = congress_with_roster(app)
    new_id = app.bus.handle(SaveDelegate(congress_id, "Soka", "Bali", "east"))
    app.bus.handle(
        SaveDelegate(
            congress_id, "Soka Pagi", "Bali", "east", delegate_id=new_id, voting_right=False
        )
    )
    assert app.queries.delegate(new_id).alias == "Soka Pagi"  # type: ignore[union-attr]
    with pytest.raises(RosterInvalid):
        app.bus.handle(SaveDelegate(congress_id, "West 0", "Bali", "east", delegate_id=new_id))
    with pytest.raises(RosterInvalid):
        app.bus.handle(SaveDelegate(congress_id, "Bad\u202eName", "Bali", "east"))
    app.bus.handle(RemoveDelegate(congress_id, new_id))
    assert app.queries.delegate(new_id) is None


def test_a_nominated_delegate_cannot_be_removed(sqlite_app: Suara) -> None:
    from governance.domain.commands import CreatePosition, Nominate

    congress_id, _ = congress_with_roster(sqlite_app)
    person = sqlite_app.queries.delegates(congress_id)[0]
    position = sqlite_app.bus.handle(CreatePosition(congress_id, "Ketua", 1, "irv"))
    sqlite_app.bus.handle(Nominate(position, person.id, None))
    with pytest.raises(DelegateInUse):
        sqlite_app.bus.handle(RemoveDelegate(congress_id, person.id))


def _suara(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**folders(tmp_path), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "suara"), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_the_cli_imports_and_refuses_bad_files_with_one_line(tmp_path: Path) -> None:
    from governance.bootstrap import bootstrap
    from governance.config import settings_from_env
    from governance.migrations.runner import upgrade

    settings = settings_from_env(folders(tmp_path))
    upgrade(settings.database_url)
    app = bootstrap(settings)
    congress_id = _congress(app)
    good = tmp_path / "good.csv"
    good.write_text(roster_csv())
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_FILES["unknown region"][0])
    dry = _suara(tmp_path, "delegates", "import", str(good), "--congress", congress_id, "--dry-run")
    assert dry.returncode == 0 and "would add 8" in dry.stdout
    assert app.queries.delegates(congress_id) == []
    refused = _suara(tmp_path, "delegates", "import", str(bad), "--congress", congress_id)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "line 2, region" in refused.stderr
    done = _suara(tmp_path, "delegates", "import", str(good), "--congress", congress_id)
    assert done.returncode == 0, done.stderr
    assert len(app.queries.delegates(congress_id)) == 8
    app.dispose()
