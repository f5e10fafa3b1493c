"""Alembic environment: runs on the connection ``readouts.store.db`` hands over (no alembic.ini)."""
from __future__ import annotations

from alembic import context

from readouts.store.schema import Base

config = context.config
connection = config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
