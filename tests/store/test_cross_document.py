"""Cross-document resolution through the real ingest (spaCy and all), on real corpus documents.

- usstate-69e7cfe7d1de names the President only as "President Biden";
- uswh-bf283a485ecc names him in full, "President Joseph R. Biden, Jr.";
- usstate-a5380a4c0f6c names "First Lady Jill Biden": a namesake;
- usstate-93f8981ef4f5 names "Secretary Austin" only; usstate-bffd89ef7d2d "Lloyd J. Austin III".
"""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from readouts.store import open_store
from readouts.store import schema as t
from readouts.store.overrides import merge, split
from readouts.store.pipeline import ingest
from readouts.store.resolve import resolve

SURNAME_ONLY = ["usstate-69e7cfe7d1de", "usstate-93f8981ef4f5"]
FULL_NAMES = ["uswh-bf283a485ecc", "usstate-a5380a4c0f6c", "usstate-bffd89ef7d2d"]
MEETING = ["usstate-44762061f7c4", "usstate-1d8ed8adc534"]  # readout + "Before Their Meeting" transcript


def _write(tmp_path, corpus, ids, name):
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(corpus[i]) + "\n" for i in ids), encoding="utf-8")
    return path


def _partition(store) -> set[frozenset[tuple[str, str]]]:
    """The persons as sets of (document, mention name): what must not depend on ingest order."""
    with store.session() as s:
        rows = s.execute(sa.select(t.PersonMention.person_id, t.Document.external_id, t.PersonMention.name)
                         .join(t.Document, t.Document.id == t.PersonMention.document_id)).all()
    groups: dict[int, set] = {}
    for pid, doc, name in rows:
        groups.setdefault(pid, set()).add((doc, name))
    return {frozenset(g) for g in groups.values()}


def _person(store, doc: str, name: str) -> int:
    with store.session() as s:
        return s.execute(sa.select(t.PersonMention.person_id).join(t.Document)
                         .where(t.Document.external_id == doc, t.PersonMention.name == name)).scalar_one()


@pytest.fixture()
def biden_store(db_url, corpus, tmp_path):
    """Surname-only documents stored first, in a run of their own; full names in a later run."""
    store = open_store(db_url)
    ingest(store, [_write(tmp_path, corpus, SURNAME_ONLY, "first")])
    assert _person(store, SURNAME_ONLY[0], "Biden") != _person(store, SURNAME_ONLY[1], "Austin")
    ingest(store, [_write(tmp_path, corpus, FULL_NAMES, "later")])
    yield store
    store.close()


def test_a_surname_stored_first_joins_the_full_name_that_comes_later(biden_store):
    biden = _person(biden_store, SURNAME_ONLY[0], "Biden")
    assert biden == _person(biden_store, FULL_NAMES[0], "Joseph R. Biden, Jr.")
    assert _person(biden_store, SURNAME_ONLY[1], "Austin") == _person(biden_store, FULL_NAMES[2],
                                                                       "Lloyd J. Austin III")
    with biden_store.session() as s:
        reasons = s.execute(sa.select(t.ResolutionLog.reason).where(
            t.ResolutionLog.kind == "person", t.ResolutionLog.entity_id == biden)).scalars().all()
    assert any("surname 'biden'" in r and "title" in r for r in reasons), reasons


def test_a_namesake_stays_apart(biden_store):
    jill = _person(biden_store, FULL_NAMES[1], "Jill Biden")
    assert jill != _person(biden_store, FULL_NAMES[0], "Joseph R. Biden, Jr.")
    assert jill != _person(biden_store, SURNAME_ONLY[0], "Biden")


def test_ingest_order_does_not_change_the_entities(biden_store, db_url, corpus, tmp_path):
    other_url = db_url.replace("readouts.db", "reversed.db") if db_url.startswith("sqlite") else None
    if other_url is None:  # PostgreSQL: a second database on the same server
        import psycopg
        base, _, name = db_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}_rev")
        other_url = f"{base}/{name}_rev"
    with open_store(other_url) as reversed_store:
        ingest(reversed_store, [_write(tmp_path, corpus, list(reversed(SURNAME_ONLY + FULL_NAMES)), "all")])
        assert _partition(reversed_store) == _partition(biden_store)


def test_a_merge_and_a_split_survive_resolve(biden_store):
    joseph = _person(biden_store, FULL_NAMES[0], "Joseph R. Biden, Jr.")
    jill = _person(biden_store, FULL_NAMES[1], "Jill Biden")
    with biden_store.session() as s:
        split(s, joseph, documents=[SURNAME_ONLY[0]], note="test: that 'Biden' is kept apart")
        merge(s, _person(biden_store, SURNAME_ONLY[1], "Austin"), jill, note="test: a deliberate merge")
    for everything in (True, False):
        with biden_store.session() as s:
            resolve(s, everything=everything)
        assert _person(biden_store, SURNAME_ONLY[0], "Biden") != _person(biden_store, FULL_NAMES[0],
                                                                          "Joseph R. Biden, Jr.")
        assert _person(biden_store, FULL_NAMES[1], "Jill Biden") == _person(biden_store, SURNAME_ONLY[1], "Austin")


def test_a_remarks_transcript_and_the_readout_of_its_meeting_are_one_event(db_url, corpus, tmp_path):
    with open_store(db_url) as store:
        ingest(store, [_write(tmp_path, corpus, MEETING, "meeting")])
        with store.session() as s:
            rows = s.execute(sa.select(t.Document.external_id, t.EventReport.event_id, t.EventReport.status,
                                       t.EventReport.type)
                             .join(t.Document, t.Document.id == t.EventReport.document_id)).all()
    happened = {doc: {e for d, e, status, kind in rows if d == doc and status == "happened" and kind == "meeting"}
                for doc in MEETING}
    assert happened[MEETING[0]] & happened[MEETING[1]], rows
