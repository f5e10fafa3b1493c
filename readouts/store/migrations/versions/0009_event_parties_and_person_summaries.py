"""event_persons and event_organizations beside event_countries; per-person summaries

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

On a million events a person's or an organization's page aggregated 10^4-10^5 rows per request:
their events through every participant row, their positions, the names and delegations of their
mentions. These tables hold what those pages read, kept at write time:

- ``event_persons(event_id, person_id)``, ``event_organizations(event_id, organization_id)``: who takes
  part in each event, rebuilt with its sides by ``readouts.store.sides.refresh_event_countries``;
- ``person_positions``, ``organization_people``, ``person_aliases``, ``person_delegations``: per-person
  summaries rebuilt by ``readouts.store.summaries`` for the persons a write touches.

And ``ix_events_id_date``: a selection of events sorted by date from the index alone.

The back-fill below is those modules' statements frozen as SQL (a migration keeps its own copy, so a
later change there cannot change what this one did).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_BACKFILL = (
    """INSERT INTO event_persons (event_id, person_id)
       SELECT DISTINCT er.event_id, ep.person_id FROM event_participants ep
       JOIN event_reports er ON er.id = ep.event_report_id
       WHERE er.event_id IS NOT NULL AND ep.person_id IS NOT NULL""",
    """INSERT INTO event_organizations (event_id, organization_id)
       SELECT DISTINCT er.event_id, ep.organization_id FROM event_participants ep
       JOIN event_reports er ON er.id = ep.event_report_id
       WHERE er.event_id IS NOT NULL AND ep.organization_id IS NOT NULL""",
    """INSERT INTO person_positions (person_id, title, organization_id, first_seen, last_seen, n_documents)
       SELECT person_id, title, organization_id, min(date), max(date), count(DISTINCT document_id)
       FROM positions WHERE person_id IS NOT NULL GROUP BY person_id, title, organization_id""",
    """INSERT INTO organization_people (organization_id, person_id, n_documents)
       SELECT organization_id, person_id, count(DISTINCT document_id) FROM positions
       WHERE person_id IS NOT NULL AND organization_id IS NOT NULL GROUP BY organization_id, person_id""",
    """INSERT INTO person_aliases (person_id, name)
       SELECT DISTINCT person_id, name FROM person_mentions WHERE person_id IS NOT NULL""",
    """INSERT INTO person_delegations (person_id, delegation_id)
       SELECT DISTINCT pm.person_id, dm.delegation_id FROM delegation_members dm
       JOIN person_mentions pm ON pm.id = dm.person_mention_id WHERE pm.person_id IS NOT NULL""",
)


def _fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([f"{table[:-1]}_id"], [f"{table}.id"], ondelete="CASCADE")


def upgrade() -> None:
    op.create_table("event_persons",
                    sa.Column("event_id", sa.Integer(), nullable=False),
                    sa.Column("person_id", sa.Integer(), nullable=False),
                    _fk("events"), _fk("persons"), sa.PrimaryKeyConstraint("event_id", "person_id"))
    op.create_table("event_organizations",
                    sa.Column("event_id", sa.Integer(), nullable=False),
                    sa.Column("organization_id", sa.Integer(), nullable=False),
                    _fk("events"), _fk("organizations"), sa.PrimaryKeyConstraint("event_id", "organization_id"))
    op.create_table("person_positions",
                    sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("person_id", sa.Integer(), nullable=False),
                    sa.Column("title", sa.String(length=500), nullable=False),
                    sa.Column("organization_id", sa.Integer(), nullable=True),
                    sa.Column("first_seen", sa.Date(), nullable=True),
                    sa.Column("last_seen", sa.Date(), nullable=True),
                    sa.Column("n_documents", sa.Integer(), nullable=False),
                    _fk("persons"), sa.PrimaryKeyConstraint("id"))
    op.create_table("organization_people",
                    sa.Column("organization_id", sa.Integer(), nullable=False),
                    sa.Column("person_id", sa.Integer(), nullable=False),
                    sa.Column("n_documents", sa.Integer(), nullable=False),
                    _fk("organizations"), _fk("persons"), sa.PrimaryKeyConstraint("organization_id", "person_id"))
    op.create_table("person_aliases",
                    sa.Column("person_id", sa.Integer(), nullable=False),
                    sa.Column("name", sa.String(length=300), nullable=False),
                    _fk("persons"), sa.PrimaryKeyConstraint("person_id", "name"))
    op.create_table("person_delegations",
                    sa.Column("person_id", sa.Integer(), nullable=False),
                    sa.Column("delegation_id", sa.Integer(), nullable=False),
                    _fk("persons"), _fk("delegations"), sa.PrimaryKeyConstraint("person_id", "delegation_id"))
    for sql in _BACKFILL:
        op.execute(sql)
    # after the back-fill: one sorted build instead of an index kept up row by row
    op.create_index("ix_event_persons_person_event", "event_persons", ["person_id", "event_id"])
    op.create_index("ix_event_organizations_organization_event", "event_organizations",
                    ["organization_id", "event_id"])
    op.create_index("ix_person_positions_person_id", "person_positions", ["person_id"])
    # a selection of events sorted by date without reading their rows (readouts.query._small_selection_page)
    op.create_index("ix_events_id_date", "events", ["id", "date"])
    op.create_index("ix_organization_people_person", "organization_people", ["person_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table in ("event_persons", "event_organizations", "person_positions", "organization_people",
                      "person_aliases", "person_delegations"):
            op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    op.drop_index("ix_events_id_date", "events")
    for table in ("person_delegations", "person_aliases", "organization_people", "person_positions",
                  "event_organizations", "event_persons"):
        op.drop_table(table)
