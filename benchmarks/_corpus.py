"""What the benchmarks share: the corpus documents, and a store built from them by the real ingest.

Imported by the scripts in this folder (run as ``.venv/bin/python benchmarks/<script>.py``, so this
folder is on ``sys.path``).
"""
from __future__ import annotations

import gzip
import json
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def corpus_lines(*, by_date: bool = False) -> list[str]:
    """Every corpus document as a JSON line, in file order or by (date, id)."""
    lines: list[str] = []
    for f in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            lines.extend(fh)
    if by_date:
        lines.sort(key=lambda line: (json.loads(line)["date"] or "", json.loads(line)["id"]))
    return lines


def build_store(n_docs: int, *, prefix: str = "readouts-bench-") -> str:
    """A SQLite store in a new temp folder of the first ``n_docs`` corpus documents (both feeds, by date)."""
    from readouts.store import open_store
    from readouts.store.pipeline import ingest

    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    (tmp / "docs.jsonl").write_text("".join(corpus_lines(by_date=True)[:n_docs]), encoding="utf-8")
    url = f"sqlite:///{tmp / 'readouts.db'}"
    with open_store(url) as store:
        report = ingest(store, [tmp / "docs.jsonl"])
    print(f"built {url}: {report.stored} documents in {report.seconds:.0f} s", file=sys.stderr)
    return url
