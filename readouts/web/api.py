"""The JSON API under ``/api/``: the same questions as :mod:`readouts.query`, paginated and filterable.

Read endpoints are open; the write endpoints (ingest a document, merge or split persons)
need the API token.
"""
from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator, BaseModel, Field

from readouts import query as q
from readouts.errors import InputError
from readouts.filters import EventFilter
from readouts.web import writes
from readouts.web.deps import (
    DB,
    ISO_DATE,
    MAX_ID,
    Country,
    DocKey,
    EventQuery,
    Id,
    IsoDate,
    Limit,
    Offset,
    known_values,
    person_detail,
    real_date,
    require_token,
)
from readouts.web.downloads import events_download, paged, rows_download

router = APIRouter(prefix="/api", tags=["api"])
FileFormat = Annotated[str, Path(pattern="^(csv|json)$", description="csv or json")]


@router.get("/search", response_model=q.SearchResult, summary="Full-text search, with matching persons and orgs")
def search(db: DB, text: Annotated[str, Query(alias="q", min_length=1)], limit: Limit = 20,
           offset: Offset = 0) -> Any:
    return q.search(db, text, limit=limit, offset=offset)


@router.get("/search.{fmt}", response_class=StreamingResponse,
            summary="Every document matching `q`, best first, as CSV or a JSON array (streamed)")
def search_file(request: Request, fmt: FileFormat, text: Annotated[str, Query(alias="q", min_length=1)]) -> Any:
    hits = paged(request, lambda s, offset: q.search_documents(s, text, limit=q.MAX_LIMIT, offset=offset))
    rows = ({**dataclasses.asdict(h.document), "snippet": h.snippet} for h in hits)
    return rows_download(rows, ["id", "title", "date", "source", "external_id", "snippet"], fmt, "search")


@router.get("/documents", response_model=q.Page[q.DocumentSummary], summary="Documents, newest first")
def documents(db: DB, limit: Limit = 20, offset: Offset = 0) -> Any:
    return q.documents(db, limit=limit, offset=offset)


@router.get("/documents/{doc}", response_model=q.DocumentDetail,
            summary="A document: text, persons, organizations, event evidence (with offsets)")
def document(db: DB, doc: DocKey) -> Any:
    return q.document(db, doc)


@router.get("/persons", response_model=q.Page[q.PersonSummary], summary="Persons by name (accents/case ignored)")
def persons(db: DB, name: Annotated[str, Query(min_length=1)], limit: Limit = 20, offset: Offset = 0) -> Any:
    return q.find_persons(db, name, limit=limit, offset=offset)


@router.get("/persons.{fmt}", response_class=StreamingResponse,
            summary="Every person named like `name`, as CSV or a JSON array (streamed); the order of /api/persons")
def persons_file(request: Request, fmt: FileFormat, name: Annotated[str, Query(min_length=1)]) -> Any:
    rows = (dataclasses.asdict(p) for p in
            paged(request, lambda s, offset: q.find_persons(s, name, limit=q.MAX_LIMIT, offset=offset)))
    return rows_download(rows, ["id", "name", "country", "n_documents"], fmt, "persons")


@router.get("/persons/{person_id}", response_model=q.PersonDetail,
            summary="A person: positions over time, counterparts, events (paginated), sources")
def person(db: DB, person_id: Id, limit: Limit = 20, offset: Offset = 0) -> Any:
    return person_detail(db, person_id, limit=limit, offset=offset)


@router.get("/organizations", response_model=q.Page[q.OrganizationSummary], summary="Organizations by name")
def organizations(db: DB, name: Annotated[str, Query(min_length=1)], limit: Limit = 20,
                  offset: Offset = 0) -> Any:
    return q.find_organizations(db, name, limit=limit, offset=offset)


@router.get("/organizations/{org_id}", response_model=q.OrganizationDetail, summary="An organization")
def organization(db: DB, org_id: Id, limit: Limit = 20, offset: Offset = 0) -> Any:
    return q.organization(db, org_id, limit=limit, offset=offset)


AMBIGUOUS = {400: {"description": "BadRequest, or AmbiguousPerson: the person filter's name matches several "
                                  "persons, listed in `candidates` (`total` of them); filter by one's id"}}


@router.get("/events", response_model=q.Page[q.EventSummary], summary="Events, filtered; newest first",
            responses=AMBIGUOUS)  # type: ignore[arg-type]
def events(db: DB, f: EventQuery, limit: Limit = 20, offset: Offset = 0) -> Any:
    return q.events(db, f, limit=limit, offset=offset)


@router.get("/events.{fmt}", response_class=StreamingResponse, responses=AMBIGUOUS,  # type: ignore[arg-type]
            summary="Every event the filters select, as CSV or a JSON array (streamed); the order of /api/events")
def events_file(request: Request, fmt: FileFormat, f: EventQuery) -> Any:
    return events_download(request, f, fmt)


@router.get("/event-facets", summary="Per filter (type, status, country, topic): its values with their events")
def event_facets(db: DB, f: EventQuery) -> dict[str, list[q.FacetValue]]:
    return q.event_facets(db, f)


@router.get("/matrix", response_model=q.CountryMatrix, summary="Events per pair of countries")
def matrix(db: DB, topic: str | None = None, since: IsoDate = None, until: IsoDate = None) -> Any:
    known_values(db, topic=topic)
    return q.country_matrix(db, since=since, until=until, topic=topic)


