"""Where a position's title is stated: the extractor's evidence spans, else a search of the text."""
from __future__ import annotations

import sqlalchemy as sa

from readouts.model import Position
from readouts.store import open_store
from readouts.store import schema as t
from readouts.store.write import store_record
from tests.store.conftest import make_record, spans_of


def _stored_spans(db_url, record) -> dict[str, list[list[int]]]:
    with open_store(db_url) as store:
        with store.session() as s:
            store_record(s, record, doc_hash="h")
        with store.session() as s:
            return dict(s.execute(sa.select(t.Position.title, t.Position.spans)).all())


def test_evidence_spans_are_stored_when_the_extractor_gives_them(db_url, corpus):
    doc = corpus["usstate-bc64a53eea9b"]
    record = make_record(doc, [("Antony J. Blinken", "USA")])
    everywhere = spans_of(doc["text"], "Secretary")
    assert len(everywhere) > 1  # a search would find several places
    stated = everywhere[0]
    record.persons[0].positions = [Position(title="Secretary", country="USA", evidence=[stated, (-1, 5)])]
    assert _stored_spans(db_url, record) == {"Secretary": [list(stated)]}  # the span outside the text dropped


def test_without_evidence_the_title_is_searched_in_the_text(db_url, corpus):
    doc = corpus["usstate-bc64a53eea9b"]
    record = make_record(doc, [("Antony J. Blinken", "USA", ["Secretary"])])
    spans = _stored_spans(db_url, record)["Secretary"]
    assert spans == [list(s) for s in spans_of(doc["text"], "Secretary")[:5]]
