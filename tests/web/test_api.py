"""The JSON API over a store of the dev set: every query, its pagination, its errors, the token.

Tests taking ``api`` run on a SQLite and on a PostgreSQL store of the same documents (full-text
search through FTS5 and through tsvector, the event filters, person and document pages)."""
from __future__ import annotations

import pytest

from tests.web.conftest import API_TOKEN


def ebrard_id(client) -> int:
    found = client.get("/api/persons", params={"name": "ebrard"}).json()
    assert found["total"] >= 1
    return found["items"][0]["id"]


def test_search_finds_documents_and_the_person(api):
    body = api.get("/api/search", params={"q": "Ebrard"}).json()
    assert any("Ebrard" in p["name"] for p in body["persons"])
    docs = body["documents"]
    assert docs["total"] >= 2
    hit = docs["items"][0]
    s, e = hit["snippet_spans"][0]
    assert hit["snippet"][s:e].lower() == "ebrard"


@pytest.mark.postgres
def test_a_search_matching_more_than_can_be_ranked_lists_newest_first(pg_client, monkeypatch):
    """On PostgreSQL, past readouts.query.RANKED_MAX matches the pages come newest first (ranking would
    read every match), and the total still counts them all."""
    from readouts import query

    ranked = pg_client.get("/api/search", params={"q": "Blinken", "limit": 100}).json()["documents"]
    monkeypatch.setattr(query, "RANKED_MAX", 1)
    newest = pg_client.get("/api/search", params={"q": "Blinken", "limit": 100}).json()["documents"]
    assert newest["total"] == ranked["total"] > 2
    dates = [(h["document"]["date"] or "", h["document"]["id"]) for h in newest["items"]]
    assert dates == sorted(dates, reverse=True)
    assert {h["document"]["id"] for h in newest["items"]} == {h["document"]["id"] for h in ranked["items"]}


@pytest.mark.postgres
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_newest_first_search_pages_add_up_to_the_whole_list(pg_client, monkeypatch, limit):
    """Counted and paged in one read of the matches, newest first (undated last, then by id): every page,
    and one past the end, against the whole list; each hit with the snippet the ranked search gives it."""
    from readouts import query

    ranked = pg_client.get("/api/search", params={"q": "Blinken", "limit": 500}).json()["documents"]
    snippets = {h["document"]["id"]: (h["snippet"], h["snippet_spans"]) for h in ranked["items"]}
    monkeypatch.setattr(query, "RANKED_MAX", 1)
    want = sorted(ranked["items"], key=lambda h: (h["document"]["date"] is not None, h["document"]["date"] or "",
                                                  h["document"]["id"]), reverse=True)
    got = []
    for offset in range(0, ranked["total"] + limit, limit):
        page = pg_client.get("/api/search", params={"q": "Blinken", "limit": limit, "offset": offset}).json()
        assert (page["documents"]["total"], page["documents"]["estimated"]) == (ranked["total"], False)
        got += page["documents"]["items"]
    assert [h["document"]["id"] for h in got] == [h["document"]["id"] for h in want]
    assert all((h["snippet"], h["snippet_spans"]) == snippets[h["document"]["id"]] for h in got)


@pytest.mark.postgres
@pytest.mark.parametrize("budget", [20_000, 1])
def test_pages_of_a_search_past_the_count_walk_the_newest_documents(pg_client, monkeypatch, budget):
    """Past COUNTED_MAX matches a page is found by testing the newest documents in turn, within a budget
    (query._walk_search); when they do not hold it (a budget of 1), the matches are sorted. Either way
    every page is the newest-first list's."""
    from readouts import query

    ranked = pg_client.get("/api/search", params={"q": "Blinken", "limit": 500}).json()["documents"]
    want = sorted((h["document"] for h in ranked["items"]),
                  key=lambda d: (d["date"] is not None, d["date"] or "", d["id"]), reverse=True)
    monkeypatch.setattr(query, "COUNTED_MAX", 1)
    monkeypatch.setattr(query, "RANKED_MAX", 1)
    monkeypatch.setattr(query, "WALK_BUDGET", budget)
    got = []
    for offset in range(0, len(want), 2):
        page = pg_client.get("/api/search", params={"q": "Blinken", "limit": 2, "offset": offset}).json()
        assert page["documents"]["estimated"] is True
        got += [h["document"]["id"] for h in page["documents"]["items"]]
    assert got == [d["id"] for d in want]


