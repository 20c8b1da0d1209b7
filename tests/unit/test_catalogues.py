from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from web import i18n

ROOT = Path(__file__).resolve().parents[2]


def messages(language: str) -> dict[str, str]:
    path = ROOT / "web" / "locale" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and isinstance(m.id, str)}


def test_every_message_in_the_code_is_in_the_indonesian_catalogue(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-o",
            str(pot),
            "--omit-header",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id and isinstance(m.id, str)}
    indonesian = messages("id")
    missing = sorted(extracted - {k for k, v in indonesian.items() if v})
    assert missing == [], f"untranslated into Indonesian: {missing}"


def test_placeholders_survive_translation() -> None:
    for source, translated in messages("id").items():
        if translated:
            assert re.findall(r"%\(\w+\)s", source) == re.findall(r"%\(\w+\)s", translated), source


def test_indonesian_is_the_default_and_english_is_available() -> None:
    i18n.set_language("xx")
    assert i18n._("Sign in") == "Masuk"
    i18n.set_language("en")
    assert i18n._("Sign in") == "Sign in"
    assert i18n.number(1234.5) == "1,234.5"
    i18n.set_language("id")
    assert i18n.number(1234.5) == "1.234,5"


def _msgids(path: Path) -> list[str]:
    """Every msgid of a .po file as written, continuation lines joined (babel keeps only the
    first of two equal msgids, silently, so a duplicate would hide the second translation)."""
    ids: list[str] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = [line[len("msgid ") :]]
            ids.append("")
        elif current is not None and line.startswith('"'):
            current.append(line)
        else:
            if current is not None:
                ids[-1] = "".join(part.strip('"') for part in current)
            current = None
    if current is not None:
        ids[-1] = "".join(part.strip('"') for part in current)
    return ids


def test_no_catalogue_defines_a_message_twice() -> None:
    for language in i18n.LANGUAGES:
        ids = _msgids(ROOT / "web" / "locale" / language / "LC_MESSAGES" / "messages.po")
        repeated = sorted({m for m in ids if ids.count(m) > 1})
        assert repeated == [], f"{language}: defined twice: {repeated}"
