"""The FastAPI app factory: the store, the error handler, the write token, the routers.

Errors are translated here and only here: a :class:`readouts.errors.ReadoutsError` carries its
HTTP status, and one handler turns it into JSON for ``/api/`` and an error page elsewhere.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from readouts import __version__
from readouts.errors import ReadoutsError

HERE = Path(__file__).resolve().parent


def create_app(db_url: str, *, api_token: str | None = None) -> FastAPI:
    """The app over the store at ``db_url``; write endpoints need ``api_token`` (else READOUTS_API_TOKEN)."""
    from readouts import settings
    from readouts.store import open_store
    from readouts.web import api, pages

    store = open_store(db_url)
    app = FastAPI(title="readouts", version=__version__,
                  description="Diplomatic engagements extracted from press releases: persons, "
                              "organizations, events and the documents that report them.",
                  docs_url=None, openapi_url="/api/openapi.json", redoc_url=None)
    app.state.store = store
    app.state.api_token = api_token if api_token is not None else settings.get("api_token")
    app.state.templates = _templates()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_api_route("/api/docs", _swagger_ui, include_in_schema=False)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(ReadoutsError, _readouts_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.router.on_shutdown.append(store.close)
    return app


def _swagger_ui() -> HTMLResponse:
    from fastapi.openapi.docs import get_swagger_ui_html
    # The vendored copy, not FastAPI's default CDN: the server may have no internet.
    return get_swagger_ui_html(openapi_url="/api/openapi.json", title="readouts API",
                               swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                               swagger_css_url="/static/vendor/swagger-ui.css", swagger_favicon_url="")


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.autoescape = True  # every template, whatever its suffix: documents are untrusted
    return templates


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.store.session() as s:
        yield s


_bearer = HTTPBearer(auto_error=False, description="The API token (settings api_token / READOUTS_API_TOKEN)")


def require_token(request: Request,
                  cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Guard for write endpoints: 401 without a token, 403 with a wrong one or when none is configured."""
    expected = request.app.state.api_token
    if cred is None:
        raise HTTPException(401, "this endpoint writes to the store: send Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    if not expected or not secrets.compare_digest(cred.credentials.encode(), str(expected).encode()):
        raise HTTPException(403, "wrong API token" if expected else
                            "writing is disabled: the server has no API token (set READOUTS_API_TOKEN)")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _readouts_error(request: Request, exc: ReadoutsError) -> Response:
    return _error(request, exc.http_status, str(exc), type(exc).__name__)


def _http_error(request: Request, exc: HTTPException) -> Response:
    resp = _error(request, exc.status_code, str(exc.detail), "HTTPError")
    for k, v in (exc.headers or {}).items():
        resp.headers[k] = v
    return resp


def _error(request: Request, status: int, message: str, kind: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": kind, "detail": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return HTMLResponse(templates.get_template("error.html").render(
        request=request, status=status, message=message, title=f"{status}"), status_code=status)
