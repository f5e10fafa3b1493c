"""The FastAPI app factory: the store, the guard, the error answers, the write token, the routers."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from readouts import __version__, settings
from readouts.store import open_store
from readouts.web import api, pages, responses
from readouts.web.guard import Guard

HERE = Path(__file__).resolve().parent
BODY_SLACK = 64 * 1024
"""Room in a POST body for the fields beside the document's text."""


def create_app(db_url: str, *, api_token: str | None = None) -> FastAPI:
    """The app over the store at ``db_url``; write endpoints need ``api_token`` (else READOUTS_API_TOKEN)."""
    store = open_store(db_url)
    app = FastAPI(title="readouts", version=__version__,
                  description="Diplomatic engagements extracted from press releases: persons, "
                              "organizations, events and the documents that report them.",
                  docs_url=None, openapi_url="/api/openapi.json", redoc_url=None)
    app.state.store = store
    app.state.api_token = api_token if api_token is not None else settings.get("api_token")
    app.state.templates = _templates()
    app.state.max_body = max_body_bytes()
    app.add_middleware(Guard, max_body=app.state.max_body)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_api_route("/api/docs", _swagger_ui, include_in_schema=False)
    app.include_router(api.router)
    app.include_router(pages.router)
    responses.install(app)
    app.router.on_shutdown.append(store.close)
    return app


def max_body_bytes() -> int:
    """The largest request body read: a document at the size limit, even with every character written as
    a JSON ``\\uXXXX`` escape (six bytes for what UTF-8 stores in one to three), and the other fields."""
    return 6 * int(settings.get("max_document_bytes")) + BODY_SLACK  # type: ignore[call-overload]


def _swagger_ui(request: Request) -> Response:
    # The vendored copy, not a CDN (the server may have no internet), started from a file, not an
    # inline script, so that the Content-Security-Policy can forbid inline scripts.
    templates: Jinja2Templates = request.app.state.templates
    return HTMLResponse(templates.get_template("api_docs.html").render(request=request,
                                                                       openapi_url=request.app.openapi_url))


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.autoescape = True  # every template, whatever its suffix: documents are untrusted
    templates.env.filters["web_url"] = web_url
    return templates


def web_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL with a host, the only sources a page links out to; else None
    (a file path, ``javascript:``, ``data:``)."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None
