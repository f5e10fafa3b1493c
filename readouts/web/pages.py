"""The HTML pages: the same queries as the API, rendered with Jinja2 (autoescape on)."""
from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from readouts import query as q
from readouts.filters import EventFilter
from readouts.web.deps import (
    DB,
    Country,
    DocKey,
    Id,
    IsoDate,
    Offset,
    event_filter,
    known_values,
    one_person_filter,
    person_detail,
)
from readouts.web.highlight import Highlight, highlight

EVIDENCE_COLOURS = 8
"""Each event's evidence on a document page takes one of this many colours (``ev-0`` … in style.css)."""

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = 20


def render(request: Request, template: str, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(request, template, context)


@router.get("/")
def home(request: Request, db: DB, text: Annotated[str | None, Query(alias="q")] = None,
         offset: Offset = 0) -> Response:
    if text and text.strip():
        result = q.search(db, text, limit=PAGE, offset=offset)
        hits = [(h, highlight(h.snippet, [Highlight(s, e, "match") for s, e in h.snippet_spans]))
                for h in result.documents.items]
        return render(request, "search.html", title=f"Search: {text}", result=result, hits=hits, q=text)
    return render(request, "home.html", title="readouts", recent=q.events(db, limit=10),
                  documents=q.documents(db, limit=10))


@router.get("/persons")
def person_by_name(request: Request, db: DB, name: str) -> Response:
    found = q.find_persons(db, name, limit=PAGE)
    if found.total == 1:
        return RedirectResponse(request.url_for("person_page", person_id=found.items[0].id), status_code=303)
    return render(request, "persons.html", title=f"Persons: {name}", found=found, name=name)


@router.get("/persons/{person_id}", name="person_page")
def person_page(request: Request, db: DB, person_id: Id, offset: Offset = 0) -> Response:
    p = person_detail(db, person_id, limit=PAGE, offset=offset)
    return render(request, "person.html", title=p.name, p=p)


@router.get("/organizations/{org_id}")
def organization_page(request: Request, db: DB, org_id: Id, offset: Offset = 0) -> Response:
    o = q.organization(db, org_id, limit=PAGE, offset=offset)
    return render(request, "organization.html", title=o.name, o=o)


@router.get("/events")
def events_page(request: Request, db: DB, f: Annotated[EventFilter, Depends(event_filter)],
                offset: Offset = 0) -> Response:
    try:
        chosen = one_person_filter(db, f)
    except q.AmbiguousPerson as exc:  # the choice is the page: the list waits for one of them
        return render(request, "events.html", title="Events: which person?", page=None, f=f,
                      candidates=exc.candidates, facets=q.event_facets(db, dataclasses.replace(f, person=None)))
    page = q.events(db, chosen, limit=PAGE, offset=offset)
    person = q.person_ref(db, int(chosen.person)) if chosen.person else None
    return render(request, "events.html", title="Events", page=page, f=f, person=person,
                  facets=q.event_facets(db, chosen), download_query=_query(request))


def _query(request: Request) -> str:
    """The page's filters as a query string, without its place in the list: what a download selects."""
    return str(request.url.remove_query_params("offset").query)


@router.get("/events/{event_id}")
def event_page(request: Request, db: DB, event_id: Id) -> Response:
    e = q.event(db, event_id)
    return render(request, "event.html", title=f"{e.event.type.title()} {e.event.date or ''}", e=e)


@router.get("/documents/{doc}")
def document_page(request: Request, db: DB, doc: DocKey) -> Response:
    d = q.document(db, doc)
    return render(request, "document.html", title=d.document.title or d.document.external_id or f"Document {d.document.id}", d=d,
                  body=highlight(d.text, document_highlights(d)))


def document_highlights(d: q.DocumentDetail) -> list[Highlight]:
    """Marks for a document page: each event's evidence in its own colour, its first sentence the anchor
    ``report-<id>`` that event pages link to; then organizations and persons linked to their pages."""
    marks = [Highlight(s, e, "evidence", title=f"{r.type} ({r.status})", extra_class=f"ev-{n % EVIDENCE_COLOURS}",
                       anchor=f"report-{r.report_id}" if i == 0 and r.report_id else None)
             for n, r in enumerate(d.events) for i, (s, e) in enumerate(r.evidence)]
    for m in d.organizations:
        href = f"/organizations/{m.entity.id}" if m.entity and m.entity.id else None
        marks += [Highlight(s, e, "organization", href, m.name) for s, e in m.spans]
    for m in d.persons:
        href = f"/persons/{m.entity.id}" if m.entity and m.entity.id else None
        marks += [Highlight(s, e, "person", href, m.name) for s, e in m.spans]
    return marks


@router.get("/network")
def network_page(request: Request, db: DB, country: Country = None, topic: str | None = None,
                 since: IsoDate = None, until: IsoDate = None) -> Response:
    known_values(db, topic=topic)
    return render(request, "network.html", title="Who met whom", country=(country or "").upper(),
                  topic=topic or "", since=since or "", until=until or "",
                  facets={"countries": q.countries(db), "topics": q.topics(db)},
                  topic_counts=_counts(q.event_facets(db)["topic"]))


@router.get("/timeline")
def timeline_page(request: Request, db: DB,
                  a: Annotated[str, Query(pattern="^[A-Za-z]{3}$")] = "MEX",
                  b: Annotated[str, Query(pattern="^[A-Za-z]{3}$")] = "USA",
                  since: IsoDate = None, until: IsoDate = None) -> Response:
    if {"a", "b"} & set(request.query_params):  # a pair asked for, not the page's default one
        known_values(db, countries=[a, b])
    page = q.timeline(db, a, b, since=since, until=until, limit=500)
    months: dict[str, list[q.EventSummary]] = {}
    for ev in page.items:
        months.setdefault(ev.date[:7] if ev.date else "undated", []).append(ev)
    return render(request, "timeline.html", title=f"{a.upper()} – {b.upper()}", a=a.upper(), b=b.upper(),
                  page=page, months=months, since=since or "", until=until or "",
                  countries=sorted({*q.countries(db), *(v.value for v in q.event_facets(db)["country"])}),
                  with_any=_counts(q.event_facets(db)["country"]),
                  with_a=q.countries_with(db, a),
                  download_query=_query(request))


def _counts(values: list[q.FacetValue]) -> dict[str, int]:
    return {v.value: v.n for v in values}


@router.get("/matrix")
def matrix_page(request: Request, db: DB, topic: str | None = None, since: IsoDate = None,
                until: IsoDate = None) -> Response:
    known_values(db, topic=topic)
    return render(request, "matrix.html", title="Countries × countries", topic=topic or "", since=since or "",
                  until=until or "", topics=q.topics(db),
                  m=q.country_matrix(db, since=since, until=until, topic=topic))
