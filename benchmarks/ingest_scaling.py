"""Ingest speed-up across worker processes: 1 and 2 local processes, 1 and 2 Dask LocalCluster workers.

Each run ingests the same corpus documents (both feeds, by date) into its own new SQLite store with
``readouts.store.pipeline.ingest`` — reading, extraction in the workers, writing and resolution in this
process, worker start-up (spaCy loading) included — and reports:
  - documents per second (stored / wall-clock seconds of the whole ingest);
  - the speed-up of 2 workers over 1 of the same kind;
  - each worker's peak resident memory;
  - the seconds of the resolution at the end, which runs in this process alone;
  - whether every store holds the same documents, persons, organizations and events
    (readouts.store.stats.shape) as the first one.

    .venv/bin/python benchmarks/ingest_scaling.py [--limit N] [--kinds local,dask] [--workers 1,2] [--json]

Target (issue #15): speed-up >= 1.7x on 2 cores, peak memory per worker < 1 GB, identical stores.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from _corpus import corpus_lines


def run(kind: str, workers: int, src: Path, folder: Path) -> dict[str, Any]:
    from readouts.store import open_store
    from readouts.store.pipeline import ingest
    from readouts.store.stats import shape

    url = f"sqlite:///{folder / f'{kind}-{workers}.db'}"
    with open_store(url) as store:
        # with dask="local", `workers` is the size of the LocalCluster
        report = ingest(store, [src], workers=workers, dask="local" if kind == "dask" else None)
        with store.session() as s:
            digest = shape(s)
    return {"kind": kind, "workers": workers, "stored": report.stored, "failed": len(report.failed),
            "seconds": report.seconds, "docs_per_s": report.stored / report.seconds,
            "peak_rss_mb": sorted(report.workers.values()), "shape": digest,
            # resolution runs once, after every document is stored, in this process: the part no worker shares
            "resolve_s": (report.resolution or {}).get("seconds", 0.0)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N documents by date (default: all)")
    ap.add_argument("--kinds", default="local,dask")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    lines = corpus_lines(by_date=True)
    lines = lines[:a.limit] if a.limit else lines
    counts = [int(n) for n in a.workers.split(",")]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="readouts-scaling-") as tmp:
        src = Path(tmp) / "docs.jsonl"
        src.write_text("".join(lines), encoding="utf-8")
        for kind in a.kinds.split(","):
            for n in counts:
                r = run(kind, n, src, Path(tmp))
                results.append(r)
                if not a.json:
                    print(f"  {kind} x{n}: {r['stored']} stored in {r['seconds']:.0f} s", file=sys.stderr, flush=True)
    first = results[0]["shape"]
    for r in results:
        base = next(b for b in results if b["kind"] == r["kind"] and b["workers"] == min(counts))
        r["speedup"] = r["docs_per_s"] / base["docs_per_s"]
        r["same_store"] = r.pop("shape") == first
    if a.json:
        print(json.dumps({"documents": len(lines), "runs": results}, indent=1))
        return 0
    print(f"{len(lines)} documents; docs/s over the whole ingest (start-up, writes and resolution included)")
    print(f"{'run':<10}{'docs/s':>8}{'speed-up':>10}{'seconds':>9}{'resolve s':>11}  {'peak RSS per worker (MB)':<26}"
          "same store")
    for r in results:
        rss = ", ".join(f"{mb:.0f}" for mb in r["peak_rss_mb"])
        print(f"{r['kind'] + ' x' + str(r['workers']):<10}{r['docs_per_s']:>8.2f}{r['speedup']:>9.2f}x"
              f"{r['seconds']:>9.0f}{r['resolve_s']:>11.0f}  {rss:<26}{'yes' if r['same_store'] else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
