"""Shared fixtures: a migrated SQLite or PostgreSQL database per test, Redis, a fast hasher.

PostgreSQL and Redis come from SUARA_TEST_DATABASE_URL and SUARA_TEST_REDIS_URL. With CI=true
a missing or unreachable service fails the run; elsewhere a missing variable skips with a
reason, and an unreachable service still fails.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from governance.adapters.hashing import Argon2CodeHasher
from governance.bootstrap import Suara, bootstrap
from governance.config import Settings
from governance.migrations.runner import upgrade

FAST_HASHER = Argon2CodeHasher(time_cost=1, memory_cost=1024)


@pytest.fixture(scope="session", autouse=True)
def private_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The per-user data and config folders (Suara's defaults) are the run's own, never the
    real home's: a test that names no folder cannot read or leave a real secret key."""
    saved = {name: os.environ.get(name) for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    home = tmp_path_factory.mktemp("home")
    os.environ["XDG_DATA_HOME"] = str(home / "share")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _service_url(name: str) -> str:
    url = os.environ.get(name)
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not set: CI needs the real service", pytrace=False)
    pytest.skip(f"{name} is not set (set it to run tests against the real service)")


def _psycopg_url(url: str) -> str:
    return (
        "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith("postgresql://") else url
    )


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    url = _psycopg_url(_service_url("SUARA_TEST_DATABASE_URL"))
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        pytest.fail(
            f"PostgreSQL at SUARA_TEST_DATABASE_URL is unreachable: {error.orig}", pytrace=False
        )
    finally:
        engine.dispose()
    return url


def _admin(url: str, statement: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> Iterator[str]:
    """One migrated template database per run; each test copies it."""
    name = f"suara_tpl_{secrets.token_hex(4)}"
    _admin(pg_admin_url, f'CREATE DATABASE "{name}"')
    upgrade(sa.make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False))
    yield name
    _admin(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_admin_url: str, pg_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test."""
    name = f"suara_t_{secrets.token_hex(6)}"
    _admin(pg_admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    yield sa.make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    _admin(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = _service_url("SUARA_TEST_REDIS_URL")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis at SUARA_TEST_REDIS_URL is unreachable: {error}", pytrace=False)
    finally:
        client.close()
    return url


@pytest.fixture
def broker_namespace(redis_url: str) -> Iterator[str]:
    """A Dramatiq namespace of this test's own, removed afterwards."""
    namespace = f"suara-test-{secrets.token_hex(4)}"
    yield namespace
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{namespace}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'suara.sqlite3'}"
    upgrade(url)
    return url


def make_settings(tmp_path: Path, database_url: str, redis_url: str | None = None) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secrets.token_hex(32),
        relay_interval_s=0.05,
        sweep_after_s=2.0,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Suara]:
    """The application on each real backend, with a fast hasher."""
    if request.param == "sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        url = request.getfixturevalue("pg_url")
    suara = bootstrap(make_settings(tmp_path, url), hasher=FAST_HASHER)
    yield suara
    suara.dispose()


@pytest.fixture
def sqlite_app(tmp_path: Path, sqlite_url: str) -> Iterator[Suara]:
    suara = bootstrap(make_settings(tmp_path, sqlite_url), hasher=FAST_HASHER)
    yield suara
    suara.dispose()


def with_redis(app: Suara, redis_url: str, namespace: str) -> Suara:
    return replace(
        app, settings=replace(app.settings, redis_url=redis_url, broker_namespace=namespace)
    )
