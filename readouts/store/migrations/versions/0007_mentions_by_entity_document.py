"""Indexes (person_id, document_id) on person_mentions and (organization_id, document_id) on org_mentions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

A person's or an organization's page counts the documents naming it: with these the count reads the
index alone (an official named in 100,000 documents: ~15 ms instead of a heap fetch per mention).
"""
from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_person_mentions_person_document ON person_mentions "
               "(person_id, document_id)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_org_mentions_organization_document ON org_mentions "
               "(organization_id, document_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_org_mentions_organization_document")
    op.execute("DROP INDEX IF EXISTS ix_person_mentions_person_document")
