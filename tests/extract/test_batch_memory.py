"""Over its memory budget, the extractor frees each batch's spaCy objects when the batch is done, not when
the garbage collector gets to them."""
from __future__ import annotations

import gc
import gzip
import json
from itertools import islice

from spacy.tokens import Doc

from readouts.extract import extract_documents, load_nlp
from readouts.ingest import SourceDocument


def _live_docs() -> int:
    return sum(1 for o in gc.get_objects() if isinstance(o, Doc))


def test_no_doc_outlives_its_batch(corpus_dir, monkeypatch):
    monkeypatch.setenv("READOUTS_COLLECT_ABOVE_MB", "0")  # a process over budget: every batch collects
    with gzip.open(corpus_dir / "world-en-releases.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in islice(fh, 40)]
    sources = [SourceDocument(name=d["id"], text=d["text"], id=d["id"], language="en") for d in lines]
    load_nlp("en")
    gc.collect()
    before = _live_docs()
    gc.disable()  # only the extractor's own collections run: without them, Docs in cycles stay
    try:
        records = [rec for _src, rec in extract_documents(sources, batch_size=8)]
        left = _live_docs() - before
    finally:
        gc.enable()
    assert len(records) == 40 and not any(isinstance(r, Exception) for r in records)
    assert left == 0


def test_under_the_budget_no_collection_runs(corpus_dir, monkeypatch):
    monkeypatch.setenv("READOUTS_COLLECT_ABOVE_MB", "1000000")
    with gzip.open(corpus_dir / "world-en-releases.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in islice(fh, 10)]
    load_nlp("en")
    gc.collect()
    before = _live_docs()
    gc.disable()
    try:
        list(extract_documents([SourceDocument(name=d["id"], text=d["text"], language="en") for d in lines]))
        left = _live_docs() - before
    finally:
        gc.enable()
        gc.collect()
    assert left > 0  # spaCy's cycles wait for a collection: the budget decides when