@pytest.mark.postgres
def test_a_search_matching_more_than_can_be_counted_says_its_total_is_an_estimate(pg_client, monkeypatch):
    from readouts import query

    exact = pg_client.get("/api/search", params={"q": "Blinken"}).json()["documents"]
    assert exact["estimated"] is False and exact["total"] > 2
    monkeypatch.setattr(query, "COUNTED_MAX", 2)
    rough = pg_client.get("/api/search", params={"q": "Blinken"}).json()["documents"]
    assert rough["estimated"] is True and rough["total"] == 3
    assert [h["document"]["id"] for h in rough["items"]] == [h["document"]["id"] for h in exact["items"]]
    assert "over 2</span>" in pg_client.get("/", params={"q": "Blinken"}).text
    monkeypatch.setattr(query, "RANKED_MAX", 1)  # newest first, so that the download's pages are stable
    monkeypatch.setattr(query, "MAX_LIMIT", 2)  # pages of two: the estimated total must not end the download
    rows = pg_client.get("/api/search.json", params={"q": "Blinken"}).json()
    assert len(rows) == exact["total"]


@pytest.mark.postgres
def test_an_event_list_longer_than_is_counted_says_over_and_still_pages_and_downloads_whole(pg_client,
                                                                                           monkeypatch):
    """On PostgreSQL an event list counts up to readouts.query.COUNTED_MAX: past it the total is
    COUNTED_MAX + 1 with "estimated", the page says "over N", and pages and downloads still hold it all."""
    from readouts import query

    exact = pg_client.get("/api/events", params={"country": "USA", "limit": 500}).json()
    assert exact["estimated"] is False and exact["total"] > 4
    monkeypatch.setattr(query, "COUNTED_MAX", 3)
    capped = pg_client.get("/api/events", params={"country": "USA", "limit": 500}).json()
    assert capped["estimated"] is True and capped["total"] == 4
    assert capped["items"] == exact["items"]
    assert "over 3</span>" in pg_client.get("/events", params={"country": "USA"}).text
    monkeypatch.setattr(query, "MAX_LIMIT", 2)
    assert len(pg_client.get("/api/events.json", params={"country": "USA"}).json()) == exact["total"]


def test_person_lookup_ignores_accents_and_case(api):
    plain = api.get("/api/persons", params={"name": "EBRARD"}).json()
    accented = api.get("/api/persons", params={"name": "ébrard"}).json()
    assert plain["items"] and plain["items"] == accented["items"]


def test_person_has_counterparts_events_and_sources(api):
    p = api.get(f"/api/persons/{ebrard_id(api)}").json()
    assert "Ebrard" in p["name"]
    assert any("Blinken" in c["person"]["name"] for c in p["counterparts"])
    assert p["events"]["total"] >= 1 and p["events"]["items"]
    assert p["documents"]["total"] >= 2
    assert isinstance(p["positions"], list)


def test_events_paginate_with_a_stable_total(api):
    first = api.get("/api/events", params={"limit": 3}).json()
    second = api.get("/api/events", params={"limit": 3, "offset": 3}).json()
    assert first["total"] == second["total"] > 6
    assert len(first["items"]) == 3
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}


def test_event_filters_narrow(api):
    everything = api.get("/api/events", params={"limit": 500}).json()
    visits = api.get("/api/events", params={"type": "visit", "limit": 500}).json()
    assert 0 < visits["total"] < everything["total"]
    assert {e["type"] for e in visits["items"]} == {"visit"}
    with_ebrard = api.get("/api/events", params={"person": "Ebrard"}).json()
    assert with_ebrard["total"] >= 1
    assert all(any("Ebrard" in p["name"] for p in e["persons"]) for e in with_ebrard["items"])
    topic = everything["items"][0]["topics"][0] if everything["items"][0]["topics"] else "migration"
    on_topic = api.get("/api/events", params={"topic": topic, "limit": 500}).json()
    assert on_topic["total"] >= 1 and all(topic in e["topics"] for e in on_topic["items"])
    dated = [e["date"] for e in everything["items"] if e["date"]]
    since = sorted(dated)[len(dated) // 2]
    later = api.get("/api/events", params={"since": since, "limit": 500}).json()
    assert 0 < later["total"] < everything["total"] and all(e["date"] >= since for e in later["items"])


def test_event_country_filters_are_consistent(api):
    everything = api.get("/api/events", params={"limit": 500}).json()["items"]
    countries = sorted({c for e in everything for c in e["countries"]})
    assert countries, "no event has a country side"
    c = countries[0]
    got = api.get("/api/events", params={"country": c, "limit": 500}).json()
    assert got["total"] >= 1 and all(c in e["countries"] for e in got["items"])
    pairs = {(a, b) for e in everything for a in e["countries"] for b in e["countries"] if a < b}
    for a, b in sorted(pairs)[:3]:
        between = api.get("/api/events", params={"between": f"{a},{b}", "limit": 500}).json()
        assert between["total"] >= 1
        assert all({a, b} <= set(e["countries"]) for e in between["items"])
        timeline = api.get("/api/timeline", params={"a": a, "b": b}).json()
        assert timeline["total"] == between["total"]
        dates = [e["date"] for e in timeline["items"] if e["date"]]
        assert dates == sorted(dates)


def test_event_shows_its_sources_with_evidence(api):
    e = api.get("/api/events", params={"person": "Ebrard"}).json()["items"][0]
    detail = api.get(f"/api/events/{e['id']}").json()
    assert detail["event"]["id"] == e["id"]
    assert len(detail["sources"]) == e["n_sources"] >= 1
    src = detail["sources"][0]
    doc = api.get(f"/api/documents/{src['document']['id']}").json()
    for (s, end), text in zip(src["evidence"], src["evidence_text"], strict=True):
        assert doc["text"][s:end] == text


def test_document_carries_spans_into_its_text(api):
    doc_id = api.get("/api/search", params={"q": "Ebrard"}).json()["documents"]["items"][0]["document"]["id"]
    doc = api.get(f"/api/documents/{doc_id}").json()
    assert doc["persons"] and doc["events"]
    for m in doc["persons"]:
        for s, e in m["spans"]:
            assert 0 <= s < e <= len(doc["text"])
    assert any("Ebrard" in doc["text"][s:e] for m in doc["persons"] for s, e in m["spans"])


def test_network_links_people_who_met(api):
    net = api.get("/api/network").json()
    assert net["nodes"] and net["edges"] and net["total_edges"] >= len(net["edges"])
    ids = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids and e["n_events"] >= 1 for e in net["edges"])
    eid = ebrard_id(api)
    assert any(eid in (e["source"], e["target"]) for e in net["edges"])
    small = api.get("/api/network", params={"max_edges": 2}).json()
    assert len(small["edges"]) == 2 and small["total_edges"] == net["total_edges"]


