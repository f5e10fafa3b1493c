"""Corpus documents by id, and records built from their real sentences."""
from __future__ import annotations

import gzip
import json

import pytest

from readouts.model import Delegation, Document, Event, Participants, Person, Position, Record


@pytest.fixture(scope="session")
def corpus(corpus_dir) -> dict[str, dict]:
    docs: dict[str, dict] = {}
    for f in sorted(corpus_dir.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                docs[d["id"]] = d
    return docs


def ingest_documents(db_url: str, docs: list[dict], tmp_path):
    """A store at ``db_url`` holding ``docs`` (corpus lines), ingested through the real pipeline; the caller
    closes it (``with``)."""
    from readouts.store import open_store
    from readouts.store.pipeline import ingest

    src = tmp_path / "docs.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")
    store = open_store(db_url)
    report = ingest(store, [src])
    assert (report.stored, report.failed) == (len(docs), [])
    return store


def spans_of(text: str, phrase: str) -> list[tuple[int, int]]:
    out, start = [], text.find(phrase)
    while start >= 0:
        out.append((start, start + len(phrase)))
        start = text.find(phrase, start + 1)
    return out


def make_record(doc: dict, persons: list[tuple], events: list[dict] = (), date: str | None = None) -> Record:
    """A record of a real corpus document: persons are (name, country, [titles]); every name and
    evidence phrase must occur in the text (that is asserted, so the spans are real)."""
    text = doc["text"]
    plist = []
    for i, (name, country, *titles) in enumerate(persons, start=1):
        found = spans_of(text, name.split()[-1])
        assert found, f"{name!r} not in {doc['id']}"
        plist.append(Person(id=f"p{i}", name=name, country=country, mentions=found,
                            positions=[Position(title=t, country=country) for t in (titles[0] if titles else [])]))
    by_name = {p.name: p.id for p in plist}
    elist = []
    for j, e in enumerate(events, start=1):
        evidence = spans_of(text, e["evidence"])
        assert evidence, f"{e['evidence']!r} not in {doc['id']}"
        elist.append(Event(id=f"e{j}", type=e["type"], date=e.get("date", date or doc["date"]),
                           participants=Participants(persons=[by_name[n] for n in e["persons"]],
                                                     countries=e.get("countries", [])),
                           evidence=evidence[:1]))
    return Record(document=Document(id=doc["id"], title=doc["title"], date=date or doc["date"], text=text,
                                    source=doc["url"]),
                  persons=plist, events=elist, extractor_version="test")


__all__ = ["Delegation", "make_record", "spans_of"]
