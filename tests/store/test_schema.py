"""The shipped migrations build the same schema on SQLite and PostgreSQL, with search and views."""
from __future__ import annotations

import sqlalchemy as sa

from readouts.store import normalise_url, open_store
from readouts.store.schema import Base


def test_migrations_create_every_table_and_are_rerunnable(db_url):
    with open_store(db_url) as store:
        tables = set(sa.inspect(store.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        views = set(sa.inspect(store.engine).get_view_names())
        assert "position_timeline" in views
    with open_store(db_url) as store, store.session() as s:  # second open: already at head, nothing to do
        assert s.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0010"


def test_postgresql_reads_event_facets_from_an_index(db_url):
    """Migration 0010: the facet counts read type, status and topics from ix_events_facets, not the rows."""
    with open_store(db_url) as store, store.session() as s:
        if store.dialect == "postgresql":
            idx = s.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_events_facets'")).scalar()
            assert idx and idx.endswith("(id) INCLUDE (type, status, topics)")


def test_full_text_search_index_exists(db_url):
    with open_store(db_url) as store, store.session() as s:
        if store.dialect == "sqlite":
            s.execute(sa.text("INSERT INTO documents (hash, text, language, extractor_version, ingested_at,"
                              " updated_at) VALUES ('h', 'Ebrard met Blinken', 'en', 'x', CURRENT_TIMESTAMP,"
                              " CURRENT_TIMESTAMP)"))
            hits = s.execute(sa.text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'ebrard'")).all()
            assert len(hits) == 1
        else:
            idx = s.execute(sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_tsv'")).scalar()
            assert idx and "gin" in idx.lower() and "(tsv)" in idx
            generated = s.execute(sa.text("SELECT generation_expression FROM information_schema.columns "
                                          "WHERE table_name = 'documents' AND column_name = 'tsv'")).scalar()
            assert generated and "to_tsvector" in generated


def test_plain_postgresql_url_uses_psycopg():
    assert normalise_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_the_search_migration_builds_what_search_terms_reads():
    """Migration 0008 keeps its own copy of the tsvector expression; if readouts.search_terms changes how
    documents are indexed, a new migration must follow, and this test says so."""
    import importlib.util
    from pathlib import Path

    from readouts.search_terms import pg_tsvector

    path = Path(__file__).resolve().parents[2] / "readouts/store/migrations/versions/0008_search_in_each_language.py"
    spec = importlib.util.spec_from_file_location("m0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    assert module.NEW_TSV == pg_tsvector("language", "coalesce(title, '') || ' ' || text")
