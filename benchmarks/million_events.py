"""A PostgreSQL store of a million events, grown from a real one by perturbed copies.

The seed is a store that `readouts ingest` made of corpus documents (every fact a real extraction).
Copy r of it (r = 1, 2, ...) holds every seed document again (its text marked with the copy's number,
so every span still points where it did) with:
  - dates moved by the copy's own offset, up to ten years either way;
  - about half the persons replaced by one of 50 namesakes each (another given name from the
    gazetteer of first names, a varied surname), so well-known officials pile up events across copies
    as they do in a decade of releases, beside thousands of lesser-known ones;
  - about half the event places replaced by another city of the gazetteer.
Organizations and countries stay as they are. Rows go in by COPY with the secondary indexes dropped
and foreign-key triggers off, then the indexes are built again, the tables kept at write time
(event_persons, event_organizations, event_country_pairs, the per-person summaries) made from the copied
rows, and the tables vacuumed and analysed.

    .venv/bin/python benchmarks/million_events.py --seed-db postgresql://…/seed --db postgresql://…/big \\
        [--events 1000000] [--json]

Prints the time of each step, the counts and the database's size on disk.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

NAMESAKES = 50  # variants per seed person
YEARS = 10  # copies spread their dates over +/- this many years
DATA = Path(__file__).resolve().parents[1] / "readouts" / "extract" / "data"
# Tables in the order they are filled; the rest (resolution_log, person_overrides) stay the seed's, and
# those that summarise them (event_persons, person_positions, ...) are made from them afterwards.
TABLES = ["documents", "extraction_runs", "organizations", "org_mentions", "organization_keys",
          "person_mentions", "positions", "delegations", "delegation_members", "events", "event_countries",
          "event_reports", "event_participants"]
ID_COLUMNS = {  # column -> the table whose ids it holds
    "document_id": "documents", "org_mention_id": "org_mentions", "person_mention_id": "person_mentions",
    "delegation_id": "delegations", "event_id": "events", "event_report_id": "event_reports"}
DATE_COLUMNS = {"date"}


def _words(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


def _mix(*parts: int) -> int:
    """A cheap, stable hash of small integers: the copy's choices are the same on every run."""
    h = 0x9E3779B1
    for p in parts:
        h = ((h ^ p) * 0x01000193) & 0xFFFFFFFF
        h ^= h >> 15
    return h


class Perturb:
    """The choices for copy ``r``: date offset, person variants, places."""

    def __init__(self, persons: dict[int, dict[str, Any]], seed: int) -> None:
        from readouts.resolve.names import person_keys

        self.persons, self.seed = persons, seed
        self.given, self.cities = _words("first_names.txt"), _words("cities.tsv")
        self.span = max(persons, default=0)
        self.keys = person_keys
        self.used: set[tuple[int, int]] = set()  # (seed person, variant) that copies refer to

    def offset(self, r: int) -> timedelta:
        return timedelta(days=0 if r == 0 else _mix(self.seed, r) % (2 * 365 * YEARS) - 365 * YEARS)

    def variant(self, r: int, person_id: int | None) -> int:
        """0: the seed person itself; 1..NAMESAKES: one of its namesakes."""
        if r == 0 or person_id is None:
            return 0
        h = _mix(self.seed, r, person_id)
        return 0 if h % 2 == 0 else 1 + (h >> 1) % NAMESAKES

    def person_id(self, r: int, person_id: int | None) -> int | None:
        v = self.variant(r, person_id)
        if person_id is None or v == 0:
            return person_id
        self.used.add((person_id, v))
        return person_id + v * self.span

    def name(self, person_id: int, v: int, mention_name: str | None = None) -> str:
        seed_name = self.persons[person_id]["name"]
        *given, surname = seed_name.split() or ["X"]
        surname = [surname, surname + "i", surname + "son", surname[:-1] + "a"][v % 4]
        if mention_name is not None and len(mention_name.split()) == 1:
            return surname  # a surname alone stays one
        return f"{self.given[_mix(person_id, v) % len(self.given)]} {surname}" if given else surname

    def place(self, r: int, report_id: int, location: str | None) -> str | None:
        if r == 0 or location is None or _mix(self.seed, r, report_id) % 2:
            return location
        return self.cities[_mix(r, report_id) % len(self.cities)]


def read_seed(url: str) -> dict[str, list[dict[str, Any]]]:
    import sqlalchemy as sa

    from readouts.store import open_store
    from readouts.store.schema import Base

    out: dict[str, list[dict[str, Any]]] = {}
    with open_store(url, migrate=False) as store, store.session() as s:
        for name in [*TABLES, "persons"]:
            table = Base.metadata.tables[name]
            out[name] = [dict(row._mapping) for row in s.execute(sa.select(table).order_by(*table.primary_key))]
    return out


def copies(seed: dict[str, list[dict[str, Any]]], table: str, replicas: int, spans: dict[str, int],
           p: Perturb) -> Iterator[dict[str, Any]]:
    """Every row of ``table`` in copies 1..replicas-1 (copy 0, the seed, is already there)."""
    fix = FIXES.get(table)
    for r in range(1, replicas):
        shift = p.offset(r)
        for row in seed[table]:
            new = dict(row)
            if "id" in new:
                new["id"] += r * spans[table]
            for col, target in ID_COLUMNS.items():
                if new.get(col) is not None:
                    new[col] += r * spans[target]
            for col in DATE_COLUMNS:
                if isinstance(new.get(col), date):
                    new[col] += shift
            if "person_id" in new:
                new["person_id"] = p.person_id(r, new["person_id"])
            if fix:
                fix(new, row, r, p)
            yield new


