"""A store built from the dev set (real extraction), the app over it, and a real browser.

The store is built once per session with the store's own ``ingest`` on the dev set's texts,
plus one hostile document whose text carries a ``<script>`` tag.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
API_TOKEN = "test-token-123"
HOSTILE = ("Secretary of State Antony J. Blinken met Mexican Foreign Secretary Marcelo Ebrard in Washington "
           "on July 14, 2021. <script>alert(1)</script> They discussed migration and security. "
           "<img src=x onerror=\"document.title='pwned'\">")


@pytest.fixture(scope="session")
def dev_store(dev_dir, tmp_path_factory) -> str:
    """URL of a SQLite store holding the dev set and the hostile document."""
    base = tmp_path_factory.mktemp("store")
    return _ingest_dev(f"sqlite:///{base / 'readouts.db'}", dev_dir, base)


@pytest.fixture(scope="session")
def pg_dev_store(dev_dir, postgres_server, tmp_path_factory) -> str:
    """URL of a PostgreSQL store holding the same documents as ``dev_store``."""
    import psycopg

    with psycopg.connect(postgres_server + "/postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE web_dev")
    return _ingest_dev(f"{postgres_server}/web_dev", dev_dir, tmp_path_factory.mktemp("pg-store"))


def _ingest_dev(url: str, dev_dir: Path, scratch: Path) -> str:
    from readouts.store import open_store
    from readouts.store.pipeline import ingest

    hostile = scratch / "hostile-script.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    with open_store(url) as store:
        report = ingest(store, [*sorted(dev_dir.glob("*.txt")), hostile])
    assert not report.failed, report.failed
    return url


@pytest.fixture(scope="session")
def pg_client(pg_dev_store):
    from fastapi.testclient import TestClient

    from readouts.web import create_app
    with TestClient(create_app(pg_dev_store, api_token=API_TOKEN)) as c:
        yield c


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def api(request):
    """A client of the app over the dev-set store, on each backend (read-only tests)."""
    return request.getfixturevalue("client" if request.param == "sqlite" else "pg_client")


@pytest.fixture(scope="session")
def app(dev_store):
    from readouts.web import create_app
    return create_app(dev_store, api_token=API_TOKEN)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def hostile_doc_id(client) -> int:
    hits = client.get("/api/search", params={"q": "pwned onerror"}).json()["documents"]["items"]
    assert len(hits) == 1
    return hits[0]["document"]["id"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app):
    """The app served by uvicorn in a background thread on a free 127.0.0.1 port; yields its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-quic", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian's chromium; scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                               headless=os.environ.get("READOUTS_HEADFUL") != "1")
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.js_errors = errors  # type: ignore[attr-defined]
    yield p
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


