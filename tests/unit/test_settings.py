"""Settings read from the environment: the switches an operator is told about in README."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.config import settings_from_env


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
