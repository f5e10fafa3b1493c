"""CSV and Parquet exports: DuckDB reads both folders, the tables join, and they hold the store's rows."""
from __future__ import annotations

import json

import pytest

from tests.export.conftest import db_rows

duckdb = pytest.importorskip("duckdb")

TABLES = ("documents", "persons", "organizations", "positions", "events", "event_sources", "participants",
          "delegations", "delegation_members")


@pytest.fixture(scope="module", params=["csv", "parquet"])
def db(request, exported):
    folder = exported(request.param)
    con = duckdb.connect()
    for t in TABLES:
        path = folder / f"{t}.{request.param}"
        reader = f"read_csv('{path}', header=true)" if request.param == "csv" else f"read_parquet('{path}')"
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM {reader}")
    return con


def _q(con, sql):
    return con.execute(sql).fetchall()


def test_row_counts_match_the_store(db, store):
    expected = {
        "documents": "SELECT count(*) FROM documents",
        "persons": "SELECT count(*) FROM persons WHERE merged_into_id IS NULL",
        "organizations": "SELECT count(*) FROM organizations",
        "positions": "SELECT count(*) FROM positions WHERE person_id IS NOT NULL",
        "events": "SELECT count(*) FROM events",
        "event_sources": "SELECT count(*) FROM event_reports WHERE event_id IS NOT NULL",
        "participants": "SELECT count(*) FROM event_participants ep JOIN event_reports er "
                        "ON er.id = ep.event_report_id WHERE er.event_id IS NOT NULL",
        "delegations": "SELECT count(*) FROM delegations",
        "delegation_members": "SELECT count(*) FROM delegation_members",
    }
    for table, sql in expected.items():
        assert _q(db, f"SELECT count(*) FROM {table}") == db_rows(store, sql), table


def test_events_participants_persons_join(db):
    pairs = _q(db, """
        SELECT DISTINCT a.name, b.name, e.date
        FROM events e
        JOIN participants pa ON pa.event_id = e.id JOIN persons a ON a.id = pa.person_id
        JOIN participants pb ON pb.event_id = e.id JOIN persons b ON b.id = pb.person_id
        WHERE a.name = 'Antony J. Blinken' AND b.name = 'Marcelo Ebrard Casaubon'""")
    assert any(str(d) == "2021-07-14" for _, _, d in pairs), pairs


def test_every_foreign_key_resolves(db):
    checks = [("participants", "person_id", "persons"), ("participants", "organization_id", "organizations"),
              ("participants", "event_id", "events"), ("participants", "document_id", "documents"),
              ("participants", "delegation_id", "delegations"), ("positions", "person_id", "persons"),
              ("positions", "organization_id", "organizations"), ("positions", "document_id", "documents"),
              ("event_sources", "event_id", "events"), ("event_sources", "document_id", "documents"),
              ("delegation_members", "delegation_id", "delegations")]
    for table, column, target in checks:
        missing = _q(db, f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL "
                         f"AND {column} NOT IN (SELECT id FROM {target})")
        assert missing == [(0,)], (table, column)


def test_evidence_offsets_slice_the_document_text(db):
    rows = _q(db, """SELECT substr(d.text, s.evidence_start + 1, s.evidence_end - s.evidence_start), s.evidence_text
                     FROM event_sources s JOIN documents d ON d.id = s.document_id
                     WHERE s.evidence_start IS NOT NULL""")
    assert rows
    for sliced, evidence in rows:
        assert evidence.split(" ")[0] in sliced and sliced.startswith(evidence[:20])


def test_parquet_types(exported):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = exported("parquet")
    events = pq.read_table(folder / "events.parquet")
    assert str(events.schema.field("date").type) == "date32[day]"
    topics = events.schema.field("topics").type
    assert pa.types.is_list(topics) and pa.types.is_string(topics.value_type)


def test_csv_datapackage_describes_every_table(exported):
    package = json.loads((exported("csv") / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    persons = next(r for r in package["resources"] if r["name"] == "persons")
    assert persons["schema"]["primaryKey"] == "id"
