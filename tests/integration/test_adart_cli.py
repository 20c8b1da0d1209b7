"""`suara adart import` and `export` on the embedded SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from governance.adart.sample import SAMPLE_DRAFT
from governance.bootstrap import Suara
from governance.cli import main
from tests import factories


@pytest.fixture
def runner(sqlite_app: Suara, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SUARA_DATABASE_URL", sqlite_app.settings.database_url)
    monkeypatch.setenv("SUARA_DATA_DIR", str(sqlite_app.settings.data_dir))
    return CliRunner()


def test_import_reads_the_draft_and_export_prints_the_adopted_text(
    sqlite_app: Suara, runner: CliRunner
) -> None:
    congress = factories.congress(sqlite_app)
    args = ["adart", "import", str(SAMPLE_DRAFT), "--congress", congress.id, "--support", "3"]
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    statute = sqlite_app.queries.adart.statute(congress.id)
    assert statute is not None and statute.rules.required_support == 3
    assert done.output == "imported 4 chapters, 7 articles\n"
    exported = runner.invoke(main, ["adart", "export", "--congress", congress.id])
    assert exported.exit_code == 0
    assert exported.output.startswith("# AD: Anggaran Dasar")
    assert "### Pasal" not in exported.output  # nothing is adopted yet


def test_a_malformed_draft_exits_2_with_one_line_naming_the_line(
    sqlite_app: Suara, runner: CliRunner, tmp_path: Path
) -> None:
    congress = factories.congress(sqlite_app)
    bad = tmp_path / "bad.md"
    bad.write_text("# AD: X\n## Bab I: A\n### Pasal 1: B\nok\n#### deep\n", encoding="utf-8")
    done = runner.invoke(main, ["adart", "import", str(bad), "--congress", congress.id])
    assert done.exit_code == 2
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and "line 5" in lines[0]
    assert sqlite_app.queries.adart.statute(congress.id) is None


@pytest.mark.parametrize("args", [["missing.md", "--congress", "x"], ["SAMPLE", "--congress", "x"]])
def test_a_missing_file_or_unknown_congress_exits_2_with_one_line(
    sqlite_app: Suara, runner: CliRunner, args: list[str]
) -> None:
    args = [str(SAMPLE_DRAFT) if a == "SAMPLE" else a for a in args]
    done = runner.invoke(main, ["adart", "import", *args])
    assert done.exit_code == 2
    assert len(done.output.strip().splitlines()) == 1
