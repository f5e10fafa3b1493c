"""The JSON API under ``/api/``: the same questions as :mod:`readouts.query`, paginated and filterable.

Read endpoints are open; the write endpoints (ingest a document, merge or split persons)
need the API token.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from readouts import query as q
from readouts.errors import InputError
from readouts.filters import EventFilter
from readouts.model import EventStatus, EventType
from readouts.web.app import get_session, require_token

router = APIRouter(prefix="/api", tags=["api"])

DB = Annotated[Session, Depends(get_session)]
Limit = Annotated[int, Query(ge=1, le=q.MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, description="items to skip")]
Country = Annotated[str | None, Query(pattern="^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code")]
IsoDate = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="ISO date, inclusive")]


@router.get("/search", response_model=q.SearchResult, summary="Full-text search, with matching persons and orgs")
def search(db: DB, text: Annotated[str, Query(alias="q", min_length=1)], limit: Limit = 20,
           offset: Offset = 0) -> Any:
    return q.search(db, text, limit=limit, offset=offset)


@router.get("/documents", response_model=q.Page[q.DocumentSummary], summary="Documents, newest first")
def documents(db: DB, limit: Limit = 20, offset: Offset = 0) -> Any:
    return q.documents(db, limit=limit, offset=offset)


@router.get("/documents/{doc}", response_model=q.DocumentDetail,
            summary="A document: text, persons, organizations, event evidence (with offsets)")
def document(db: DB, doc: str) -> Any:
    return q.document(db, doc)


@router.get("/persons", response_model=q.Page[q.PersonSummary], summary="Persons by name (accents/case ignored)")
def persons(db: DB, name: Annotated[str, Query(min_length=1)], limit: Limit = 20, offset: Offset = 0) -> Any:
    return q.find_persons(db, name, limit=limit, offset=offset)


@router.get("/persons/{person_id}", response_model=q.PersonDetail,
            summary="A person: positions over time, counterparts, events (paginated), sources")
def person(db: DB, person_id: int, limit: Limit = 20, offset: Offset = 0) -> Any:
    return q.person(db, person_id, limit=limit, offset=offset)


@router.get("/organizations", response_model=q.Page[q.OrganizationSummary], summary="Organizations by name")
def organizations(db: DB, name: Annotated[str, Query(min_length=1)], limit: Limit = 20,
                  offset: Offset = 0) -> Any:
    return q.find_organizations(db, name, limit=limit, offset=offset)


@router.get("/organizations/{org_id}", response_model=q.OrganizationDetail, summary="An organization")
def organization(db: DB, org_id: int, limit: Limit = 20, offset: Offset = 0) -> Any:
    return q.organization(db, org_id, limit=limit, offset=offset)


def event_filter(
    between: Annotated[str | None, Query(pattern="^[A-Za-z]{3},[A-Za-z]{3}$",
                                         description="two ISO3 codes, comma-separated: MEX,USA")] = None,
    country: Country = None,
    person: Annotated[str | None, Query(description="a person's name or id")] = None,
    topic: str | None = None,
    type: EventType | None = None,
    status: EventStatus | None = None,
    since: IsoDate = None,
    until: IsoDate = None,
) -> EventFilter:
    pair = tuple(between.upper().split(",")) if between else None
    return EventFilter(between=pair, country=country.upper() if country else None,  # type: ignore[arg-type]
                       person=person, topic=topic, type=type, status=status, since=since, until=until)


@router.get("/events", response_model=q.Page[q.EventSummary], summary="Events, filtered; newest first")
def events(db: DB, f: Annotated[EventFilter, Depends(event_filter)], limit: Limit = 20,
           offset: Offset = 0) -> Any:
    return q.events(db, f, limit=limit, offset=offset)


@router.get("/events/{event_id}", response_model=q.EventDetail, summary="An event and every source reporting it")
def event(db: DB, event_id: int) -> Any:
    return q.event(db, event_id)


@router.get("/network", response_model=q.Network, summary="Who met whom, with how many events they shared")
def network(db: DB, country: Country = None, topic: str | None = None, since: IsoDate = None,
            until: IsoDate = None, max_edges: Annotated[int, Query(ge=1, le=2000)] = 300) -> Any:
    return q.network(db, country=country, topic=topic, since=since, until=until, max_edges=max_edges)


@router.get("/timeline", response_model=q.Page[q.EventSummary], summary="Events between two countries, oldest first")
def timeline(db: DB, a: Annotated[str, Query(pattern="^[A-Za-z]{3}$")],
             b: Annotated[str, Query(pattern="^[A-Za-z]{3}$")], since: IsoDate = None, until: IsoDate = None,
             limit: Limit = 200, offset: Offset = 0) -> Any:
    return q.timeline(db, a, b, since=since, until=until, limit=limit, offset=offset)


@router.get("/facets", summary="Countries and topics to filter by")
def facets(db: DB) -> dict[str, list[str]]:
    return {"countries": q.countries(db), "topics": q.topics(db)}


# --- writes --------------------------------------------------------------------------------------

class NewDocument(BaseModel):
    text: str = Field(min_length=1, description="plain text of the release")
    title: str | None = None
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    source: str | None = None
    external_id: str | None = None


class Merge(BaseModel):
    persons: list[int] = Field(min_length=2, description="canonical ids of one real person")
    note: str | None = None


class Split(BaseModel):
    documents: list[str] = Field(default_factory=list, description="documents (id, hash or source id) whose "
                                 "mentions of the person are someone else")
    names: list[str] = Field(default_factory=list, description="names under which the mentions are someone else")
    note: str | None = None


_WRITE = [Depends(require_token)]


@router.post("/documents", dependencies=_WRITE, status_code=201, summary="Extract and store a document (token)")
def ingest_document(db: DB, doc: NewDocument) -> dict[str, Any]:
    from readouts.web import writes
    return writes.ingest(db, doc.model_dump())


@router.post("/persons/merge", dependencies=_WRITE, summary="Merge persons that are one real person (token)")
def merge_persons(db: DB, body: Annotated[Merge, Body()]) -> dict[str, Any]:
    from readouts.web import writes
    if len(set(body.persons)) < 2:
        raise InputError("give at least two different person ids to merge")
    return writes.merge(db, body.persons, note=body.note)


@router.post("/persons/{person_id}/split", dependencies=_WRITE, summary="Split mentions off a person (token)")
def split_person(db: DB, person_id: int, body: Annotated[Split, Body()]) -> dict[str, Any]:
    from readouts.web import writes
    return writes.split(db, person_id, documents=body.documents, names=body.names, note=body.note)
