"""PostgreSQL search reads each document in its own language, accents ignored

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

The stored ``tsv`` (migration 0004) was English for every document: Spanish words were not stemmed
("reuniones" did not find "reunión") and accents counted ("Lopez" did not find "López"). It is now
built with the ``spanish`` configuration for Spanish documents, ``english`` otherwise, over text with
its accents folded (``translate``, so no extension is needed). SQLite's FTS5 index already ignores
accents; its queries match stems (readouts/search_terms.py).
"""
from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

OLD_TSV = "to_tsvector('english', coalesce(title, '') || ' ' || text)"
# readouts.search_terms.pg_tsvector("language", "coalesce(title, '') || ' ' || text") when written; a migration
# keeps its own copy, so a later change there cannot change what this one did
NEW_TSV = (
    "(CASE language WHEN 'es' THEN to_tsvector('spanish'::regconfig, translate(coalesce(title, '') || ' '"
    " || text, 'ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕóòôöõÚÙÛÜúùûüÑñÇçÝýÿ', 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOO"
    "OoooooUUUUuuuuNnCcYyy')) ELSE to_tsvector('english'::regconfig, translate(coalesce(title, '') || ' '"
    " || text, 'ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕóòôöõÚÙÛÜúùûüÑñÇçÝýÿ', 'AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOO"
    "OoooooUUUUuuuuNnCcYyy')) END)"
)


def _replace(tsv: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_documents_tsv")
    op.execute("ALTER TABLE documents DROP COLUMN tsv")
    op.execute(f"ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({tsv}) STORED")
    op.execute("CREATE INDEX ix_documents_tsv ON documents USING GIN (tsv)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _replace(NEW_TSV)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _replace(OLD_TSV)
