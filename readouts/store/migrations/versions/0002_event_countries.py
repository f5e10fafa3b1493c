"""event_countries, and the indexes the query layer leans on

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

- ``event_countries(event_id, country)``: each canonical event's sides, indexed by country, so that
  country filters and two-country timelines are index lookups; backfilled here from the
  participants already stored (the same rule as ``readouts.store.sides``, frozen as SQL).
- ``ix_events_date``, ``ix_event_participants_kind_ref``, ``ix_positions_person_date``: were made by
  ``readouts.query.ensure_indexes()`` (as ``ix_q_*``) when the web app started; now part of the schema.
  ``delegations(document_id, local_id)`` needs none: its unique constraint is that index on both backends.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_OLD_QUERY_INDEXES = ("ix_q_events_date", "ix_q_event_participants_kind_ref", "ix_q_positions_person_date")

_BACKFILL = """
INSERT INTO event_countries (event_id, country)
SELECT DISTINCT event_id, country FROM (
    SELECT er.event_id, coalesce(p.country, pm.country) AS country
    FROM event_participants ep JOIN event_reports er ON er.id = ep.event_report_id
    LEFT JOIN person_mentions pm ON pm.document_id = er.document_id AND pm.local_id = ep.ref
    LEFT JOIN persons p ON p.id = ep.person_id
    WHERE ep.kind = 'person'
    UNION
    SELECT er.event_id, coalesce(o.country, om.country)
    FROM event_participants ep JOIN event_reports er ON er.id = ep.event_report_id
    LEFT JOIN org_mentions om ON om.document_id = er.document_id AND om.local_id = ep.ref
    LEFT JOIN organizations o ON o.id = ep.organization_id
    WHERE ep.kind = 'organization'
    UNION
    SELECT er.event_id, d.country
    FROM event_participants ep JOIN event_reports er ON er.id = ep.event_report_id
    JOIN delegations d ON d.document_id = er.document_id AND d.local_id = ep.ref
    WHERE ep.kind = 'delegation'
    UNION
    SELECT er.event_id, ep.ref
    FROM event_participants ep JOIN event_reports er ON er.id = ep.event_report_id
    WHERE ep.kind = 'country'
) sides
WHERE event_id IS NOT NULL AND country IS NOT NULL
"""


def upgrade() -> None:
    op.create_table('event_countries',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'country')
    )
    op.create_index('ix_event_countries_country_event', 'event_countries', ['country', 'event_id'], unique=False)
    for name in _OLD_QUERY_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.create_index('ix_events_date', 'events', ['date'], unique=False)
    op.create_index('ix_event_participants_kind_ref', 'event_participants', ['kind', 'ref'], unique=False)
    op.create_index('ix_positions_person_date', 'positions', ['person_id', 'date'], unique=False)
    op.execute(_BACKFILL)


def downgrade() -> None:
    op.drop_index('ix_positions_person_date', table_name='positions')
    op.drop_index('ix_event_participants_kind_ref', table_name='event_participants')
    op.drop_index('ix_events_date', table_name='events')
    op.drop_index('ix_event_countries_country_event', table_name='event_countries')
    op.drop_table('event_countries')
