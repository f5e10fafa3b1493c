"""What every request meets before any route: the URL's characters, the write token, the body's size, and
the security headers on the way out.

A request that may write (any method but GET, HEAD, OPTIONS) is refused on its headers alone when it
carries no valid token, so a client without the token cannot make the server read, let alone parse, its
body. A body is refused by its Content-Length before it is read, and while it is read as soon as it
passes the limit, so the server never holds more than ``max_body`` bytes of it.
"""
from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from readouts.web.deps import token_refusal
from readouts.web.responses import SECURITY_HEADERS, error_response

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Guard:
    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = _bad_url(scope) or _unauthorised(scope) or _declared_too_large(scope, self.max_body)
        if refusal is not None:
            request = Request(scope, receive)
            response = error_response(request, refusal.status_code, refusal.detail, headers=refusal.headers)
            await response(scope, receive, send)
            return
        await self.app(scope, _capped(receive, self.max_body), _with_security_headers(send))


def _bad_url(scope: Scope) -> HTTPException | None:
    # PostgreSQL refuses NUL in text; no name, id or search holds one on any backend.
    params = QueryParams(scope.get("query_string", b""))
    if "\x00" in scope["path"] or any("\x00" in k or "\x00" in v for k, v in params.multi_items()):
        return HTTPException(400, "the URL holds a NUL character (%00); no name, id or search term holds one")
    return None


def _unauthorised(scope: Scope) -> HTTPException | None:
    if scope["method"] in READ_ONLY_METHODS:
        return None
    return token_refusal(scope["app"].state.api_token, Headers(scope=scope).get("authorization"))


def _declared_too_large(scope: Scope, limit: int) -> HTTPException | None:
    declared = Headers(scope=scope).get("content-length")
    if declared is None:
        return None
    if not (declared.isascii() and declared.isdigit()):
        return HTTPException(400, f"Content-Length is not a number of bytes: {declared[:40]!r}")
    return _too_large(limit) if int(declared) > limit else None


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the request body is over {limit:,} bytes; a document may be at most "
                              "READOUTS_MAX_DOCUMENT_BYTES of text")


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def receiving() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)  # FastAPI lets an HTTPException from the body read through
        return message
    return receiving


def _with_security_headers(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in SECURITY_HEADERS.items():
                headers.setdefault(name, value)
        await send(message)
    return sending
