"""Ordinary mistakes are 4xx in the documented shape, never 500; a write is refused on its headers before
its body is read; every response carries the security headers.

Tests taking ``api`` run on the SQLite and the PostgreSQL store of the dev set."""
from __future__ import annotations

import ast
import contextlib
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import anyio
import pytest

from tests.web.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
MAX_ID = 2**31 - 1  # the id columns are INTEGER: 32 bits on PostgreSQL
MAX_OFFSET = 2**31 - 1
PAST_64_BITS = "99999999999999999999"
BY_ID = ["/api/persons/{}", "/api/organizations/{}", "/api/events/{}", "/api/documents/{}",
         "/api/events?person={}"]
LISTS = ["/api/search?q=Ebrard", "/api/documents", "/api/persons?name=a", "/api/organizations?name=a",
         "/api/events", "/api/events?type=call", "/api/timeline?a=MEX&b=USA"]
PAGES_BY_ID = ["/persons/{}", "/organizations/{}", "/events/{}", "/documents/{}"]
WEB = Path(__file__).resolve().parents[2] / "readouts" / "web"


def api_error(r, status: int, kind: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"error", "detail"} and body["error"] and body["detail"], body
    if kind is not None:
        assert body["error"] == kind, body
    return body


def error_page(r, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("text/html")
    assert f"<h1>{status} " in r.text and '<p class="error">' in r.text
    assert "/static/style.css" in r.text  # the site's own page, styled, with its header and search
    return r.text


# --- ids and pages are bounded -------------------------------------------------------------------

@pytest.mark.parametrize("url", BY_ID)
def test_ids_are_ascii_digits_up_to_what_the_id_column_holds(api, url):
    api_error(api.get(url.format(MAX_ID)), 404, "NotFound")
    for bad in [str(MAX_ID + 1), PAST_64_BITS, "²", "١٢"]:
        api_error(api.get(url.format(quote(bad))), 422, "ValidationError")


@pytest.mark.parametrize("bad", ["1_0", "+1", "-1", "%201", "0x1"])
@pytest.mark.parametrize("url", BY_ID[:3])
def test_numeric_ids_are_plain_ascii_digits(client, url, bad):
    api_error(client.get(url.format(bad)), 422, "ValidationError")


@pytest.mark.parametrize("url", LISTS)
def test_offsets_and_limits_are_bounded(api, url):
    sep = "&" if "?" in url else "?"
    r = api.get(f"{url}{sep}offset={MAX_OFFSET}")
    assert r.status_code == 200, r.text
    page = r.json()["documents"] if url.startswith("/api/search") else r.json()
    assert page["items"] == [] and page["offset"] == MAX_OFFSET
    for param in ["offset", "limit"]:
        for bad in [str(MAX_OFFSET + 1), PAST_64_BITS, "²"]:
            api_error(api.get(f"{url}{sep}{param}={quote(bad)}"), 422, "ValidationError")


def test_a_persons_event_pages_are_bounded_too(client):
    pid = client.get("/api/persons", params={"name": "ebrard"}).json()["items"][0]["id"]
    api_error(client.get(f"/api/persons/{pid}", params={"offset": PAST_64_BITS}), 422)
    assert client.get(f"/api/persons/{pid}", params={"offset": MAX_OFFSET}).json()["events"]["items"] == []


def test_an_impossible_date_is_422(client):
    api_error(client.get("/api/events", params={"since": "2021-02-30"}), 422, "ValidationError")


@pytest.mark.parametrize("url", ["/api/search?q=a%00b", "/api/persons?name=%00", "/api/events?person=Eb%00",
                                 "/api/events?topic=%00", "/api/documents/a%00b", "/api/organizations?name=x%00",
                                 "/api/network?topic=%00"])
def test_a_nul_in_the_url_is_400(api, url):
    api_error(api.get(url), 400, "BadRequest")


# --- browser pages answer with the error page ----------------------------------------------------

@pytest.mark.parametrize("bad", [PAST_64_BITS, "²"])
@pytest.mark.parametrize("url", PAGES_BY_ID)
def test_pages_with_a_bad_id_show_the_error_page(client, url, bad):
    error_page(client.get(url.format(quote(bad))), 422)


@pytest.mark.parametrize("url", [f"/?q=Ebrard&offset={PAST_64_BITS}", f"/events?offset={PAST_64_BITS}",
                                 "/events?since=yesterday", "/persons"])
def test_pages_with_bad_parameters_show_the_error_page(client, url):
    error_page(client.get(url), 422)


def test_other_page_errors_show_the_error_page(client):
    assert "no person" in error_page(client.get(f"/persons/{MAX_ID}"), 404)
    error_page(client.get("/no/such/page"), 404)
    error_page(client.get("/?q=%00"), 400)
    error_page(client.get("/static/%00"), 400)


# --- every API error has the documented shape ----------------------------------------------------

def test_api_errors_have_the_documented_shape(client):
    api_error(client.get("/api/no-such-thing"), 404, "NotFound")
    api_error(client.post("/api/search", headers=AUTH), 405, "MethodNotAllowed")
    detail = api_error(client.get("/api/events", params={"limit": 0}), 422, "ValidationError")["detail"]
    assert "limit" in detail
    api_error(client.post("/api/persons/merge", content=b"{", headers={**AUTH, "content-type": "application/json"}),
              422, "ValidationError")


def test_every_readouts_error_is_a_client_error_but_the_stores_own():
    from readouts import errors
    from readouts.web.responses import status_of

    def classes(cls):
        yield cls
        for sub in cls.__subclasses__():
            yield from classes(sub)
    for cls in classes(errors.ReadoutsError):
        status = status_of(cls("x"))
        assert 400 <= status < 500 or (issubclass(cls, errors.StoreError) and status == 503), cls


def test_an_unexpected_error_is_a_500_in_the_same_shape(app, monkeypatch):
    from fastapi.testclient import TestClient

    from readouts import query

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")
    monkeypatch.setattr(query, "countries", broken)
    c = TestClient(app, raise_server_exceptions=False)  # no `with`: the session's client owns the lifespan
    body = api_error(c.get("/api/facets"), 500, "InternalServerError")
    assert "a bug" not in body["detail"]
    assert c.get("/api/facets").headers["x-frame-options"] == "DENY"
    error_page(c.get("/network"), 500)


# --- writes --------------------------------------------------------------------------------------

def documents_total(client) -> int:
    return client.get("/api/documents", params={"limit": 1}).json()["total"]


def post_json(client, body: str, headers: dict | None = None):
    return client.post("/api/documents", content=body.encode("utf-8", "surrogatepass"),
                       headers={**AUTH, "content-type": "application/json", **(headers or {})})


def test_posted_text_meets_the_limits_of_ingest(client, monkeypatch):
    before = documents_total(client)
    api_error(client.post("/api/documents", json={"text": "a" * 1_000_001}, headers=AUTH), 413, "TooLarge")
    monkeypatch.setenv("READOUTS_MAX_DOCUMENT_BYTES", "1000")
    api_error(client.post("/api/documents", json={"text": "é" * 501}, headers=AUTH), 413, "TooLarge")
    api_error(client.post("/api/documents", json={"text": " \n\t "}, headers=AUTH), 400, "EmptyDocument")
    api_error(client.post("/api/documents", json={"text": "Minister\x00Blinken"}, headers=AUTH), 400, "NotText")
    api_error(post_json(client, '{"text": "Secretary Blinken \\ud800 met"}'), 422)
    assert documents_total(client) == before


@pytest.mark.parametrize("field,value", [("title", '"\\udc00"'), ("source", '"a\\u0000b"'),
                                         ("external_id", '"' + "x" * 201 + '"'), ("external_id", '""'),
                                         ("date", '"2021-02-30"'), ("date", '"yesterday"')])
def test_posted_metadata_that_no_store_can_hold_is_422(client, field, value):
    r = post_json(client, f'{{"text": "Secretary Blinken met Foreign Minister Ebrard.", "{field}": {value}}}')
    assert field in api_error(r, 422, "ValidationError")["detail"]


def test_merge_ids_are_bounded_and_not_booleans(client):
    for persons in [[1, MAX_ID + 1], [True, 2], ["1", 2]]:
        api_error(client.post("/api/persons/merge", json={"persons": persons}, headers=AUTH), 422)
    api_error(client.post(f"/api/persons/{PAST_64_BITS}/split", json={"names": ["x"]}, headers=AUTH), 422)


@pytest.fixture()
def scratch_client(dev_store, tmp_path):
    """A client over a copy of the dev-set store, for writes the other tests must not see."""
    from fastapi.testclient import TestClient

    from readouts.web import create_app
    copy = tmp_path / "copy.db"
    with contextlib.closing(sqlite3.connect(dev_store.removeprefix("sqlite:///"))) as src, \
            contextlib.closing(sqlite3.connect(copy)) as dst:
        src.backup(dst)
    with TestClient(create_app(f"sqlite:///{copy}", api_token=API_TOKEN)) as c:
        yield c


def person_id(client, name: str) -> int:
    return client.get("/api/persons", params={"name": name}).json()["items"][0]["id"]


def test_merging_persons_already_merged_is_409(scratch_client):
    ids = [person_id(scratch_client, "ebrard"), person_id(scratch_client, "blinken")]
    assert scratch_client.post("/api/persons/merge", json={"persons": ids}, headers=AUTH).status_code == 200
    again = scratch_client.post("/api/persons/merge", json={"persons": ids}, headers=AUTH)
    assert "already one person" in api_error(again, 409, "Conflict")["detail"]


def test_a_split_that_selects_nothing_is_409(scratch_client):
    pid = person_id(scratch_client, "ebrard")
    r = scratch_client.post(f"/api/persons/{pid}/split", json={"names": ["Nobody Atall"]}, headers=AUTH)
    assert "both sides" in api_error(r, 409, "Conflict")["detail"]


# --- the token before the body, and the body's size ----------------------------------------------

class Upload:
    """Drive the app at the ASGI level with a body of ``chunks`` MB (past the body limit), counting what the
    app pulls of it."""

    def __init__(self, app, headers: dict[str, str], chunks: int = 8) -> None:
        self.app, self.headers, self.chunk, self.chunks, self.pulled = app, headers, b"x" * (1 << 20), chunks, 0
        self.status, self.response_headers, self.body = 0, {}, b""

    def post(self, path: str) -> Upload:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": [(k.lower().encode(), v.encode()) for k, v in self.headers.items()],
                 "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
        with ThreadPoolExecutor(1) as thread:  # its own event loop: the browser tests hold this thread's
            thread.submit(anyio.run, self.app, scope, self.receive, self.send).result()
        return self

    async def receive(self) -> dict:
        self.pulled += 1
        return {"type": "http.request", "body": self.chunk, "more_body": self.pulled < self.chunks}

    async def send(self, message: dict) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.response_headers = {k.decode(): v.decode() for k, v in message["headers"]}
        else:
            self.body += message.get("body", b"")


TWO_HUNDRED_MB = {"content-type": "application/json", "content-length": str(200_000_000)}


@pytest.mark.parametrize("auth,status", [({}, 401), ({"authorization": "Bearer wrong"}, 403),
                                         ({"authorization": f"Basic {API_TOKEN}"}, 401)])
def test_a_write_without_the_token_is_refused_before_its_body_is_read(app, auth, status):
    up = Upload(app, {**TWO_HUNDRED_MB, **auth}).post("/api/documents")
    assert (up.status, up.pulled) == (status, 0)
    assert up.response_headers["x-frame-options"] == "DENY"


def test_a_body_declared_too_large_is_413_unread(app):
    up = Upload(app, {**TWO_HUNDRED_MB, **AUTH}).post("/api/documents")
    assert (up.status, up.pulled) == (413, 0)
    assert b"ContentTooLarge" in up.body


def test_a_streamed_body_is_cut_off_at_the_limit(app):
    chunks = app.state.max_body // (1 << 20) + 2
    up = Upload(app, {"content-type": "application/json", **AUTH}, chunks).post("/api/persons/merge")
    assert up.status == 413, up.body
    assert up.pulled < chunks
    assert up.response_headers["content-security-policy"]


def test_the_body_limit_leaves_room_for_a_document_at_its_limit_written_as_escapes(client):
    # JSON may spell each character as \\uXXXX: six bytes for one UTF-8 byte of text. This document is at
    # the size limit and so passes the body limit, to be refused (cheaply) for its NUL, not for its size.
    from readouts import settings
    limit = int(settings.get("max_document_bytes"))
    text = "\\u0001" * (limit - 1) + "\\u0000"
    api_error(post_json(client, f'{{"text": "{text}"}}'), 400, "NotText")


# --- security headers ----------------------------------------------------------------------------

def test_every_response_carries_the_security_headers(client, hostile_doc_id):
    responses = [client.get(u) for u in ["/", "/events", "/network", "/timeline", f"/documents/{hostile_doc_id}",
                                          "/api/docs", "/api/openapi.json", "/api/events", "/static/style.css",
                                          "/static/vendor/vis-network.min.js", "/api/nope", "/persons/²"]]
    responses += [client.post("/api/documents", json={"text": "x"}),
                  client.post("/api/documents", content=b"{", headers={**AUTH, "content-type": "application/json"})]
    for r in responses:
        csp = dict(d.strip().split(" ", 1) for d in r.headers["content-security-policy"].split(";"))
        assert csp["script-src"] == "'self'", r.url  # no inline or eval'd script, whatever a document holds
        assert csp["frame-ancestors"] == "'none'" and csp["default-src"] == "'none'"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"]


def test_pages_load_scripts_and_styles_only_from_files_the_policy_allows(client):
    for url in ["/", "/?q=Ebrard", "/events", "/timeline", "/network", "/api/docs", "/persons?name=ebrard",
                "/no/such/page"]:
        html = client.get(url, follow_redirects=True).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{url}: an inline <script>"
        assert not re.search(r"<[a-zA-Z][^>]*\son[a-z]+=", html), f"{url}: an inline event handler"
        for src in re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html):
            assert src.startswith(("http://testserver/static/", "/static/")), (url, src)
            assert client.get(src).status_code == 200, (url, src)


# --- the web modules import each other one way ---------------------------------------------------

def test_web_modules_import_each_other_without_a_cycle():
    modules = {p.stem for p in WEB.glob("*.py") if p.stem != "__init__"}
    graph = {m: _web_imports(WEB / f"{m}.py", modules) for m in modules}

    def visit(m: str, path: tuple[str, ...]) -> None:
        assert m not in path, " -> ".join((*path, m))
        for n in graph[m]:
            visit(n, (*path, m))
    for m in modules:
        visit(m, ())


def _web_imports(path: Path, modules: set[str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):  # also imports inside functions
        if isinstance(node, ast.ImportFrom) and node.module == "readouts.web":
            found |= {a.name for a in node.names} & modules
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("readouts.web."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("readouts.web.")}
    return found & modules