@router.get("/events/{event_id}", response_model=q.EventDetail, summary="An event and every source reporting it")
def event(db: DB, event_id: Id) -> Any:
    return q.event(db, event_id)


@router.get("/network", response_model=q.Network, summary="Who met whom, with how many events they shared")
def network(db: DB, country: Country = None, topic: str | None = None, since: IsoDate = None,
            until: IsoDate = None, max_edges: Annotated[int, Query(ge=1, le=2000)] = 300) -> Any:
    known_values(db, topic=topic)
    return q.network(db, country=country, topic=topic, since=since, until=until, max_edges=max_edges)


@router.get("/network.{fmt}", response_class=StreamingResponse,
            summary="The network's links (the same filters and max_edges), as CSV or a JSON array")
def network_file(db: DB, fmt: FileFormat, country: Country = None, topic: str | None = None, since: IsoDate = None,
                 until: IsoDate = None, max_edges: Annotated[int, Query(ge=1, le=2000)] = 300) -> Any:
    known_values(db, topic=topic)
    net = q.network(db, country=country, topic=topic, since=since, until=until, max_edges=max_edges)
    nodes = {n.id: n for n in net.nodes}
    rows = ({"source": e.source, "source_name": nodes[e.source].name, "source_country": nodes[e.source].country,
             "target": e.target, "target_name": nodes[e.target].name, "target_country": nodes[e.target].country,
             "n_events": e.n_events} for e in net.edges)
    return rows_download(rows, ["source", "source_name", "source_country", "target", "target_name",
                                "target_country", "n_events"], fmt, "network")


@router.get("/timeline", response_model=q.Page[q.EventSummary], summary="Events between two countries, oldest first")
def timeline(db: DB, a: Annotated[str, Query(pattern="^[A-Za-z]{3}$")],
             b: Annotated[str, Query(pattern="^[A-Za-z]{3}$")], since: IsoDate = None, until: IsoDate = None,
             limit: Limit = 200, offset: Offset = 0) -> Any:
    known_values(db, countries=[a, b])
    return q.timeline(db, a, b, since=since, until=until, limit=limit, offset=offset)


@router.get("/timeline.{fmt}", response_class=StreamingResponse,
            summary="Every event between two countries, oldest first, as CSV or a JSON array (streamed)")
def timeline_file(request: Request, db: DB, fmt: FileFormat,
                  a: Annotated[str, Query(pattern="^[A-Za-z]{3}$")], b: Annotated[str, Query(pattern="^[A-Za-z]{3}$")],
                  since: IsoDate = None, until: IsoDate = None) -> Any:
    known_values(db, countries=[a, b])
    f = EventFilter(between=(a.upper(), b.upper()), since=since, until=until)
    return events_download(request, f, fmt, oldest_first=True, name=f"timeline-{a.upper()}-{b.upper()}")


@router.get("/facets", summary="Countries and topics to filter by")
def facets(db: DB) -> dict[str, list[str]]:
    return {"countries": q.countries(db), "topics": q.topics(db)}


# --- writes --------------------------------------------------------------------------------------

def _storable(value: str) -> str:
    # JSON can spell what no store can hold: "\ud800" decodes to a lone surrogate, "\u0000" to NUL.
    if bad := writes.LONE_SURROGATE.search(value):
        raise ValueError(f"holds a lone surrogate (U+{ord(bad.group()):04X} at character {bad.start()}); "
                         "send valid Unicode")
    if "\x00" in value:
        raise ValueError("holds a NUL character")
    return value


Text = Annotated[str, AfterValidator(_storable)]
PersonId = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]  # strict: true is not person 1
DateText = Annotated[str, Field(pattern=ISO_DATE), AfterValidator(real_date)]


class NewDocument(BaseModel):
    text: str = Field(min_length=1, description="plain text of the release, within the limits of `readouts "
                                                "ingest` (READOUTS_MAX_DOCUMENT_BYTES, valid Unicode)")
    title: Text | None = None
    date: DateText | None = None
    source: Text | None = None
    external_id: Text | None = Field(None, min_length=1, max_length=200)


class Merge(BaseModel):
    persons: list[PersonId] = Field(min_length=2, max_length=100,
                                    description="canonical ids of one real person")
    note: Text | None = None


class Split(BaseModel):
    documents: list[Text] = Field(default_factory=list, max_length=10_000,
                                  description="documents (id, hash or source id) whose mentions of the "
                                              "person are someone else")
    names: list[Text] = Field(default_factory=list, max_length=10_000,
                              description="names under which the mentions are someone else")
    note: Text | None = None


_WRITE = [Depends(require_token)]


@router.post("/documents", dependencies=_WRITE, status_code=201, summary="Extract and store a document (token)")
def ingest_document(db: DB, doc: NewDocument) -> dict[str, Any]:
    return writes.ingest(db, doc.model_dump())


@router.post("/persons/merge", dependencies=_WRITE, summary="Merge persons that are one real person (token)")
def merge_persons(db: DB, body: Annotated[Merge, Body()]) -> dict[str, Any]:
    if len(set(body.persons)) < 2:
        raise InputError("give at least two different person ids to merge")
    return writes.merge(db, body.persons, note=body.note)


@router.post("/persons/{person_id}/split", dependencies=_WRITE, summary="Split mentions off a person (token)")
def split_person(db: DB, person_id: Id, body: Annotated[Split, Body()]) -> dict[str, Any]:
    return writes.split(db, person_id, documents=body.documents, names=body.names, note=body.note)