def _document(new: dict[str, Any], row: dict[str, Any], r: int, _p: Perturb) -> None:
    new["text"] = row["text"] + f"\n\n[copy {r}]"  # after the text: every span still points where it did
    new["hash"] = hashlib.sha256(new["text"].encode()).hexdigest()
    new["external_id"] = f"{row['external_id'] or row['hash'][:16]}~{r}"


def _person_mention(new: dict[str, Any], row: dict[str, Any], r: int, p: Perturb) -> None:
    v = p.variant(r, row["person_id"])
    if v:
        new["name"] = p.name(row["person_id"], v, row["name"])
        keys = p.keys(new["name"])
        new["name_key"], new["match_key"] = keys.name_key, keys.match_key


def _event_report(new: dict[str, Any], row: dict[str, Any], r: int, p: Perturb) -> None:
    new["location"] = p.place(r, row["id"], row["location"])


def _event(new: dict[str, Any], row: dict[str, Any], r: int, p: Perturb) -> None:
    new["location"] = p.place(r, row["id"], row["location"])


FIXES: dict[str, Callable[[dict[str, Any], dict[str, Any], int, Perturb], None]] = {
    "documents": _document, "person_mentions": _person_mention, "event_reports": _event_report,
    "events": _event}


def namesakes(p: Perturb) -> Iterator[dict[str, Any]]:
    for person_id, v in sorted(p.used):
        row = dict(p.persons[person_id])
        row["id"] = person_id + v * p.span
        row["name"] = p.name(person_id, v)
        row["name_key"] = p.keys(row["name"]).name_key or row["name"].lower()
        row["merged_into_id"] = None
        yield row


def copy_rows(conn: Any, table: str, rows: Iterator[dict[str, Any]]) -> int:
    """COPY the rows in; JSON columns go as their text."""
    from readouts.store.schema import Base

    cols = [c.name for c in Base.metadata.tables[table].columns]
    json_cols = {c.name for c in Base.metadata.tables[table].columns if c.type.__class__.__name__ == "JSON"}
    n = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row([json.dumps(row[c]) if c in json_cols and row[c] is not None else row[c] for c in cols])
            n += 1
    return n


def secondary_indexes(conn: Any) -> list[tuple[str, str]]:
    rows = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                        "AND indexdef NOT LIKE 'CREATE UNIQUE%'").fetchall()
    return [(name, definition) for name, definition in rows]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed-db", required=True, help="a store made by readouts ingest (PostgreSQL or SQLite)")
    ap.add_argument("--db", required=True, help="an empty PostgreSQL database to fill")
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    import psycopg

    from readouts.store import open_store
    from readouts.store.db import normalise_url
    from readouts.store.sides import rebuild_event_parties
    from readouts.store.summaries import rebuild_person_summaries

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    seed = read_seed(a.seed_db)
    replicas = -(-a.events // max(1, len(seed["events"])))
    spans = {t: max((row.get("id") or 0 for row in seed[t]), default=0) for t in TABLES}
    p = Perturb({row["id"]: row for row in seed["persons"]}, a.seed)
    timings["read seed"] = time.perf_counter() - t0
    say = (lambda msg: None) if a.json else (lambda msg: print(msg, file=sys.stderr, flush=True))
    say(f"seed: {len(seed['documents'])} documents, {len(seed['events'])} events; {replicas} copies")

    open_store(a.db).close()  # the current schema, empty
    url = normalise_url(a.db).replace("postgresql+psycopg://", "postgresql://")
    counts: dict[str, int] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # no foreign-key triggers while loading
        indexes = secondary_indexes(conn)
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        for table in [*TABLES, "persons"]:
            t1 = time.perf_counter()
            n = copy_rows(conn, table, iter(seed[table]))
            more = (namesakes(p) if table == "persons" else iter(()) if table == "organizations"
                    else copies(seed, table, replicas, spans, p))
            n += copy_rows(conn, table, more)
            counts[table] = n
            timings[f"copy {table}"] = time.perf_counter() - t1
            say(f"  {table}: {n} rows in {timings[f'copy {table}']:.0f} s")
        for name, definition in indexes:
            t1 = time.perf_counter()
            conn.execute(definition)
            timings[f"index {name}"] = time.perf_counter() - t1
            say(f"  index {name}: {timings[f'index {name}']:.0f} s")
        t1 = time.perf_counter()
        with open_store(a.db, migrate=False) as store, store.session() as s:
            rebuild_event_parties(s)  # who takes part in each event, and the per-person summaries:
            rebuild_person_summaries(s)  # made from the copied rows, as migration 0009 back-fills them
        timings["summaries"] = time.perf_counter() - t1
        say(f"  event parties and person summaries: {timings['summaries']:.0f} s")
        for table in [t for t in [*TABLES, "persons"] if t != "event_countries"]:  # it has no id
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT coalesce(max(id), 1) FROM {table}))")
        t1 = time.perf_counter()
        conn.execute("VACUUM ANALYZE")  # also marks pages all-visible: index-only and bitmap counts skip them
        timings["vacuum analyze"] = time.perf_counter() - t1
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    timings["total"] = time.perf_counter() - t0
    result = {"replicas": replicas, "counts": counts, "size_bytes": size,
              "timings_s": {k: round(v, 1) for k, v in timings.items()}}
    if a.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{counts['events']} events, {counts['documents']} documents, {counts['persons']} persons; "
              f"{size / 1e9:.1f} GB; {timings['total'] / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