def test_network_country_filter_keeps_that_country(client):
    net = client.get("/api/network").json()
    countries = {n["country"] for n in net["nodes"] if n["country"]}
    if not countries:
        pytest.skip("the extractor gave no person a country in the dev set")
    c = min(countries)
    sub = client.get("/api/network", params={"country": c}).json()
    by_id = {n["id"]: n for n in sub["nodes"]}
    assert sub["edges"] and all(c in (by_id[e["source"]]["country"], by_id[e["target"]]["country"])
                                for e in sub["edges"])


@pytest.mark.parametrize("url", ["/api/persons/999999", "/api/events/999999", "/api/organizations/999999",
                                 "/api/documents/999999", "/api/events?person=Nobody%20Atall"])
def test_missing_things_are_404_with_a_message(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert r.json()["error"] == "NotFound" and r.json()["detail"]


def test_bad_parameters_are_422(client):
    assert client.get("/api/events", params={"since": "yesterday"}).status_code == 422
    assert client.get("/api/events", params={"between": "MEX"}).status_code == 422
    assert client.get("/api/events", params={"limit": 0}).status_code == 422


def test_openapi_describes_every_endpoint(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in ["/api/search", "/api/persons", "/api/persons/{person_id}", "/api/organizations/{org_id}",
              "/api/events", "/api/events/{event_id}", "/api/documents/{doc}", "/api/network", "/api/timeline"]:
        assert p in paths


def test_writes_need_the_token(client):
    body = {"persons": [1, 2]}
    assert client.post("/api/persons/merge", json=body).status_code == 401
    assert client.post("/api/persons/merge", json=body,
                       headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.post("/api/documents", json={"text": "x"}).status_code == 401


def test_writing_is_forbidden_when_no_token_is_configured(dev_store):
    from fastapi.testclient import TestClient

    from readouts.web import create_app
    with TestClient(create_app(dev_store, api_token="")) as c:
        r = c.post("/api/persons/merge", json={"persons": [1, 2]}, headers={"Authorization": "Bearer x"})
    assert r.status_code == 403 and "READOUTS_API_TOKEN" in r.json()["detail"]


def test_posting_a_document_stores_it_once(client):
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    doc = {"text": "Secretary Antony Blinken spoke with Kenyan Foreign Minister Raychelle Omamo on August 2, 2021. "
                   "They discussed the crisis in Ethiopia.", "date": "2021-08-02", "external_id": "posted-1"}
    first = client.post("/api/documents", json=doc, headers=auth)
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post("/api/documents", json=doc, headers=auth)
    assert again.json() == {**first.json(), "created": False}
    stored = client.get(f"/api/documents/{first.json()['id']}").json()
    assert stored["document"]["external_id"] == "posted-1" and "Omamo" in stored["text"]


def test_cached_network_follows_new_documents(client):
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    before = client.get("/api/network", params={"max_edges": 2000}).json()
    assert not any("Omondi" in n["name"] for n in before["nodes"])
    doc = {"text": "Secretary of State Antony J. Blinken met with Kenyan Cabinet Secretary Peter Omondi Wanjala "
                   "in Nairobi on November 17, 2021. They discussed regional security.", "date": "2021-11-17"}
    assert client.post("/api/documents", json=doc, headers=auth).status_code == 201
    after = client.get("/api/network", params={"max_edges": 2000}).json()
    if client.get("/api/persons", params={"name": "Omondi"}).json()["total"] == 0:
        pytest.skip("the extractor did not find the new person")
    assert after["total_edges"] > before["total_edges"]
