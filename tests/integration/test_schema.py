from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from governance.adapters.tables import metadata
from governance.bootstrap import Suara


def test_migrations_build_exactly_the_declared_schema(app: Suara) -> None:
    with app.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_the_ballots_table_holds_nothing_that_points_to_a_delegate_or_a_time(app: Suara) -> None:
    inspector = sa.inspect(app.engine)
    columns = {c["name"]: c for c in inspector.get_columns("ballots")}
    assert set(columns) == {"id", "poll_id", "choices", "receipt", "nullifier"}
    for column in columns.values():
        assert not isinstance(column["type"], sa.DateTime | sa.Date | sa.Time)
        assert column.get("autoincrement") is not True
    foreign = {fk["referred_table"] for fk in inspector.get_foreign_keys("ballots")}
    assert foreign == {"polls"}
    primary = inspector.get_pk_constraint("ballots")["constrained_columns"]
    assert primary == ["id"]
    assert isinstance(columns["id"]["type"], sa.String)
