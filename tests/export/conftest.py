"""A store for the export tests, built once per session from real documents.

The dev set (texts with the metadata of their gold files: title, date, URL) and a few dozen
corpus releases about Mexico go through the real ``ingest`` (spaCy extraction, resolution).
One more document is written through the store's write API from a hand-made ``Record``, so
that a dated Blinken–Ebrard call with a delegation, organizations and positions is there
whatever the event extractor (being reworked) finds in the real texts.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from readouts.model import (
    Delegation,
    Document,
    Event,
    Organization,
    Participants,
    Person,
    Plover,
    Position,
    Record,
)

N_CORPUS = 30
KNOWN_URL = "https://www.state.gov/secretary-blinkens-call-with-mexican-foreign-secretary-ebrard-test/"
KNOWN_TEXT = (
    "Secretary Blinken's Call with Mexican Foreign Secretary Ebrard\n\n"
    "Secretary of State Antony J. Blinken spoke today with Mexican Foreign Secretary Marcelo Ebrard Casaubon "
    "about migration and security cooperation. "
    "The Mexican delegation, led by Foreign Secretary Marcelo Ebrard Casaubon and including Undersecretary "
    "Roberto Velasco Álvarez of the Secretaría de Relaciones Exteriores, will visit Washington next month. "
    "Secretary Blinken thanked the U.S. Department of State team."
)


def _spans(text: str, phrase: str) -> list[tuple[int, int]]:
    out, start = [], text.find(phrase)
    while start >= 0:
        out.append((start, start + len(phrase)))
        start = text.find(phrase, start + 1)
    assert out, phrase
    return out


def known_record() -> Record:
    t = KNOWN_TEXT
    call = t.index("Secretary of State Antony")
    call_end = t.index("cooperation.") + len("cooperation.")
    visit = t.index("The Mexican delegation")
    visit_end = t.index("next month.") + len("next month.")
    return Record(
        document=Document(id="test-known-call", title="Secretary Blinken's Call with Mexican Foreign Secretary Ebrard",
                          date="2021-07-14", source=KNOWN_URL, text=t),
        persons=[
            Person(id="p1", name="Antony J. Blinken", aliases=["Blinken"], country="USA",
                   positions=[Position(title="Secretary of State", organization="o1", country="USA")],
                   mentions=_spans(t, "Blinken")),
            Person(id="p2", name="Marcelo Ebrard Casaubon", country="MEX",
                   positions=[Position(title="Foreign Secretary", organization="o2", country="MEX")],
                   mentions=_spans(t, "Marcelo Ebrard Casaubon")),
            Person(id="p3", name="Roberto Velasco Álvarez", country="MEX",
                   positions=[Position(title="Undersecretary", organization="o2", country="MEX")],
                   mentions=_spans(t, "Roberto Velasco Álvarez")),
        ],
        organizations=[
            Organization(id="o1", name="U.S. Department of State", country="USA", kind="ministry",
                         mentions=_spans(t, "U.S. Department of State")),
            Organization(id="o2", name="Secretaría de Relaciones Exteriores", acronym="SRE", country="MEX",
                         kind="ministry", mentions=_spans(t, "Secretaría de Relaciones Exteriores")),
        ],
        delegations=[Delegation(id="d1", country="MEX", members=["p2", "p3"], evidence=[(visit, visit_end)])],
        events=[
            Event(id="e1", type="call", date="2021-07-14", participants=Participants(persons=["p1", "p2"]),
                  topics=["migration", "security"], plover=Plover(event="CONSULT", mode="phone"),
                  evidence=[(call, call_end)]),
            Event(id="e2", type="visit", status="planned", location="Washington, DC", date="2021-08-14",
                  participants=Participants(delegations=["d1"], countries=["USA"]), topics=["migration"],
                  plover=Plover(event="AGREE"), evidence=[(visit, visit_end)]),
        ],
        extractor_version="test",
    )


def _dev_lines(dev_dir: Path) -> list[str]:
    lines = []
    for txt in sorted(dev_dir.glob("*.txt")):
        gold = txt.with_suffix(".json")
        meta = json.loads(gold.read_text(encoding="utf-8"))["document"] if gold.exists() else {}
        lines.append(json.dumps({"id": txt.stem, "title": meta.get("title"), "date": meta.get("date"),
                                 "url": meta.get("source"), "text": txt.read_text(encoding="utf-8")}))
    return lines


def _corpus_lines(corpus_dir: Path, n: int) -> list[str]:
    """The first ``n`` short releases (by file order) about Mexico that report a meeting or a call."""
    out: list[str] = []
    for f in sorted(corpus_dir.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                text = d["text"]
                if ("Ebrard" in text or "Mexic" in text) and ("met" in text or "call" in text) and len(text) < 6000:
                    out.append(line.strip())
                    if len(out) >= n:
                        return out
    return out


@pytest.fixture(scope="session")
def export_store(dev_dir, corpus_dir, tmp_path_factory) -> str:
    """URL of a SQLite store: dev set + corpus sample (extracted) + the known record (written directly)."""
    from readouts.model import document_id
    from readouts.store import open_store
    from readouts.store.pipeline import ingest
    from readouts.store.write import store_record

    base = tmp_path_factory.mktemp("export-store")
    docs = base / "documents.jsonl"
    docs.write_text("\n".join(_dev_lines(dev_dir) + _corpus_lines(corpus_dir, N_CORPUS)) + "\n", encoding="utf-8")
    url = f"sqlite:///{base / 'readouts.db'}"
    with open_store(url) as store:
        report = ingest(store, [docs])
        assert not report.failed, report.failed
        record = known_record()
        with store.session() as s:
            store_record(s, record, doc_hash=document_id(record.document.text))
    return url


@pytest.fixture(scope="session")
def store(export_store):
    from readouts.store import open_store

    with open_store(export_store) as st:
        yield st


@pytest.fixture(scope="session")
def exported(store, tmp_path_factory):
    """Run one format over the whole store once per session: exported(fmt) -> path."""
    from readouts.export import export, get_exporter

    base = tmp_path_factory.mktemp("exports")
    done: dict[str, Path] = {}

    def run(fmt: str) -> Path:
        if fmt not in done:
            suffix = get_exporter(fmt).suffix
            path = base / (fmt if suffix == "/" else f"all{suffix}")
            export(store, format=fmt, out=path)
            done[fmt] = path
        return done[fmt]
    return run


def db_rows(store, sql: str, **params) -> list[tuple]:
    import sqlalchemy as sa

    with store.session() as s:
        return [tuple(r) for r in s.execute(sa.text(sql), params)]
