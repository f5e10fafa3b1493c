"""Latency of every API query type over a store: p50 / p95 / max in milliseconds.

Each query type runs ``--runs`` times (default 50) with parameters varied across the store's own
persons, events, documents, organizations, countries and topics, in process through FastAPI's
TestClient (routing, validation, the queries and JSON encoding; no network). A few HTML pages
are timed the same way.

    .venv/bin/python benchmarks/api_latency.py --db sqlite:///path/readouts.db
    .venv/bin/python benchmarks/api_latency.py --docs 300        # builds a store from 300 corpus docs
    .venv/bin/python benchmarks/api_latency.py --db … --json

Target: p95 < 100 ms per API query on a whole-corpus store (pages < 300 ms).
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from _corpus import build_store

API_TARGET_MS, PAGE_TARGET_MS = 100.0, 300.0


def samples(store: Any) -> dict[str, list[Any]]:
    """Parameters to vary, taken from what the store holds (most-mentioned first)."""
    import sqlalchemy as sa

    from readouts import query
    from readouts.store import schema as t

    with store.session() as s:
        def ids(stmt: Any, n: int = 50) -> list[Any]:
            return list(s.scalars(stmt.limit(n)))
        persons = ids(sa.select(t.PersonMention.person_id).where(t.PersonMention.person_id.is_not(None))
                      .group_by(t.PersonMention.person_id).order_by(sa.func.count().desc()))
        names = [n.split()[-1] for n in s.scalars(sa.select(t.Person.name).where(t.Person.id.in_(persons)))]
        events = ids(sa.select(t.Event.id).order_by(t.Event.id.desc()))
        docs = ids(sa.select(t.Document.id).order_by(t.Document.id.desc()))
        orgs = ids(sa.select(t.OrgMention.organization_id).where(t.OrgMention.organization_id.is_not(None))
                   .group_by(t.OrgMention.organization_id).order_by(sa.func.count().desc()))
        countries = query.countries(s) or ["USA"]
        topics = query.topics(s) or ["security"]
        dates = [d.isoformat() for d in s.scalars(sa.select(t.Event.date).where(t.Event.date.is_not(None))
                                                  .distinct().order_by(t.Event.date))] or ["2021-06-01"]
    words = ["climate", "security", "Ukraine", "migration Mexico", "vaccine", "trade", "Blinken",
             "human rights", "COVID-19", "Indo-Pacific", *names[:20]]
    common = [c for c in ("USA", "MEX", "CHN", "UKR", "RUS", "GBR", "FRA", "DEU", "JPN", "IND") if c in countries]
    return {"persons": persons or [1], "names": names or ["Blinken"], "events": events or [1],
            "docs": docs or [1], "orgs": orgs or [1], "countries": common or countries[:10], "topics": topics,
            "dates": dates, "words": words}


def cases(p: dict[str, list[Any]]) -> dict[str, Callable[[random.Random], str]]:
    """Query type -> a function that picks a URL with varied parameters."""
    c = lambda r, k: r.choice(p[k])
    pairs = [f"{a},{b}" for a, b in itertools.permutations(p["countries"], 2)] or ["MEX,USA"]
    return {
        "search": lambda r: f"/api/search?q={c(r, 'words')}",
        "persons?name": lambda r: f"/api/persons?name={c(r, 'names')}",
        "person": lambda r: f"/api/persons/{c(r, 'persons')}",
        "organization": lambda r: f"/api/organizations/{c(r, 'orgs')}",
        "event": lambda r: f"/api/events/{c(r, 'events')}",
        "document": lambda r: f"/api/documents/{c(r, 'docs')}",
        "events": lambda r: f"/api/events?offset={r.choice([0, 20, 40])}",
        "events?type,since": lambda r: f"/api/events?type={r.choice(['call', 'meeting', 'visit'])}"
                                       f"&since={c(r, 'dates')}",
        "events?topic": lambda r: f"/api/events?topic={c(r, 'topics')}",
        "events?country": lambda r: f"/api/events?country={c(r, 'countries')}",
        "events?between": lambda r: f"/api/events?between={r.choice(pairs)}",
        "events?person": lambda r: f"/api/events?person={c(r, 'persons')}",
        "timeline": lambda r: "/api/timeline?a={}&b={}".format(*r.choice(pairs).split(",")),
        "network": lambda r: "/api/network",
        "network?country": lambda r: f"/api/network?country={c(r, 'countries')}",
        "network?topic,since": lambda r: f"/api/network?topic={c(r, 'topics')}&since={c(r, 'dates')}",
        "page: search": lambda r: f"/?q={c(r, 'words')}",
        "page: person": lambda r: f"/persons/{c(r, 'persons')}",
        "page: document": lambda r: f"/documents/{c(r, 'docs')}",
        "page: event": lambda r: f"/events/{c(r, 'events')}",
        "page: timeline": lambda r: "/timeline?a={}&b={}".format(*r.choice(pairs).split(",")),
        "matrix": lambda r: "/api/matrix",
        "events.csv?between": lambda r: f"/api/events.csv?between={r.choice(pairs)}",
        "page: events": lambda r: f"/events?offset={r.choice([0, 20, 40])}",
        "page: events?between": lambda r: f"/events?between={r.choice(pairs)}",
        "page: events?person": lambda r: f"/events?person={c(r, 'persons')}",
        "page: matrix": lambda r: "/matrix",
        "persons.csv?name": lambda r: f"/api/persons.csv?name={c(r, 'names')}",
        "network.csv": lambda r: "/api/network.csv",
    }


def measure(client: Any, pick: Callable[[random.Random], str], runs: int, rng: random.Random) -> list[float]:
    times = []
    for _ in range(runs):
        url = pick(rng)
        t0 = time.perf_counter()
        resp = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        if resp.status_code >= 500 or resp.status_code == 422:
            raise SystemExit(f"{url}: HTTP {resp.status_code}: {resp.text[:300]}")
    return times


def first_bytes(app: Any, pick: Callable[[random.Random], str], runs: int, rng: random.Random) -> list[float]:
    """Milliseconds to the first byte of the body, through a real server (uvicorn on a free local port):
    the TestClient hands a streamed body over only when it is complete."""
    import socket
    import threading

    import httpx
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    times = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            for _ in range(runs):
                t0 = time.perf_counter()
                with client.stream("GET", pick(rng)) as resp:
                    body = resp.iter_raw()
                    next(body, b"")
                    times.append((time.perf_counter() - t0) * 1000)
                    for _chunk in body:
                        pass  # read to the end, so that the next request does not wait behind this one
    finally:
        server.should_exit = True
        thread.join()
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="store URL (sqlite:///… or postgresql://…)")
    ap.add_argument("--docs", type=int, default=300, help="without --db: build a store of this many corpus docs")
    ap.add_argument("--runs", type=int, default=50, help="requests per query type")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--only", help="comma-separated query types to time (default: all)")
    ap.add_argument("--first-byte", action="store_true",
                    help="also time the downloads (*.csv) to their first byte, through a real server")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from readouts.store import open_store
    from readouts.web import create_app

    url = args.db or build_store(args.docs)
    app = create_app(url)
    with open_store(url, migrate=False) as store, store.session() as s:
        from readouts.store.stats import stats
        size = {k: v for k, v in stats(s).items() if isinstance(v, int)}
    with open_store(url, migrate=False) as store:
        params = samples(store)
    rng = random.Random(args.seed)
    results: dict[str, dict[str, float]] = {}
    with TestClient(app) as client:
        wanted = set(args.only.split(",")) if args.only else None
        for name, pick in cases(params).items():
            if wanted and name not in wanted:
                continue
            measure(client, pick, 3, rng)  # warm the caches and the SQLite page cache
            t = sorted(measure(client, pick, args.runs, rng))
            results[name] = _figures(t)
            if args.first_byte and ".csv" in name:
                measure(client, pick, 3, rng)
                results[f"{name} (first byte)"] = _figures(sorted(first_bytes(app, pick, args.runs, rng)))
    if args.json:
        print(json.dumps({"store": size, "runs": args.runs, "results": results}, indent=2))
        return
    print(f"store: {', '.join(f'{k} {v}' for k, v in size.items())}; {args.runs} runs per query")
    print(f"{'query':<22}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, r in results.items():
        target = PAGE_TARGET_MS if name.startswith("page") else API_TARGET_MS
        flag = "" if r["p95"] < target else f"  over {target:.0f} ms"
        print(f"{name:<22}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['max']:>9.1f}{flag}")


def _figures(t: list[float]) -> dict[str, float]:
    return {"p50": statistics.median(t), "p95": t[max(0, int(len(t) * 0.95) - 1)], "max": t[-1]}


if __name__ == "__main__":
    main()
