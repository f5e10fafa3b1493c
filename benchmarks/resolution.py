"""Cross-document resolution on a whole-corpus store: persons (resolution-dev.json) and events (dedup-dev.jsonl).

    .venv/bin/python benchmarks/resolution.py                       # ingest the whole corpus into a new store
    .venv/bin/python benchmarks/resolution.py --db sqlite:///x.db   # score an existing store
    .venv/bin/python benchmarks/resolution.py --db URL --resolve    # re-run `readouts resolve` first, timed

Persons: a mention belongs to a gold person when its document-level name is one of the names the
gold file gives that person. Printed: the share of each person's mentions in their largest entity
(and over all persons, mention-weighted), how many persons are one entity, and the "apart" pairs
whose largest entities are one. Events: a same-event group is merged when one canonical event has
a report in every document of the group; a near miss is kept apart when the events its documents'
first happened reports belong to are not all one (a document may also mention the other meeting,
"tomorrow's talks", and that mention rightly joins it; and in a group of three, two documents may
rightly report one of the two meetings).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import CORPUS, build_store

EVAL = CORPUS.parent / "eval"


def score_persons(session, gold: dict) -> dict:
    from readouts.store import schema as t

    names = {n: person for person, ns in gold["persons"].items() for n in ns}
    live = dict(session.execute(sa.select(t.Person.id, t.Person.merged_into_id)).all())

    def final(pid):
        seen = set()
        while pid is not None and live.get(pid) is not None and pid not in seen:
            seen.add(pid)
            pid = live[pid]
        return pid
    entities: dict[str, Counter] = defaultdict(Counter)
    for name, pid in session.execute(sa.select(t.PersonMention.name, t.PersonMention.person_id)
                                     .where(t.PersonMention.name.in_(list(names)))):
        entities[names[name]][final(pid)] += 1
    rows, main = [], {}
    total = in_main = one = 0
    for person in gold["persons"]:
        c = entities.get(person, Counter())
        n = sum(c.values())
        top = c.most_common(1)[0] if c else (None, 0)
        main[person] = top[0]
        total += n
        in_main += top[1]
        one += int(len(c) == 1)
        rows.append({"person": person, "mentions": n, "entities": len(c),
                     "share": round(top[1] / n, 3) if n else None})
    merged = [pair for pair in gold.get("apart", []) if main.get(pair[0]) is not None
              and main.get(pair[0]) == main.get(pair[1])]
    return {"mentions": total, "share_in_main": round(in_main / total, 4) if total else 0.0,
            "one_entity": one, "persons": len(gold["persons"]), "apart_merged": merged, "by_person": rows}


def score_events(session, lines: list[dict]) -> dict:
    from readouts.store import schema as t

    out = {"same_event": [0, 0], "different_events": [0, 0], "groups": []}
    for g in lines:
        ids = [d["id"] for d in g["docs"]]
        reports = session.execute(sa.select(t.Document.external_id, t.EventReport.event_id, t.EventReport.status,
                                            t.EventReport.local_id)
                                  .join(t.Document, t.Document.id == t.EventReport.document_id)
                                  .where(t.Document.external_id.in_(ids))).all()
        events = {i: {r.event_id for r in reports if r.external_id == i} for i in ids}
        if g["kind"] == "same_event":
            ok = bool(set.intersection(*events.values())) if all(events.values()) else False
        else:
            main = {}
            for i in ids:
                mine = sorted((r for r in reports if r.external_id == i),
                              key=lambda r: (r.status != "happened", int(r.local_id.lstrip("e") or 0)))
                main[i] = mine[0].event_id if mine else None
            found = [m for m in main.values() if m is not None]
            ok = len(found) < 2 or len(set(found)) > 1  # not all one event (two of three may rightly be one)
        out[g["kind"]][0] += int(ok)
        out[g["kind"]][1] += 1
        out["groups"].append({"kind": g["kind"], "ok": ok, "docs": ids, "events": {k: sorted(v) for k, v in
                                                                                      events.items()}})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="score this store instead of building one from the whole corpus")
    ap.add_argument("--resolve", action="store_true", help="run `readouts resolve` over the whole store first")
    ap.add_argument("--persons", type=Path, default=EVAL / "resolution-dev.json",
                    help="persons file in the format of resolution-dev.json (default: that file)")
    ap.add_argument("--dedup", type=Path, default=EVAL / "dedup-dev.jsonl",
                    help="event groups in the format of dedup-dev.jsonl (default: that file)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    from readouts.store import open_store
    from readouts.store.resolve import resolve

    url = args.db or build_store(10**9, prefix="readouts-resolution-")
    gold = json.loads(args.persons.read_text(encoding="utf-8"))
    lines = [json.loads(x) for x in args.dedup.read_text(encoding="utf-8").splitlines() if x.strip()]
    figures: dict = {"db": url}
    with open_store(url) as store:
        if args.resolve:
            started = time.perf_counter()
            with store.session() as s:
                figures["resolve"] = resolve(s, everything=True).as_dict()
            figures["resolve_seconds"] = round(time.perf_counter() - started, 1)
        with store.session() as s:
            figures["persons"] = score_persons(s, gold)
            figures["events"] = score_events(s, lines)
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
        return
    p, e = figures["persons"], figures["events"]
    if "resolve" in figures:
        r = figures["resolve"]
        print(f"resolve over the whole store: {figures['resolve_seconds']} s ({r['mentions']} mentions, "
              f"{r['persons_changed']} moved; {r['reports']} reports, {r['events_changed']} moved)")
    print(f"persons ({p['persons']}, {p['mentions']} mentions):")
    for row in p["by_person"]:
        print(f"  {row['person']:<26} {row['mentions']:>5} mentions  {row['entities']:>3} entities  "
              f"share in main {row['share']}")
    print(f"  mentions in the main entity: {p['share_in_main']:.3f}")
    print(f"  persons that are one entity: {p['one_entity']} of {p['persons']}")
    print(f"  'apart' pairs merged: {len(p['apart_merged'])} {p['apart_merged'] or ''}")
    print("events:")
    for g in e["groups"]:
        print(f"  {'ok ' if g['ok'] else 'NO '} {g['kind']:<16} {g['events']}")
    print(f"  same-event groups that are one event: {e['same_event'][0]} of {e['same_event'][1]}")
    print(f"  near misses kept apart: {e['different_events'][0]} of {e['different_events'][1]}")


if __name__ == "__main__":
    main()
