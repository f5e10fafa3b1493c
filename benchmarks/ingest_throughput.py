"""Ingest throughput: docs/s of `ingest` (extraction included) vs `extract_documents` alone.

    .venv/bin/python benchmarks/ingest_throughput.py --limit 500

Both runs use the same corpus documents in the same process (spaCy loaded
before timing); ingest goes into a fresh SQLite file whose size is reported.
"""
from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_docs(limit: int | None) -> list[dict]:
    docs: list[dict] = []
    for f in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            docs += [json.loads(line) for line in fh]
    return docs[:limit] if limit else docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="documents (default: all 4,316)")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--chunk", type=int, default=50, help="documents per alternating extract/ingest round")
    args = ap.parse_args()

    from readouts.extract import extract_documents, load_nlp
    from readouts.ingest.readers import SourceDocument
    from readouts.store import open_store
    from readouts.store.pipeline import ingest

    docs = corpus_docs(args.limit)
    load_nlp()
    # Alternate chunks of extraction and ingest, so that load from other processes on a shared
    # machine falls on both measurements alike.
    extract_s = ingest_s = 0.0
    n = stored = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        store = open_store(f"sqlite:///{db}")
        for start in range(0, len(docs), args.chunk):
            chunk = docs[start:start + args.chunk]
            src = Path(tmp) / f"chunk-{start}.jsonl"
            src.write_text("".join(json.dumps(d) + "\n" for d in chunk), encoding="utf-8")
            t0 = time.perf_counter()
            n += sum(1 for _ in extract_documents((SourceDocument(name=d["id"], id=d["id"], text=d["text"],
                                                                  title=d.get("title"), date=d.get("date"))
                                                   for d in chunk), batch_size=args.batch_size))
            extract_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            report = ingest(store, [src], batch_size=args.batch_size)
            ingest_s += time.perf_counter() - t0
            stored, failed = stored + report.stored + report.skipped, failed + len(report.failed)
        store.close()
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
    extract_rate, ingest_rate = n / extract_s, stored / ingest_s
    print(f"documents:          {len(docs)} (ingested {stored} incl. duplicate texts skipped, failed {failed})")
    print(f"extract alone:      {extract_rate:.2f} docs/s ({extract_s:.1f}s)")
    print(f"ingest (+extract):  {ingest_rate:.2f} docs/s ({ingest_s:.1f}s)")
    print(f"ingest / extract:   {ingest_rate / extract_rate:.3f} (slowdown {100 * (1 - ingest_rate / extract_rate):.1f}%)")
    print(f"store size:         {size / 1e6:.1f} MB ({size / max(stored, 1) / 1e3:.1f} kB/doc)")


if __name__ == "__main__":
    main()
