"""Size-aware batching: long documents must not share a spaCy batch (memory), order is kept."""
from __future__ import annotations

from readouts.extract.pipeline import batches
from readouts.ingest import SourceDocument


def _docs(*lengths: int) -> list[SourceDocument]:
    return [SourceDocument(name=f"d{i}", text="x" * n) for i, n in enumerate(lengths)]


def test_groups_keep_order_and_respect_count_and_characters():
    docs = _docs(10, 10, 10, 50, 10, 100, 5)
    groups = list(batches(docs, size=2, max_chars=60))
    assert [d for g in groups for d in g] == docs
    assert all(len(g) <= 2 for g in groups)
    assert all(sum(len(d.text) for d in g) <= 60 or len(g) == 1 for g in groups)
    assert [len(g) for g in groups] == [2, 2, 1, 1, 1]


def test_a_document_over_the_budget_goes_alone():
    docs = _docs(5, 500, 5)
    assert [[d.name for d in g] for g in batches(docs, size=16, max_chars=100)] == [["d0"], ["d1"], ["d2"]]
