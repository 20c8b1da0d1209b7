"""Settings from the environment (SUARA_*); the embedded default is a SQLite file in ./data."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


class ConfigError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    """Everything the process needs to know about where it runs; never printed whole."""

    data_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    secure_cookies: bool = False
    relay_interval_s: float = 0.1
    sweep_after_s: float = 10.0
    broker_namespace: str = "suara"
    checkpoint_every_s: float = 60.0
    min_group: int = 5
    # A neutral name for tabs and the header: the title need not say what the meeting is.
    site_title: str = "Suara"
    # Cast ballots on the web process's event loop rather than in a thread: faster when the
    # database answers in well under a millisecond (SQLite, PostgreSQL on the same machine or
    # network); turn off (SUARA_INLINE_CASTS=0) when it is far away.
    inline_casts: bool = True

    def __repr__(self) -> str:
        # Keep the secret out of tracebacks and logs.
        return f"Settings(data_dir={self.data_dir!s}, database_url={_redact(self.database_url)})"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _redact(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


def load_secret_key(data_dir: Path) -> str:
    """Read the secret from the data folder, creating it once with owner-only permissions."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Build settings from SUARA_* variables, with the embedded default when unset."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("SUARA_DATA_DIR", "./data")).resolve()
    database_url = env.get("SUARA_DATABASE_URL") or f"sqlite:///{data_dir / 'suara.sqlite3'}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    secret_key = env.get("SUARA_SECRET_KEY", "")
    if not secret_key:
        if not database_url.startswith("sqlite"):
            # Web, worker and relay processes must share one key, or card tags will not match.
            raise ConfigError("SUARA_SECRET_KEY must be set when the database is not SQLite")
        secret_key = load_secret_key(data_dir)
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=env.get("SUARA_REDIS_URL") or None,
        secret_key=secret_key,
        base_url=env.get("SUARA_BASE_URL", "http://127.0.0.1:8000"),
        secure_cookies=env.get("SUARA_SECURE_COOKIES", "0") == "1",
        relay_interval_s=float(env.get("SUARA_RELAY_INTERVAL", "0.1")),
        sweep_after_s=float(env.get("SUARA_SWEEP_AFTER", "10")),
        broker_namespace=env.get("SUARA_BROKER_NAMESPACE", "suara"),
        checkpoint_every_s=float(env.get("SUARA_CHECKPOINT_EVERY", "60")),
        min_group=int(env.get("SUARA_MIN_GROUP", "5")),
        site_title=env.get("SUARA_SITE_TITLE", "").strip()[:60] or "Suara",
        inline_casts=env.get("SUARA_INLINE_CASTS", "1").strip() not in {"0", "false", "no"},
    )
