"""The in-memory lookups of :mod:`readouts.query` (names, the unfiltered event list, the network)
give what the store says, on a SQLite and a PostgreSQL store of the dev set."""
from __future__ import annotations

import itertools
from collections import Counter

import pytest

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


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_persons_events_from_the_index_are_the_filters_events(backend, request):
    """events(person=) reads the in-memory who-took-part-in-what index; it must give the page, order and
    total that the SQL filter (event_ids) gives, newest and oldest first."""
    import sqlalchemy as sa

    from readouts import query
    from readouts.filters import EventFilter
    from readouts.store import open_store
    from readouts.store import schema as t

    url = request.getfixturevalue("dev_store" if backend == "sqlite" else "pg_dev_store")
    with open_store(url) as store, store.session() as s:
        people = s.scalars(sa.select(t.EventParticipant.person_id).where(t.EventParticipant.person_id.is_not(None))
                           .group_by(t.EventParticipant.person_id).order_by(sa.func.count().desc()).limit(8)).all()
        assert len(people) == 8
        for pid in people:
            f = EventFilter(person=str(pid))
            for oldest in (False, True):
                for offset in (0, 3):
                    fast = query.events(s, f, limit=5, offset=offset, oldest_first=oldest)
                    assert fast == query._event_page(s, query.event_ids(s, f), 5, offset, oldest)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_counterparts_and_a_countrys_network_from_the_arrays_are_the_participants(backend, request):
    """The who-took-part-in-what arrays (readouts.copresence) against the participant rows themselves."""
    import sqlalchemy as sa

    from readouts import query
    from readouts.store import open_store
    from readouts.store import schema as t

    url = request.getfixturevalue("dev_store" if backend == "sqlite" else "pg_dev_store")
    with open_store(url) as store, store.session() as s:
        ep, er = t.EventParticipant, t.EventReport
        persons: dict[int, set[int]] = {}
        for event_id, person_id in s.execute(sa.select(er.event_id, ep.person_id).join(er, er.id == ep.event_report_id)
                                             .where(ep.person_id.is_not(None), er.event_id.is_not(None))):
            persons.setdefault(event_id, set()).add(person_id)
        country = dict(s.execute(sa.select(t.Person.id, t.Person.country)).tuples().all())
        name = dict(s.execute(sa.select(t.Person.id, t.Person.name)).tuples().all())
        for pid in sorted({p for ps in persons.values() for p in ps})[:40]:
            shared: Counter[int] = Counter()
            for ps in persons.values():
                if pid in ps:
                    shared.update(ps - {pid})
            want = sorted(shared.items(), key=lambda kv: (-kv[1], name[kv[0]], kv[0]))[:50]
            assert [(c.person.id, c.n_events) for c in query.counterparts(s, pid)] == want
        for code in {c for c in country.values() if c}:
            pairs: Counter[tuple[int, int]] = Counter()
            for ps in persons.values():
                pairs.update(p for p in itertools.combinations(sorted(ps), 2)
                             if code in (country[p[0]], country[p[1]]))
            net = query.network(s, country=code, max_edges=5)
            assert net.total_edges == len(pairs)
            assert [(e.source, e.target, e.n_events) for e in net.edges] == [
                (a, b, n) for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
