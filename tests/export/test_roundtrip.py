"""Property: whatever records are stored, the CSV export read back holds exactly the store's rows."""
from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readouts.model import Document, Event, Organization, Participants, Person, Plover, Position, Record

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00") | st.sampled_from(
    [",", '"', "\n", ";", "'", "é", "—"]), min_size=1, max_size=30)
COUNTRY = st.none() | st.sampled_from(["USA", "MEX", "CAN", "JPN"])
DATE = st.none() | st.dates().map(lambda d: d.isoformat())


@st.composite
def records(draw) -> Record:
    n_persons = draw(st.integers(1, 3))
    persons = [Person(id=f"p{i}", name=draw(TEXT), country=draw(COUNTRY),
                      positions=[Position(title=draw(TEXT), organization=draw(st.sampled_from([None, "o1"])),
                                          country=draw(COUNTRY))]) for i in range(1, n_persons + 1)]
    org = Organization(id="o1", name=draw(TEXT), acronym=draw(st.none() | TEXT), country=draw(COUNTRY),
                       kind=draw(st.sampled_from(["ministry", "agency", "international", "other"])))
    event = Event(id="e1", type=draw(st.sampled_from(["call", "meeting", "visit", "signing"])), date=draw(DATE),
                  location=draw(st.none() | TEXT), topics=draw(st.lists(TEXT, max_size=3, unique=True)),
                  participants=Participants(persons=[p.id for p in persons], organizations=["o1"],
                                            countries=draw(st.lists(st.sampled_from(["FRA", "DEU"]), unique=True))),
                  plover=Plover(event="CONSULT", mode=draw(st.none() | st.just("phone"))))
    text = draw(TEXT) + " " + " ".join(p.name for p in persons)
    return Record(document=Document(id=draw(TEXT), title=draw(st.none() | TEXT), date=draw(DATE), text=text,
                                    source=draw(st.none() | st.just("https://example.org/a?b=1,2"))),
                  persons=persons, organizations=[org], events=[event], extractor_version="test")


def _read(folder: Path, table: str) -> list[dict]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(fh)]


def _store_rows(store, sql: str) -> list[tuple]:
    with store.session() as s:
        return [tuple(r) for r in s.execute(sa.text(sql))]


def _as(row: dict, columns: list[str], ints=(), lists=()) -> tuple:
    out = []
    for c in columns:
        v = row[c]
        out.append(int(v) if c in ints and v is not None else json.loads(v) if c in lists and v else
                   ([] if c in lists else v))
    return tuple(out)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=3))
def test_csv_export_reads_back_as_the_stores_rows(recs):
    from readouts.export import export
    from readouts.model import document_id
    from readouts.store import open_store
    from readouts.store.write import store_record

    with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{tmp}/r.db") as store:
        seen = set()
        for rec in recs:
            h = document_id(rec.document.text)
            if h in seen:
                continue
            seen.add(h)
            with store.session() as s:
                store_record(s, rec, doc_hash=h)
        export(store, format="csv", out=Path(tmp) / "csv")
        folder = Path(tmp) / "csv"

        docs = [_as(r, ["id", "hash", "external_id", "title", "date", "source", "text"], ints=["id"])
                for r in _read(folder, "documents")]
        assert docs == _store_rows(store, "SELECT id, hash, external_id, title, date, source, text "
                                          "FROM documents ORDER BY id")
        persons = [_as(r, ["id", "name", "country"], ints=["id"]) for r in _read(folder, "persons")]
        assert persons == _store_rows(store, "SELECT id, name, country FROM persons "
                                             "WHERE merged_into_id IS NULL ORDER BY id")
        orgs = [_as(r, ["id", "name", "acronym", "country", "kind"], ints=["id"])
                for r in _read(folder, "organizations")]
        assert orgs == _store_rows(store, "SELECT id, name, acronym, country, kind FROM organizations ORDER BY id")
        cols = ["id", "person_id", "document_id", "title", "organization_id", "country", "date"]
        positions = sorted(_as(r, cols, ints=["id", "person_id", "document_id", "organization_id"])
                           for r in _read(folder, "positions"))
        assert positions == _store_rows(store, f"SELECT {', '.join(cols)} FROM positions ORDER BY id")
        events = [_as(r, ["id", "type", "status", "date", "location", "topics"], ints=["id"], lists=["topics"])
                  for r in _read(folder, "events")]
        assert events == [(*r[:5], json.loads(r[5])) for r in _store_rows(
            store, "SELECT id, type, status, date, location, topics FROM events ORDER BY id")]
        cols = ["id", "kind", "ref", "person_id", "organization_id"]
        parts = sorted(_as(r, cols, ints=["id", "person_id", "organization_id"])
                       for r in _read(folder, "participants"))
        assert parts == _store_rows(store, f"SELECT {', '.join(cols)} FROM event_participants ORDER BY id")
