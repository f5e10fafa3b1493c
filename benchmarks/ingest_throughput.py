"""Ingest throughput: docs/s of `ingest` (extraction included) vs `extract_documents` alone.

    .venv/bin/python benchmarks/ingest_throughput.py --limit 500
    .venv/bin/python benchmarks/ingest_throughput.py --db sqlite:///corpus.db     # keep the whole-corpus store

Both runs use the same corpus documents in the same process (spaCy loaded
before timing). Ingest goes into a fresh SQLite file whose size is reported, or with
``--db URL`` into that store (SQLite or PostgreSQL), which is kept: the store that
``api_latency.py --db URL`` and ``export_memory.py --db URL`` then measure. Documents
already in it are skipped, so an interrupted run carries on.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _corpus import corpus_lines


def corpus_docs(limit: int | None) -> list[dict]:
    docs = [json.loads(line) for line in corpus_lines()]
    return docs[:limit] if limit else docs


def sqlite_size(url: str) -> int | None:
    """Bytes of a SQLite store's files (with its WAL), None for a server database."""
    from sqlalchemy.engine import make_url

    from readouts.store.db import normalise_url

    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    db = Path(parsed.database)
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="documents (default: all 4,316)")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--chunk", type=int, default=50, help="documents per alternating extract/ingest round")
    ap.add_argument("--db", help="store URL to ingest into and keep (sqlite:///… or postgresql://…); "
                                 "default: a temporary SQLite file")
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
    n = stored = skipped = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = open_store(url)
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
            stored, skipped, failed = stored + report.stored, skipped + report.skipped, failed + len(report.failed)
        store.close()
        size = sqlite_size(url)
    # Skipped texts (duplicates, or already in a kept store) cost a hash each: counted like stored ones.
    extract_rate, ingest_rate = n / extract_s, (stored + skipped) / ingest_s
    print(f"documents:          {len(docs)} (stored {stored}, skipped {skipped} already stored or duplicate "
          f"texts, failed {failed})")
    print(f"extract alone:      {extract_rate:.2f} docs/s ({extract_s:.1f}s)")
    print(f"ingest (+extract):  {ingest_rate:.2f} docs/s ({ingest_s:.1f}s)")
    print(f"ingest / extract:   {ingest_rate / extract_rate:.3f} (slowdown {100 * (1 - ingest_rate / extract_rate):.1f}%)")
    if size is not None:
        print(f"store size:         {size / 1e6:.1f} MB ({size / max(stored, 1) / 1e3:.1f} kB/doc)")
    if args.db:
        print(f"store kept:         {args.db}  (e.g. benchmarks/api_latency.py --db {args.db})")


if __name__ == "__main__":
    main()
