"""The HTML pages: the same queries as the API, rendered with Jinja2 (autoescape on)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from readouts import query as q
from readouts.filters import EventFilter
from readouts.web.deps import DB, Country, DocKey, Id, IsoDate, Offset, event_filter
from readouts.web.highlight import Highlight, highlight

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
    p = q.person(db, person_id, limit=PAGE, offset=offset)
    return render(request, "person.html", title=p.name, p=p)


@router.get("/organizations/{org_id}")
def organization_page(request: Request, db: DB, org_id: Id, offset: Offset = 0) -> Response:
    o = q.organization(db, org_id, limit=PAGE, offset=offset)
    return render(request, "organization.html", title=o.name, o=o)


@router.get("/events")
def events_page(request: Request, db: DB, f: Annotated[EventFilter, Depends(event_filter)],
                offset: Offset = 0) -> Response:
    page = q.events(db, f, limit=PAGE, offset=offset)
    return render(request, "events.html", title="Events", page=page, f=f,
                  facets={"countries": q.countries(db), "topics": q.topics(db)})


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
    """Marks for a document page: event evidence, then organizations and persons linked to their pages."""
    marks = [Highlight(s, e, "evidence", title=f"{r.type} ({r.status})") for r in d.events for s, e in r.evidence]
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
    return render(request, "network.html", title="Who met whom", country=(country or "").upper(),
                  topic=topic or "", since=since or "", until=until or "",
                  facets={"countries": q.countries(db), "topics": q.topics(db)})


@router.get("/timeline")
def timeline_page(request: Request, db: DB,
                  a: Annotated[str, Query(pattern="^[A-Za-z]{3}$")] = "MEX",
                  b: Annotated[str, Query(pattern="^[A-Za-z]{3}$")] = "USA",
                  since: IsoDate = None, until: IsoDate = None) -> Response:
    page = q.timeline(db, a, b, since=since, until=until, limit=500)
    months: dict[str, list[q.EventSummary]] = {}
    for ev in page.items:
        months.setdefault(ev.date[:7] if ev.date else "undated", []).append(ev)
    return render(request, "timeline.html", title=f"{a.upper()} – {b.upper()}", a=a.upper(), b=b.upper(),
                  page=page, months=months, since=since or "", until=until or "",
                  countries=q.countries(db))
