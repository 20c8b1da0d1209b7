"""Settings from the environment (SUARA_*).

The embedded default is a SQLite file in the user's data folder (platformdirs; SUARA_DATA_DIR
overrides it), whatever folder a command runs from. The generated secret key lives apart from
it, in the user's configuration folder (SUARA_SECRET_FILE overrides it): a copy of the data
folder, the thing that gets backed up and carried around, must not carry the key that links a
voting card's ballots across polls.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "suara"
KEY_FILE_NAME = "secret_key"
DATABASE_FILE_NAME = "suara.sqlite3"


class ConfigError(ValueError):
    """A setting is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    """Everything the process needs to know about where it runs; never printed whole."""

    data_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str = ""
    # Where the generated key is kept (None when SUARA_SECRET_KEY gave it).
    secret_file: Path | None = None
    base_url: str = "http://127.0.0.1:8000"
    secure_cookies: bool = False
    # Addresses (or networks) of the reverse proxies whose X-Forwarded-For/-Proto are believed;
    # none by default, so nobody on the hotel Wi-Fi can pose as another address to the throttle.
    trusted_proxies: tuple[str, ...] = ()
    # The bearer token /metrics asks for; unset, /metrics does not exist.
    metrics_token: str = ""
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


def default_data_dir() -> Path:
    """The per-user data folder (e.g. ~/.local/share/suara on Linux)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_secret_file() -> Path:
    """The per-user configuration folder's key file (e.g. ~/.config/suara/secret_key)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / KEY_FILE_NAME


def private_dir(path: Path) -> None:
    """Create a folder only its owner can enter (an existing one is left as it is)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def load_secret_key(path: Path) -> str:
    """Read the secret from its file, creating it once with owner-only permissions."""
    if path.exists():
        return path.read_text().strip()
    private_dir(path.parent)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _flag(env: dict[str, str], name: str) -> bool:
    return env.get(name, "0").strip().lower() in {"1", "true", "yes"}


def _secret_file(env: dict[str, str], data_dir: Path) -> Path:
    """Where the key is kept; refuses a place inside the data folder unless allowed."""
    given = env.get("SUARA_SECRET_FILE", "").strip()
    path = Path(given).expanduser().resolve() if given else default_secret_file()
    allowed = _flag(env, "SUARA_ALLOW_SECRET_IN_DATA_DIR")
    if _inside(path, data_dir) and not allowed:
        raise ConfigError(
            f"the secret key file {path} is inside the data folder {data_dir}: a copy of that "
            "folder would link each voting card's ballots across polls; set SUARA_SECRET_FILE "
            "to a file outside it (or SUARA_ALLOW_SECRET_IN_DATA_DIR=1 to accept the risk)"
        )
    legacy = data_dir / KEY_FILE_NAME
    if legacy.exists() and not allowed:
        # An older Suara kept the key here. Starting with a new key would make every card
        # stop working; starting with this one would keep it where copies of the folder go.
        raise ConfigError(
            f"the data folder {data_dir} holds a secret key (from an older version): move it "
            f"out of the folder (mv {legacy} {path}, or set SUARA_SECRET_FILE to where you "
            "moved it), or set SUARA_ALLOW_SECRET_IN_DATA_DIR=1 to accept the risk"
        )
    return path


@dataclass(frozen=True)
class Locations:
    """Where the data, the database and the generated key are, read without touching them."""

    data_dir: Path
    database_url: str
    # The key's file, unless SUARA_SECRET_KEY gives the key or the database is not SQLite.
    secret_file: Path | None


def locations_from_env(env: dict[str, str] | None = None) -> Locations:
    """The data folder, database URL and key file the settings would use (nothing created)."""
    env = dict(os.environ if env is None else env)
    given_dir = env.get("SUARA_DATA_DIR", "").strip()
    data_dir = Path(given_dir).expanduser().resolve() if given_dir else default_data_dir()
    database_url = env.get("SUARA_DATABASE_URL") or f"sqlite:///{data_dir / DATABASE_FILE_NAME}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    sqlite = database_url.startswith("sqlite")
    keyed = bool(env.get("SUARA_SECRET_KEY", ""))
    secret_file = _secret_file(env, data_dir) if sqlite and not keyed else None
    return Locations(data_dir, database_url, secret_file)


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Build settings from SUARA_* variables, with the embedded default when unset."""
    env = dict(os.environ if env is None else env)
    where = locations_from_env(env)
    data_dir, database_url, secret_file = where.data_dir, where.database_url, where.secret_file
    secret_key = env.get("SUARA_SECRET_KEY", "")
    if not secret_key:
        if secret_file is None:
            # Web, worker and relay processes must share one key, or card tags will not match.
            raise ConfigError("SUARA_SECRET_KEY must be set when the database is not SQLite")
        secret_key = load_secret_key(secret_file)
    base_url = env.get("SUARA_BASE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=env.get("SUARA_REDIS_URL") or None,
        secret_key=secret_key,
        secret_file=secret_file,
        base_url=base_url,
        # Behind HTTPS the cookies are Secure whatever SUARA_SECURE_COOKIES says.
        secure_cookies=env.get("SUARA_SECURE_COOKIES", "0") == "1"
        or base_url.startswith("https://"),
        metrics_token=env.get("SUARA_METRICS_TOKEN", "").strip(),
        trusted_proxies=tuple(
            p.strip() for p in env.get("SUARA_TRUSTED_PROXIES", "").split(",") if p.strip()
        ),
        relay_interval_s=float(env.get("SUARA_RELAY_INTERVAL", "0.1")),
        sweep_after_s=float(env.get("SUARA_SWEEP_AFTER", "10")),
        broker_namespace=env.get("SUARA_BROKER_NAMESPACE", "suara"),
        checkpoint_every_s=float(env.get("SUARA_CHECKPOINT_EVERY", "60")),
        min_group=int(env.get("SUARA_MIN_GROUP", "5")),
        site_title=env.get("SUARA_SITE_TITLE", "").strip()[:60] or "Suara",
        inline_casts=env.get("SUARA_INLINE_CASTS", "1").strip() not in {"0", "false", "no"},
    )
