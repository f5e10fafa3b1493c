"""The in-memory lookups of :mod:`readouts.query` (names, the unfiltered event list, the network)
give what the store says, on a SQLite and a PostgreSQL store of the dev set."""
from __future__ import annotations

import itertools
from collections import Counter

from tests.web.test_api import ebrard_id


def _all(api, url: str, **params) -> list[dict]:
    items, offset = [], 0
    while True:
        page = api.get(url, params={**params, "limit": 50, "offset": offset}).json()
        items.extend(page["items"])
        offset += 50
        if offset >= page["total"]:
            assert len(items) == page["total"]
            return items


def test_person_lookup_matches_part_of_a_name_exact_name_first(api):
    eid = ebrard_id(api)
    part = api.get("/api/persons", params={"name": "BRAR"}).json()
    assert eid in {p["id"] for p in part["items"]}
    full = api.get(f"/api/persons/{eid}").json()["name"]
    exact = api.get("/api/persons", params={"name": full.upper()}).json()
    assert exact["items"][0]["id"] == eid
    assert api.get("/api/persons", params={"name": "zzqxj"}).json() == {
        "items": [], "total": 0, "limit": 20, "offset": 0, "estimated": False}


def test_organization_lookup_by_acronym_and_part_of_a_name(api):
    orgs = api.get("/api/organizations", params={"name": "a", "limit": 500}).json()["items"]
    with_acronym = [o for o in orgs if o["acronym"]]
    if with_acronym:
        o = with_acronym[0]
        found = api.get("/api/organizations", params={"name": o["acronym"].lower(), "limit": 500}).json()
        assert o["id"] in {x["id"] for x in found["items"]}


def test_unfiltered_events_walk_dated_newest_first_then_undated(api):
    events = _all(api, "/api/events")
    assert len({e["id"] for e in events}) == len(events)
    dates = [e["date"] for e in events]
    dated = [d for d in dates if d]
    assert dates[:len(dated)] == dated and dated == sorted(dated, reverse=True)
    for a, b in itertools.pairwise(events):
        if a["date"] == b["date"]:
            assert a["id"] < b["id"]


def test_filtered_network_counts_the_pairs_of_the_filtered_events(api):
    topics = api.get("/api/facets").json()["topics"]
    for params in [{}, {"since": "2021-06-01"}, *({"topic": t} for t in topics[:3])]:
        pairs: Counter[tuple[int, int]] = Counter()
        for e in _all(api, "/api/events", **params):
            ids = sorted({p["id"] for p in e["persons"]})
            pairs.update(itertools.combinations(ids, 2))
        net = api.get("/api/network", params={**params, "max_edges": 2000}).json()
        assert net["total_edges"] == len(pairs), params
        assert {(x["source"], x["target"]): x["n_events"] for x in net["edges"]} == dict(pairs), params
