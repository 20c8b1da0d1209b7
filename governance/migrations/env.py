"""Alembic environment: the project's metadata, one connection handed in or made from the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from governance.adapters.tables import metadata

config = context.config


def run_migrations_offline() -> None:
    context.configure(
        url=config.attributes["url"],
        target_metadata=metadata,
        render_as_batch=True,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.attributes["url"])
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
