"""Hand-written statements for the hot path, handed to the database driver as they are.

Building a SQLAlchemy statement and its cache key costs more than the database's own work for
a one-row read or insert; a ballot does several. These statements are written once, in the
shared subset of PostgreSQL and SQLite, with `:name` parameters turned into the driver's style.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.engine import Connection, CursorResult

_NAMED = re.compile(r"(?<!:):([a-z_][a-z0-9_]*)")


class DriverStatement:
    """One statement; `postgres_suffix` is appended on PostgreSQL only (e.g. a row lock)."""

    def __init__(self, sql: str, postgres_suffix: str = "") -> None:
        self._sql = " ".join(sql.split())
        self._suffix = postgres_suffix
        self._by_dialect: dict[str, str] = {}

    def text(self, dialect: str) -> str:
        found = self._by_dialect.get(dialect)
        if found is None:
            if dialect == "postgresql":
                # psycopg takes pyformat; a literal % must be doubled first.
                found = _NAMED.sub(r"%(\1)s", self._sql.replace("%", "%%"))
                found = f"{found} {self._suffix}".strip()
            else:  # sqlite3 takes :name as it is
                found = self._sql
            self._by_dialect[dialect] = found
        return found

    def run(
        self, conn: Connection, params: Mapping[str, Any] | Sequence[Mapping[str, Any]]
    ) -> CursorResult[Any]:
        sql = self.text(conn.dialect.name)
        if isinstance(params, Mapping):
            return conn.exec_driver_sql(sql, dict(params))
        return conn.exec_driver_sql(sql, [dict(p) for p in params])
