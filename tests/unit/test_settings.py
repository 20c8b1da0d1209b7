"""Settings read from the environment: the switches an operator is told about in README."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from governance.config import (
    ConfigError,
    default_data_dir,
    default_secret_file,
    settings_from_env,
)


@pytest.fixture(autouse=True)
def own_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test its own per-user folders, so a default key made by one is not seen by the next."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.mark.parametrize(
    ("value", "inline"), [(None, True), ("1", True), ("0", False), ("no", False)]
)
def test_ballots_are_cast_on_the_event_loop_unless_turned_off(
    tmp_path: Path, value: str | None, inline: bool
) -> None:
    env = {"SUARA_DATA_DIR": str(tmp_path)}
    if value is not None:
        env["SUARA_INLINE_CASTS"] = value
    assert settings_from_env(env).inline_casts is inline


def test_the_default_data_folder_is_the_users_whatever_folder_a_command_runs_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = []
    for here in ("a", "b"):
        (tmp_path / here).mkdir()
        monkeypatch.chdir(tmp_path / here)
        seen.append(settings_from_env({}))
    assert seen[0].data_dir == seen[1].data_dir == default_data_dir()
    assert seen[0].database_url == f"sqlite:///{default_data_dir() / 'suara.sqlite3'}"
    assert not (tmp_path / "a" / "data").exists()
    assert seen[0].secret_key == seen[1].secret_key  # one key, not one per folder


def test_suara_data_dir_overrides_the_default(tmp_path: Path) -> None:
    settings = settings_from_env({"SUARA_DATA_DIR": str(tmp_path / "congress")})
    assert settings.data_dir == tmp_path / "congress"
    assert settings.database_url == f"sqlite:///{tmp_path / 'congress' / 'suara.sqlite3'}"


def test_the_generated_secret_is_kept_outside_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = settings_from_env({"SUARA_DATA_DIR": str(data)})
    assert settings.secret_file == default_secret_file()
    assert not settings.secret_file.is_relative_to(data)
    assert settings.secret_file.read_text().strip() == settings.secret_key
    assert not (data / "secret_key").exists()
    assert stat.S_IMODE(settings.secret_file.stat().st_mode) == 0o600
    beside = tmp_path / "keys" / "congress.key"
    chosen = settings_from_env({"SUARA_DATA_DIR": str(data), "SUARA_SECRET_FILE": str(beside)})
    assert chosen.secret_file == beside and beside.read_text().strip() == chosen.secret_key
    assert stat.S_IMODE(beside.stat().st_mode) == 0o600


def test_a_secret_file_inside_the_data_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    env = {"SUARA_DATA_DIR": str(tmp_path), "SUARA_SECRET_FILE": str(tmp_path / "k" / "key")}
    with pytest.raises(ConfigError, match="inside the data folder"):
        settings_from_env(env)
    assert not (tmp_path / "k" / "key").exists()
    allowed = settings_from_env({**env, "SUARA_ALLOW_SECRET_IN_DATA_DIR": "1"})
    assert allowed.secret_file == tmp_path / "k" / "key"


def test_a_secret_left_in_the_data_folder_by_an_older_version_stops_the_start(
    tmp_path: Path,
) -> None:
    (tmp_path / "secret_key").write_text("a" * 64)
    with pytest.raises(ConfigError, match="holds a secret key") as refused:
        settings_from_env({"SUARA_DATA_DIR": str(tmp_path)})
    assert "mv " in str(refused.value)
    allowed = {"SUARA_DATA_DIR": str(tmp_path), "SUARA_ALLOW_SECRET_IN_DATA_DIR": "1"}
    allowed["SUARA_SECRET_FILE"] = str(tmp_path / "secret_key")
    assert settings_from_env(allowed).secret_key == "a" * 64


def test_postgresql_needs_the_key_in_the_environment_and_writes_no_file(tmp_path: Path) -> None:
    env = {"SUARA_DATA_DIR": str(tmp_path), "SUARA_DATABASE_URL": "postgresql://h/db"}
    with pytest.raises(ConfigError, match="SUARA_SECRET_KEY"):
        settings_from_env(env)
    settings = settings_from_env({**env, "SUARA_SECRET_KEY": "b" * 64})
    assert settings.secret_file is None and not default_secret_file().exists()
