"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29

Tables: see readouts/store/schema.py. Also the position_timeline view and full-text search:
FTS5 table + triggers on SQLite, a GIN tsvector index on PostgreSQL.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from readouts.store.schema import POSITION_TIMELINE_SQL

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=80), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('extractor_version', sa.String(length=40), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('hash')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_external_id'), ['external_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_type_date', ['type', 'date'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('acronym', sa.String(length=40), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_name_key'), ['name_key'], unique=False)

    op.create_table('person_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('refs', sa.JSON(), nullable=False),
    sa.Column('other_refs', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['merged_into_id'], ['persons.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_name_key'), ['name_key'], unique=False)

    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('local_id', sa.String(length=40), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('spans', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'local_id')
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegations_document_id'), ['document_id'], unique=False)

    op.create_table('event_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('local_id', sa.String(length=40), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('plover', sa.JSON(), nullable=True),
    sa.Column('spans', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'local_id')
    )
    with op.batch_alter_table('event_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_reports_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_reports_event_id'), ['event_id'], unique=False)

    op.create_table('extraction_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('extractor_version', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('extraction_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extraction_runs_document_id'), ['document_id'], unique=False)

    op.create_table('org_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('local_id', sa.String(length=40), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('acronym', sa.String(length=40), nullable=True),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('spans', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'local_id')
    )
    with op.batch_alter_table('org_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_mentions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_mentions_organization_id'), ['organization_id'], unique=False)

    op.create_table('person_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('local_id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('spans', sa.JSON(), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=True),
    sa.Column('match_key', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'local_id')
    )
    with op.batch_alter_table('person_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_mentions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_mentions_match_key'), ['match_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_mentions_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_mentions_person_id'), ['person_id'], unique=False)

    op.create_table('resolution_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('mention_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resolution_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resolution_log_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resolution_log_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index('ix_resolution_log_kind_entity', ['kind', 'entity_id'], unique=False)

    op.create_table('delegation_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('person_mention_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_mention_id'], ['person_mentions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('delegation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegation_members_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegation_members_person_mention_id'), ['person_mention_id'], unique=False)

    op.create_table('event_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_report_id'], ['event_reports.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_participants_event_report_id'), ['event_report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_participants_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_participants_person_id'), ['person_id'], unique=False)

    op.create_table('organization_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_mention_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['org_mention_id'], ['org_mentions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('organization_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_keys_key'), ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_keys_org_mention_id'), ['org_mention_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organization_keys_organization_id'), ['organization_id'], unique=False)

    op.create_table('positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('person_mention_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('org_mention_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('spans', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['org_mention_id'], ['org_mentions.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_mention_id'], ['person_mentions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_positions_person_mention_id'), ['person_mention_id'], unique=False)

    _create_search_and_views()



def downgrade() -> None:
    _drop_search_and_views()
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positions_person_mention_id'))
        batch_op.drop_index(batch_op.f('ix_positions_person_id'))
        batch_op.drop_index(batch_op.f('ix_positions_organization_id'))
        batch_op.drop_index(batch_op.f('ix_positions_document_id'))

    op.drop_table('positions')
    with op.batch_alter_table('organization_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_keys_organization_id'))
        batch_op.drop_index(batch_op.f('ix_organization_keys_org_mention_id'))
        batch_op.drop_index(batch_op.f('ix_organization_keys_key'))

    op.drop_table('organization_keys')
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_participants_person_id'))
        batch_op.drop_index(batch_op.f('ix_event_participants_organization_id'))
        batch_op.drop_index(batch_op.f('ix_event_participants_event_report_id'))

    op.drop_table('event_participants')
    with op.batch_alter_table('delegation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegation_members_person_mention_id'))
        batch_op.drop_index(batch_op.f('ix_delegation_members_delegation_id'))

    op.drop_table('delegation_members')
    with op.batch_alter_table('resolution_log', schema=None) as batch_op:
        batch_op.drop_index('ix_resolution_log_kind_entity')
        batch_op.drop_index(batch_op.f('ix_resolution_log_entity_id'))
        batch_op.drop_index(batch_op.f('ix_resolution_log_document_id'))

    op.drop_table('resolution_log')
    with op.batch_alter_table('person_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_mentions_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_mentions_name_key'))
        batch_op.drop_index(batch_op.f('ix_person_mentions_match_key'))
        batch_op.drop_index(batch_op.f('ix_person_mentions_document_id'))

    op.drop_table('person_mentions')
    with op.batch_alter_table('org_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_mentions_organization_id'))
        batch_op.drop_index(batch_op.f('ix_org_mentions_document_id'))

    op.drop_table('org_mentions')
    with op.batch_alter_table('extraction_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extraction_runs_document_id'))

    op.drop_table('extraction_runs')
    with op.batch_alter_table('event_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_reports_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_reports_document_id'))

    op.drop_table('event_reports')
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegations_document_id'))

    op.drop_table('delegations')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_name_key'))

    op.drop_table('persons')
    op.drop_table('person_overrides')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_name_key'))

    op.drop_table('organizations')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_type_date')

    op.drop_table('events')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_external_id'))
        batch_op.drop_index(batch_op.f('ix_documents_date'))

    op.drop_table('documents')


_SQLITE_FTS = [
    ("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"),
    ("CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"),
    ("CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END"),
    ("CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"),
]
_PG_TSV = ("CREATE INDEX ix_documents_tsv ON documents USING GIN "
           "(to_tsvector('english', coalesce(title, '') || ' ' || text))")


def _create_search_and_views() -> None:
    op.execute(POSITION_TIMELINE_SQL)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for stmt in _SQLITE_FTS:
            op.execute(stmt)
    elif dialect == "postgresql":
        op.execute(_PG_TSV)


def _drop_search_and_views() -> None:
    op.execute("DROP VIEW IF EXISTS position_timeline")
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("documents_fts_ai", "documents_fts_ad", "documents_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_tsv")
