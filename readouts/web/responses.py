"""How every answer leaves: one error shape, and the security headers.

Errors are translated here and only here. Under ``/api/`` an error is JSON ``{"error": kind, "detail":
message}`` with its HTTP status; elsewhere it is the error page. A :class:`readouts.errors.ReadoutsError`
carries its status; one raised on purpose with no more specific class is the request's fault (4xx).
"""
from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from readouts.errors import ReadoutsError
from readouts.query import AmbiguousPerson

CSP_DIRECTIVES = (
    "default-src 'none'",
    "script-src 'self'",  # the vendored vis-network and swagger-ui, our own scripts; nothing inline
    "style-src 'self' 'unsafe-inline'",  # vis-network adds a <style> element, swagger-ui style attributes
    "img-src 'self' data:",  # the vendored stylesheets draw icons from data: URIs
    "connect-src 'self'",  # the network page and swagger-ui fetch the API
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)
CONTENT_SECURITY_POLICY = "; ".join(CSP_DIRECTIVES)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}

KINDS = {413: "ContentTooLarge"}  # RFC 9110's name; Python's phrase for it changed in 3.13


def install(app: FastAPI) -> None:
    app.add_exception_handler(ReadoutsError, _readouts_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


def error_response(request: Request, status: int, message: str, kind: str | None = None,
                   headers: Mapping[str, str] | None = None, extra: Mapping[str, Any] | None = None) -> Response:
    """The error as JSON under /api/ (``extra`` beside ``error`` and ``detail``), else as the error page."""
    kind = kind or KINDS.get(status) or HTTPStatus(status).phrase.replace(" ", "").replace("-", "")
    resp: Response
    if request.url.path.startswith("/api/"):
        resp = JSONResponse(jsonable_encoder({"error": kind, "detail": message, **(extra or {})}),
                            status_code=status)
    else:
        request.scope.setdefault("router", request.app.router)  # url_for in the page, also before routing
        html = request.app.state.templates.get_template("error.html").render(
            request=request, status=status, kind=kind, message=message, extra=extra or {},
            title=f"{status} {HTTPStatus(status).phrase}")
        resp = HTMLResponse(html, status_code=status)
    # Also here, not only in the guard: an unexpected error is answered outside the middleware stack.
    resp.headers.update({**SECURITY_HEADERS, **(headers or {})})
    return resp


def status_of(exc: ReadoutsError) -> int:
    return 400 if exc.http_status == 500 else exc.http_status


def _readouts_error(request: Request, exc: ReadoutsError) -> Response:
    extra = None
    if isinstance(exc, AmbiguousPerson):
        extra = {"candidates": exc.candidates.items, "total": exc.candidates.total}
    return error_response(request, status_of(exc), str(exc), type(exc).__name__, extra=extra)


def _http_error(request: Request, exc: HTTPException) -> Response:
    return error_response(request, exc.status_code, str(exc.detail), headers=exc.headers)


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    return error_response(request, 422, "; ".join(_problem(e) for e in exc.errors()), "ValidationError")


def _problem(error: dict[str, Any]) -> str:
    where, *field = error.get("loc") or ("request",)
    name = ".".join(str(part) for part in field)
    return f"{where} {name}: {error.get('msg')}" if name else f"{where}: {error.get('msg')}"


def _unexpected(request: Request, exc: Exception) -> Response:
    # Starlette re-raises the exception after this answer, so the server logs its traceback.
    return error_response(request, 500, "unexpected error on the server; it has been logged")
