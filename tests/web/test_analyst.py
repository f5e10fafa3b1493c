"""Issue #14, server side: the person filter never picks one of several persons, delegations, each event's
evidence with its own anchor, participants' stated titles, source links, visible filters with counts, and
downloads of exactly what a list shows."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from tests.web.test_query_lookups import _all

AMBIGUOUS = "gonzalez"  # the dev set's "Ana González Barrera" (Pew) and "Juan González" (NSC)


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the text inside chosen elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def all_items(api, url: str, **params) -> list[dict]:
    return _all(api, url, **params)


def document_id(api, name: str) -> int:
    docs = api.get("/api/documents", params={"limit": 500}).json()["items"]
    return next(d["id"] for d in docs if (d["source"] or "").endswith(name))


# --- 1. the person filter -----------------------------------------------------------------------

def test_a_name_several_persons_answer_to_is_refused_with_the_candidates(api):
    r = api.get("/api/events", params={"person": AMBIGUOUS})
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["error"] == "AmbiguousPerson" and body["detail"]
    names = {c["name"] for c in body["candidates"]}
    assert {"Ana González Barrera", "Juan González"} <= names and body["total"] == len(body["candidates"])
    assert api.get("/api/events.csv", params={"person": AMBIGUOUS}).status_code == 400


def test_an_ambiguous_name_on_the_events_page_lists_the_candidates_to_choose(client):
    r = client.get("/events", params={"person": AMBIGUOUS, "type": "meeting"})
    assert r.status_code == 200
    found = client.get("/api/persons", params={"name": AMBIGUOUS}).json()["items"]
    links = [a["href"] for t, a in tags(r.text) if t == "a" and "person" in (a.get("class") or "")]
    for p in found:
        assert p["name"] in r.text
        assert any(f"person={p['id']}" in h and "type=meeting" in h for h in links), links
    assert 'class="events"' not in r.text  # no list until one is chosen


def test_an_id_or_a_name_only_one_person_answers_to_filters_by_that_person(api):
    juan = next(p for p in api.get("/api/persons", params={"name": AMBIGUOUS}).json()["items"]
                if p["name"] == "Juan González")
    by_id = api.get("/api/events", params={"person": juan["id"]}).json()
    assert api.get("/api/events", params={"person": "Juan Gonzalez"}).json() == by_id  # his exact full name
    ebrard = api.get("/api/persons", params={"name": "ebrard"}).json()["items"][0]["id"]
    by_id = api.get("/api/events", params={"person": ebrard}).json()
    assert api.get("/api/events", params={"person": "Ebrard"}).json() == by_id and by_id["total"] >= 1
    assert all(any(p["id"] == ebrard for p in e["persons"]) for e in by_id["items"])


# --- 2. delegations -----------------------------------------------------------------------------

def test_a_delegation_appears_on_the_seed_documents_page(api):
    doc = document_id(api, "seed-000.txt")
    dels = {d["country"]: d for d in api.get(f"/api/documents/{doc}").json()["delegations"]}
    assert {"MEX", "USA"} <= set(dels)
    mex = {m["name"]: m for m in dels["MEX"]["members"]}
    assert "Esteban Moctezuma Barragán" in mex and mex["Esteban Moctezuma Barragán"]["titles"]
    html = api.get(f"/documents/{doc}").text
    block = html[html.index('class="delegation"'):]
    assert "Esteban Moctezuma Barragán" in block and "Ambassador to the United States" in block
    assert "Liz Sherwood-Randall" in block


def test_delegations_on_the_person_and_event_pages_with_who_led(api):
    doc = document_id(api, "uswh-583cc9548d1b.txt")
    (dl,) = api.get(f"/api/documents/{doc}").json()["delegations"]
    assert dl["country"] == "USA" and dl["leader"]["name"] == "Alice P. Albright"  # "… will lead the delegation"
    albright = dl["leader"]["person"]["id"]
    assert "Led by" in api.get(f"/persons/{albright}").text
    event_ids = {r["event_id"] for r in api.get(f"/api/documents/{doc}").json()["events"] if r["event_id"]}
    shown = [api.get(f"/api/events/{e}").json()["delegations"] for e in event_ids]
    assert any(d and d[0]["leader"]["name"] == "Alice P. Albright" for d in shown)
    assert any("Thomas Daley" in api.get(f"/events/{e}").text for e in event_ids)


# --- 3. evidence: own colour and anchor; stated titles ------------------------------------------

def test_each_events_evidence_has_its_own_anchor_and_colour(client):
    doc = max((d["id"] for d in client.get("/api/documents", params={"limit": 500}).json()["items"]),
              key=lambda d: len(client.get(f"/api/documents/{d}").json()["events"]))
    reports = [r for r in client.get(f"/api/documents/{doc}").json()["events"] if r["evidence"]]
    assert len(reports) >= 2
    marks = [a for t, a in tags(client.get(f"/documents/{doc}").text) if t == "mark" and "hl-evidence" in a["class"]]
    ids = [a["id"] for a in marks if a.get("id")]
    assert sorted(ids) == sorted(f"report-{r['report_id']}" for r in reports)
    colour = {a["id"]: re.search(r"\bev-\d\b", a["class"]).group() for a in marks if a.get("id")}
    assert len(set(colour.values())) == min(len(reports), 8)


def test_read_in_context_links_to_the_sentence_and_participants_show_stated_titles(client):
    ebrard = client.get("/api/persons", params={"name": "ebrard"}).json()["items"][0]["id"]
    event = client.get("/api/events", params={"person": ebrard}).json()["items"][0]
    detail = client.get(f"/api/events/{event['id']}").json()
    html = client.get(f"/events/{event['id']}").text
    for s in detail["sources"]:
        href = f"/documents/{s['document']['id']}#report-{s['report_id']}"
        assert f'href="{href}"' in html
        assert f'id="report-{s["report_id"]}"' in client.get(href.split("#")[0]).text
    titled = [(p["name"], t) for s in detail["sources"] for p in s["participants"] for t in p["titles"]]
    assert titled, detail["sources"]
    assert all(t in html for _, t in titled)


# --- 4. source links ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def url_store(tmp_path_factory) -> str:
    from readouts.store import open_store
    from readouts.store.pipeline import ingest

    base = tmp_path_factory.mktemp("urls")
    text = "Secretary of State Antony J. Blinken met Mexican Foreign Secretary Marcelo Ebrard on July 14, 2021."
    rows = [{"id": "web-1", "title": "A readout", "date": "2021-07-14", "url": "https://www.state.gov/readout-1",
             "text": text},
            {"id": "web-2", "title": "Another", "date": "2021-07-15", "url": "javascript:alert(1)",
             "text": text.replace("July 14", "July 15")}]
    (base / "docs.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    url = f"sqlite:///{base / 'r.db'}"
    with open_store(url) as store:
        assert not ingest(store, [base / "docs.jsonl"]).failed
    return url


def test_a_source_url_is_a_link_only_when_http(url_store):
    from fastapi.testclient import TestClient

    from readouts.web import create_app
    with TestClient(create_app(url_store)) as c:
        good = [a for t, a in tags(c.get("/documents/web-1").text) if t == "a" and a.get("class") == "source-url"]
        assert good == [{"class": "source-url", "href": "https://www.state.gov/readout-1",
                         "rel": "noopener noreferrer", "target": "_blank"}]
        bad = c.get("/documents/web-2").text
        assert not any(t == "a" and (a.get("href") or "").startswith("javascript") for t, a in tags(bad))
        assert "javascript:alert(1)" in bad  # shown as text


# --- 5. filters, counts, downloads --------------------------------------------------------------

def test_the_pair_filter_stays_visible_and_editable(client):
    html = client.get("/events", params={"between": "MEX,USA"}).text
    inputs = {a["name"]: a.get("value") for t, a in tags(html) if t == "input" and a.get("name")}
    assert inputs["between"] == "MEX,USA"
    assert "between: MEX,USA" in html  # the active-filter chip


def test_filter_values_show_how_many_events_each_gives(api):
    html = api.get("/events", params={"between": "MEX,USA"}).text
    for kind in ["type", "topic"]:
        options = re.findall(rf'<select name="{kind}">(.*?)</select>', html, re.DOTALL)[0]
        pairs = re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+)\)</option>', options)
        assert pairs
        for value, n in pairs:
            total = api.get("/api/events", params={"between": "MEX,USA", kind: value}).json()["total"]
            assert total == int(n), (kind, value)


@pytest.mark.parametrize("first_chunk", [100, 2])
@pytest.mark.parametrize("params", [{}, {"between": "MEX,USA"}, {"type": "meeting", "since": "2021-01-01"}])
def test_downloads_hold_exactly_what_the_list_shows(api, params, first_chunk, monkeypatch):
    from readouts import query

    monkeypatch.setattr(query, "FIRST_CHUNK", first_chunk)  # 2: the seam between the first chunk and the next
    html = api.get("/events", params=params).text
    links = {a["href"] for t, a in tags(html) if t == "a" and "download" in a}
    assert {h.split("?")[0] for h in links} == {"/api/events.csv", "/api/events.json"}
    shown = [e["id"] for e in all_items(api, "/api/events", **params)]
    for href in links:
        r = api.get(href)
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
        if href.startswith("/api/events.csv"):
            rows = list(csv.DictReader(io.StringIO(r.text)))
            assert [int(row["id"]) for row in rows] == shown
        else:
            assert [e["id"] for e in r.json()] == shown
            assert r.json() == all_items(api, "/api/events", **params)


def test_timeline_download_is_the_timeline(api):
    shown = [e["id"] for e in all_items(api, "/api/timeline", a="MEX", b="USA")]
    assert shown and [e["id"] for e in api.get("/api/timeline.json?a=MEX&b=USA").json()] == shown
    assert 'href="/api/timeline.csv?a=MEX&amp;b=USA"' in api.get("/timeline?a=MEX&b=USA").text


def test_the_country_matrix_counts_the_pairs_events(api):
    m = api.get("/api/matrix").json()
    assert m["cells"]
    for c in m["cells"]:
        assert c["a"] < c["b"]
        assert api.get("/api/events", params={"between": f"{c['a']},{c['b']}"}).json()["total"] == c["n_events"]
    assert "MEX – USA" in api.get("/matrix").text


def test_a_download_cell_cannot_be_a_spreadsheet_formula():
    from readouts.web.downloads import inert
    assert inert('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert inert("@SUM(A1)").startswith("'") and inert("Antony J. Blinken") == "Antony J. Blinken"


# --- one error style: unknown values, pages past the end, a missing person ----------------------

@pytest.mark.parametrize(("url", "listed"), [("/api/events?country=ZZZ", "MEX"), ("/api/events?topic=nonexistent", "migration"),
                                             ("/api/events?between=MEX,ZZZ", "USA"), ("/api/timeline?a=MEX&b=ZZZ", "USA"),
                                             ("/api/network?topic=nonexistent", "migration")])
def test_an_unknown_filter_value_is_a_400_listing_what_exists(client, url, listed):
    r = client.get(url)
    assert r.status_code == 400 and set(r.json()) == {"error", "detail"}
    assert listed in r.json()["detail"]
    page = client.get(url.replace("/api", ""))
    assert page.status_code == 400 and "text/html" in page.headers["content-type"] and listed in page.text


def test_a_page_past_the_end_says_so(client):
    html = client.get("/events", params={"offset": 99999}).text
    total = client.get("/api/events").json()["total"]
    assert f"past the end of the list: it has {total} items" in html and "100000–" not in html


def test_a_missing_person_points_to_the_webs_search_not_the_cli(client):
    for url in ["/persons/999999", "/api/persons/999999"]:
        r = client.get(url)
        assert r.status_code == 404 and "/persons?name=" in r.text and "readouts person" not in r.text


def _download_links(html: str) -> list[str]:
    return [a["href"] for t, a in tags(html) if t == "a" and "download" in a]


def _file_ids(api, href: str, key: str) -> list:
    r = api.get(href)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"], href
    if ".csv" in href:
        return [row[key] for row in csv.DictReader(io.StringIO(r.text))]
    return [str(row[key]) for row in r.json()]


def test_persons_and_search_downloads_hold_the_whole_list(api):
    persons = [str(p["id"]) for p in all_items(api, "/api/persons", name="a")]
    links = _download_links(api.get("/persons", params={"name": "a"}).text)
    assert len(links) == 2 and all(_file_ids(api, h, "id") == persons for h in links)
    hits = [str(h["document"]["id"]) for h in api.get("/api/search", params={"q": "Ebrard", "limit": 500})
            .json()["documents"]["items"]]
    links = _download_links(api.get("/", params={"q": "Ebrard"}).text)
    assert hits and len(links) == 2 and all(_file_ids(api, h, "id") == hits for h in links)


def test_network_download_holds_the_links_the_graph_draws(api):
    topic = api.get("/api/facets").json()["topics"][0]
    for params in [{}, {"topic": topic}]:
        net = api.get("/api/network", params=params).json()
        edges = [f"{e['source']}-{e['target']}" for e in net["edges"]]
        for fmt in ["csv", "json"]:
            r = api.get(f"/api/network.{fmt}", params=params)
            rows = list(csv.DictReader(io.StringIO(r.text))) if fmt == "csv" else r.json()
            assert [f"{x['source']}-{x['target']}" for x in rows] == edges


def test_timeline_and_network_menus_show_how_many_events_each_value_gives(api):
    html = api.get("/timeline", params={"a": "MEX", "b": "USA"}).text
    b_menu = re.findall(r'<select name="b">(.*?)</select>', html, re.DOTALL)[0]
    shown = dict(re.findall(r'<option value="([A-Z]{3})"[^>]*>[A-Z]{3} \((\d+) with MEX\)', b_menu))
    assert shown["USA"] == str(api.get("/api/timeline", params={"a": "MEX", "b": "USA"}).json()["total"])
    html = api.get("/network").text
    topic, n = re.findall(r'<option value="([^"]+)"[^>]*>[^<]*\((\d+) events\)', html)[0]
    assert api.get("/api/events", params={"topic": topic}).json()["total"] == int(n)
