"""One call reported in English and in Spanish: one event with two sources, and the same two persons.

The English release is the State Department's readout (usstate-18e3c0c2a0a6); the Spanish one is a
communiqué of the same call (tests/fixtures/es, composed: see its README)."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from readouts.store import schema as t
from tests.conftest import DEV
from tests.store.conftest import ingest_documents

SPANISH = Path(__file__).resolve().parents[1] / "fixtures" / "es" / "sre-call-ebrard-blinken-2022-03-02.txt"


def test_the_english_and_spanish_releases_of_one_call_are_one_event(db_url, corpus, tmp_path):
    english = corpus["usstate-18e3c0c2a0a6"]
    text = SPANISH.read_text(encoding="utf-8")
    spanish = {"id": "sre-ebrard-blinken", "title": text.splitlines()[0], "date": "2022-03-02",
               "url": "https://www.gob.mx/sre/prensa/llamada-ebrard-blinken", "text": text}
    with ingest_documents(db_url, [english, spanish], tmp_path) as store, store.session() as s:
        languages = dict(s.execute(sa.select(t.Document.external_id, t.Document.language)).all())
        assert languages == {"usstate-18e3c0c2a0a6": "en", "sre-ebrard-blinken": "es"}
        calls = set(s.scalars(sa.select(t.EventReport.event_id).where(t.EventReport.type == "call")))
        assert len(calls) == 1, calls
        sources = s.scalar(sa.select(sa.func.count(sa.distinct(t.EventReport.document_id)))
                           .where(t.EventReport.event_id == next(iter(calls))))
        assert sources == 2
        for surname in ("Blinken", "Ebrard"):
            people = set(s.scalars(sa.select(t.PersonMention.person_id)
                                   .where(t.PersonMention.name.like(f"%{surname}%"))))
            assert len(people) == 1, (surname, people)


def test_one_ministry_named_in_english_and_in_spanish_is_one_body(db_url, tmp_path):
    """The seed release (English) says "the SRE’s head of the North America Unit"; the Spanish communiqué
    names "la Secretaría de Relaciones Exteriores". Both are Mexico's foreign ministry."""
    seed = (DEV / "seed-000.txt").read_text(encoding="utf-8")
    assert "SRE’s" in seed
    text = SPANISH.read_text(encoding="utf-8")
    docs = [{"id": "seed-000", "text": seed},
            {"id": "sre-ebrard-blinken", "date": "2022-03-02", "text": text, "language": "es"}]
    with ingest_documents(db_url, docs, tmp_path) as store, store.session() as s:
        bodies = s.execute(sa.select(t.OrgMention.organization_id, t.Document.external_id)
                           .join(t.Document, t.Document.id == t.OrgMention.document_id)
                           .where(t.OrgMention.acronym == "SRE")).all()
        assert {doc for _, doc in bodies} == {"seed-000", "sre-ebrard-blinken"}
        assert len({org for org, _ in bodies}) == 1
