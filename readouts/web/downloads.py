"""Lists as files: every event a list's filters select, as CSV or JSON, streamed a page at a time.

The rows are what the list pages and ``/api/events`` show (:func:`readouts.query.events`), under the same
filters and in the same order, so a download holds exactly what the list shows, on every page of it.
The stream reads through its own session: the request's closes when the route returns.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from readouts import query as q
from readouts.filters import EventFilter

COLUMNS = ["id", "date", "type", "status", "location", "countries", "persons", "person_ids", "organizations",
           "topics", "n_sources", "url"]
"""One row per event; list columns hold their values joined by "; " (a name never holds one)."""
T = TypeVar("T")
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def events_download(request: Request, f: EventFilter, fmt: str, *, oldest_first: bool = False,
                    name: str = "events") -> StreamingResponse:
    rows = _events(request, f, oldest_first)
    body = _csv(rows, str(request.base_url)) if fmt == "csv" else _json(rows)
    return StreamingResponse(body, media_type=FORMATS[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _events(request: Request, f: EventFilter, oldest_first: bool) -> Iterator[q.EventSummary]:
    with request.app.state.store.session() as session:
        for chunk in q.event_chunks(session, f, oldest_first=oldest_first):
            yield from chunk


def _csv(rows: Iterator[q.EventSummary], base: str) -> Iterator[str]:
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(COLUMNS)
    for n, e in enumerate(rows, 1):
        out.writerow([e.id, e.date or "", e.type, e.status, inert(e.location or ""), "; ".join(e.countries),
                      inert("; ".join(p.name for p in e.persons)), "; ".join(str(p.id) for p in e.persons),
                      inert("; ".join(o.name for o in e.organizations)), inert("; ".join(e.topics)), e.n_sources,
                      f"{base}events/{e.id}"])
        if n % 100 == 0:
            yield _drain(buf)
    yield _drain(buf)


def inert(text: str) -> str:
    """Text from a document as a spreadsheet reads it: one starting like a formula ("=HYPERLINK(…)") gets
    a leading apostrophe, so that opening the CSV cannot run it (OWASP's advice on CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _drain(buf: io.StringIO) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text


def _json(rows: Iterator[q.EventSummary]) -> Iterator[str]:
    yield "["
    for n, e in enumerate(rows):
        yield ("," if n else "") + json.dumps(dataclasses.asdict(e), ensure_ascii=False)
    yield "]"


def rows_download(rows: Iterator[Mapping[str, object]], columns: list[str], fmt: str, name: str) -> StreamingResponse:
    """Any list as a file: ``rows`` (dicts with ``columns``) as CSV, or as a JSON array of the dicts."""
    body = _csv_rows(rows, columns) if fmt == "csv" else _json_rows(rows)
    return StreamingResponse(body, media_type=FORMATS[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _csv_rows(rows: Iterator[Mapping[str, object]], columns: list[str]) -> Iterator[str]:
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(columns)
    for n, row in enumerate(rows, 1):
        out.writerow([inert(v) if isinstance(v, str) else ("" if v is None else v) for v in (row[c] for c in columns)])
        if n % 100 == 0:
            yield _drain(buf)
    yield _drain(buf)


def _json_rows(rows: Iterator[Mapping[str, object]]) -> Iterator[str]:
    yield "["
    for n, row in enumerate(rows):
        yield ("," if n else "") + json.dumps(row, ensure_ascii=False)
    yield "]"


def paged(request: Request, fetch: Callable[[Session, int], q.Page[T]]) -> Iterator[T]:
    """Every item of a paged list, a page of :data:`readouts.query.MAX_LIMIT` at a time, in its own session."""
    with request.app.state.store.session() as session:
        offset = 0
        while True:
            page = fetch(session, offset)
            yield from page.items
            offset += len(page.items)
            if not page.items or (offset >= page.total and not page.estimated):  # an estimate may be low
                return
