"""documents.resolved_at: when cross-document resolution last took the document's facts in

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

``readouts.store.resolve`` re-resolves persons and events around the documents whose
``resolved_at`` is NULL (new, re-extracted, or stored by a run that was killed before its
resolution step), so an interrupted ingest is finished by the next one. Stores made before
this revision start with every document pending: their first ingest or ``readouts resolve``
re-resolves them all.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both backends: a batch (copy-and-rename) rebuild of ``documents`` on SQLite
# would drop the old table, and with foreign keys on that deletes every fact through ON DELETE CASCADE.
def upgrade() -> None:
    op.add_column("documents", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_documents_resolved_at", "documents", ["resolved_at"])


def downgrade() -> None:
    op.drop_index("ix_documents_resolved_at", table_name="documents")
    op.execute("ALTER TABLE documents DROP COLUMN resolved_at")  # SQLite >= 3.35 and PostgreSQL
