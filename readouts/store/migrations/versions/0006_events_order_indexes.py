"""Indexes in the order event lists are read: (date, id) and (date DESC NULLS LAST, id)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

A filtered event list is newest first (a timeline oldest first), undated last, then by id. With an
index in that order a page of a large selection (every event with a U.S. side: most of them) walks
the index and stops after its rows, instead of sorting the whole selection. The newest-first index is
PostgreSQL's only (SQLite has no NULLS LAST in an index).
"""
from __future__ import annotations

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_events_date_id ON events (date, id)")
    if op.get_bind().dialect.name == "postgresql":  # SQLite takes no NULLS LAST in an index
        op.execute("CREATE INDEX ix_events_newest ON events (date DESC NULLS LAST, id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_events_newest")
    op.execute("DROP INDEX IF EXISTS ix_events_date_id")
