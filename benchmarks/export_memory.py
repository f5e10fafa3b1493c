"""Peak memory (RSS) and time of every export format over a store, each in its own child process.

    .venv/bin/python benchmarks/export_memory.py --db sqlite:///path/readouts.db
    .venv/bin/python benchmarks/export_memory.py --docs 300     # builds a store from 300 corpus docs
    .venv/bin/python benchmarks/export_memory.py --db sqlite:///small.db --replicate 11   # ~whole-corpus size
    .venv/bin/python benchmarks/export_memory.py --db … --formats ftm,csv --json

A child runs one ``readouts.export.export`` over the whole store into a temp folder; its peak RSS
comes from ``wait4``. The ``baseline`` row is a child that imports every exporter's libraries and
opens the store without exporting: the difference is what the export itself holds.

``--replicate K`` (SQLite) copies the store and stacks K copies of every row in it, ids shifted
and references kept, so a store built from a few hundred documents stands in for the whole
corpus when measuring memory: K times the documents, persons, events and participants (the
copies do not resolve into each other, so there are K times the persons too).

Target: peak RSS < 500 MB per format on a whole-corpus store (about 4,300 documents), and flat
as the store grows (compare two store sizes).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import build_store

FORMATS = ("ftm", "popolo", "plover", "gexf", "graphml", "csv", "parquet")
TARGET_MB = 500.0

CHILD = """
import sys
import followthemoney, networkx, pyarrow.parquet  # what every exporter imports, so baseline is comparable
from readouts.export import export
from readouts.store import open_store
url, fmt, out = sys.argv[1:4]
with open_store(url, migrate=False) as store:
    if fmt != "baseline":
        report = export(store, format=fmt, out=out)
        print(sum(report.counts.values()))
    else:
        print(0)
"""


# (table, {column: table it points at}) in dependency order; what the exports read.
REPLICATED = (
    ("documents", {}), ("persons", {"merged_into_id": "persons"}), ("organizations", {}),
    ("person_mentions", {"document_id": "documents", "person_id": "persons"}),
    ("org_mentions", {"document_id": "documents", "organization_id": "organizations"}),
    ("positions", {"document_id": "documents", "person_mention_id": "person_mentions", "person_id": "persons",
                   "org_mention_id": "org_mentions", "organization_id": "organizations"}),
    ("delegations", {"document_id": "documents"}),
    ("delegation_members", {"delegation_id": "delegations", "person_mention_id": "person_mentions"}),
    ("events", {}), ("event_reports", {"document_id": "documents", "event_id": "events"}),
    ("event_participants", {"event_report_id": "event_reports", "person_id": "persons",
                            "organization_id": "organizations"}),
)


def replicate(url: str, times: int) -> str:
    """A copy of the SQLite store at ``url`` with ``times`` copies of every row (see the module doc)."""
    import shutil
    import sqlite3

    from readouts.store import open_store

    with open_store(url) as store:  # checkpoints the WAL into the file before it is copied
        store.engine.dispose()
    src = url.removeprefix("sqlite:///")
    dst = Path(tempfile.mkdtemp(prefix="readouts-export-bench-")) / "replica.db"
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    offsets = {t: con.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t, _ in REPLICATED}
    for k in range(1, times):
        for table, refs in REPLICATED:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            values = [f"id + {k * offsets[table]}" if c == "id" else f"hash || '-copy{k}'" if c == "hash"
                      else f"{c} + {k * offsets[refs[c]]}" if c in refs else c for c in cols]
            con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(values)} FROM {table} "
                        f"WHERE id <= {offsets[table]}")
        con.commit()
    con.close()
    _fill_event_countries(f"sqlite:///{dst}")
    print(f"replicated {url} x{times} into {dst}", file=sys.stderr)
    return f"sqlite:///{dst}"


def _fill_event_countries(url: str) -> None:
    """The copies' sides (event_countries has no id column to shift): rebuilt from their participants."""
    import sqlalchemy as sa

    from readouts.store import open_store
    from readouts.store import schema as t
    from readouts.store.sides import refresh_event_countries

    with open_store(url) as store, store.session() as s:
        refresh_event_countries(s, s.scalars(sa.select(t.Event.id)))


def run_child(url: str, fmt: str, out: Path) -> dict[str, float | int | str]:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, url, fmt, str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    written, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"{fmt} failed:\n{err.decode(errors='replace')}")
    rss_mb = usage.ru_maxrss / 1024  # Linux reports KiB
    return {"format": fmt, "peak_rss_mb": round(rss_mb, 1), "seconds": round(seconds, 2),
            "items": int(written.strip() or 0), "output_mb": round(_size(out) / 2**20, 2)}


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size if path.exists() else 0


def store_counts(url: str) -> dict[str, int]:
    import sqlalchemy as sa

    from readouts.store import open_store

    with open_store(url, migrate=False) as store, store.session() as s:
        return {t: s.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("documents", "persons", "organizations", "positions", "events", "event_participants")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", help="store URL; default: build one from --docs corpus documents")
    ap.add_argument("--docs", type=int, default=200, help="corpus documents for the store built when --db is not given")
    ap.add_argument("--replicate", type=int, default=1, metavar="K",
                    help="measure a copy of the (SQLite) store with K copies of every row")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats to run")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    url = args.db or build_store(args.docs, prefix="readouts-export-bench-")
    replica = replicate(url, args.replicate) if args.replicate > 1 else None
    counts = store_counts(replica or url)
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="readouts-export-out-") as tmp:
            for fmt in ["baseline", *args.formats.split(",")]:
                rows.append(run_child(replica or url, fmt, Path(tmp) / fmt))
    finally:
        if replica:
            import shutil
            shutil.rmtree(Path(replica.removeprefix("sqlite:///")).parent, ignore_errors=True)
    url = replica or url
    if args.json:
        print(json.dumps({"store": url, "counts": counts, "target_mb": TARGET_MB, "runs": rows}, indent=2))
        return
    print(f"store {url}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    print(f"{'format':<10}{'peak RSS MB':>12}{'seconds':>10}{'items':>10}{'output MB':>11}")
    for r in rows:
        flag = "" if float(r["peak_rss_mb"]) < TARGET_MB else "  over target"
        print(f"{r['format']:<10}{r['peak_rss_mb']:>12}{r['seconds']:>10}{r['items']:>10}{r['output_mb']:>11}{flag}")


if __name__ == "__main__":
    main()
