"""PostgreSQL: a GIN index on events.topics (as jsonb), for the topic filter

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

The topic filter read every event's topics as text (``LIKE '%"climate"%'``): a scan of the whole
table, about a second on a million events. On PostgreSQL it now asks ``topics::jsonb @> '["climate"]'``,
which this index answers. SQLite keeps the text match.
"""
from __future__ import annotations

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_events_topics ON events USING GIN ((topics::jsonb) jsonb_path_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_events_topics")
