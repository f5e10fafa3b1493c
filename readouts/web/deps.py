"""What the API and the pages share: the session, the write token, parameters bounded to what the store holds.

An id is ASCII digits up to :data:`MAX_ID`; an offset stops at :data:`MAX_OFFSET`. Anything else is a 422
before a query runs, never an overflow in the database driver.
"""
from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.exceptions import HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import AfterValidator, BeforeValidator
from sqlalchemy.orm import Session

from readouts import query as q
from readouts.errors import InputError, NotFound
from readouts.filters import EventFilter
from readouts.model import EventStatus, EventType

MAX_ID = 2**31 - 1
"""The store's id columns are INTEGER: 32 bits on PostgreSQL, which refuses a larger id in a query
("integer out of range"), as SQLite's driver refuses one past 64 bits."""
MAX_OFFSET = 2**31 - 1
"""No page starts further out than a PostgreSQL integer: beyond any store, clear of LIMIT + OFFSET overflow."""


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.store.session() as s:
        yield s


DB = Annotated[Session, Depends(get_session)]


# --- the write token -----------------------------------------------------------------------------

def token_refusal(expected: str | None, authorization: str | None) -> HTTPException | None:
    """Why a write with this Authorization header is refused (401 without a token, 403 with a wrong one
    or when the server has none); None when it may go on."""
    scheme, token = get_authorization_scheme_param(authorization)
    if not authorization or scheme.lower() != "bearer" or not token:
        return HTTPException(401, "this endpoint writes to the store: send Authorization: Bearer <token>",
                             headers={"WWW-Authenticate": "Bearer"})
    if not expected:
        return HTTPException(403, "writing is disabled: the server has no API token (set READOUTS_API_TOKEN)")
    if not secrets.compare_digest(token.encode(), str(expected).encode()):
        return HTTPException(403, "wrong API token")
    return None


_bearer = HTTPBearer(auto_error=False, description="The API token (settings api_token / READOUTS_API_TOKEN)")


def require_token(request: Request,
                  cred: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """Guard for write endpoints. The guard middleware has already checked the same header before the
    body was read; this keeps the rule on the route itself and shows it in the OpenAPI description."""
    header = f"{cred.scheme} {cred.credentials}" if cred else None
    refusal = token_refusal(request.app.state.api_token, header)
    if refusal is not None:
        raise refusal


# --- bounded parameters --------------------------------------------------------------------------

def _ascii_digits(value: object) -> object:
    # int() and pydantic take "1_0", " 1" and "+1"; str.isdigit() takes "²". A number here is none of those.
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("write the number in ASCII digits 0-9, with no sign, space or separator")
    return value


def _id_or_text(value: str | None) -> str | None:
    # The store's lookups read an all-digit string as an id and call int() on it.
    if value is not None and value.isdigit() and not (value.isascii() and int(value) <= MAX_ID):
        raise ValueError(f"an id is ASCII digits up to {MAX_ID}")
    return value


ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def real_date(value: str | None) -> str | None:
    if value is not None:
        date.fromisoformat(value)  # ValueError on 2021-02-30
    return value


Id = Annotated[int, Path(ge=1, le=MAX_ID, description="the store's id"), BeforeValidator(_ascii_digits)]
DocKey = Annotated[str, Path(min_length=1, description="the document's id, sha256:… hash or source id"),
                   AfterValidator(_id_or_text)]
Limit = Annotated[int, Query(ge=1, le=q.MAX_LIMIT, description="page size"), BeforeValidator(_ascii_digits)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip"),
                   BeforeValidator(_ascii_digits)]
Country = Annotated[str | None, Query(pattern="^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code")]
IsoDate = Annotated[str | None, Query(pattern=ISO_DATE, description="ISO date, inclusive"),
                    AfterValidator(real_date)]


def event_filter(
    between: Annotated[str | None, Query(pattern="^[A-Za-z]{3},[A-Za-z]{3}$",
                                         description="two ISO3 codes, comma-separated: MEX,USA")] = None,
    country: Country = None,
    person: Annotated[str | None, Query(description="a person's name or id"),
                      AfterValidator(_id_or_text)] = None,
    topic: str | None = None,
    type: EventType | None = None,
    status: EventStatus | None = None,
    since: IsoDate = None,
    until: IsoDate = None,
) -> EventFilter:
    pair = tuple(between.upper().split(",")) if between else None
    return EventFilter(between=pair, country=country.upper() if country else None,  # type: ignore[arg-type]
                       person=person, topic=topic, type=type, status=status, since=since, until=until)


def one_person_filter(db: DB, f: Annotated[EventFilter, Depends(event_filter)]) -> EventFilter:
    """The filter with its person as an id: a name several persons answer to is refused with them as the
    candidates (:class:`readouts.query.AmbiguousPerson`), never read as the best match. A country or topic
    no event has is refused too, with the ones that exist: an empty list would look like an answer."""
    known_values(db, countries=[*(f.between or ()), *([f.country] if f.country else [])], topic=f.topic)
    if f.person is None:
        return f
    return dataclasses.replace(f, person=str(q.unique_person(db, f.person)))


def known_values(db: Session, *, countries: Sequence[str] = (), topic: str | None = None) -> None:
    """Raise :class:`InputError` (400) listing what exists when a country or topic is on no event."""
    facets = q.event_facets(db)
    have = sorted(v.value for v in facets["country"])
    for code in countries:
        if code.upper() not in have:
            raise InputError(f"no event has a side from {code.upper()!r}; countries with events: {', '.join(have)}")
    topics = sorted(v.value for v in facets["topic"])
    if topic and topic.lower() not in topics:
        raise InputError(f"no event has the topic {topic!r}; topics: {', '.join(topics)}")


def person_detail(db: Session, person_id: int, *, limit: int, offset: int) -> q.PersonDetail:
    """:func:`readouts.query.person`, with a "not there" that points to the web's own search."""
    try:
        return q.person(db, person_id, limit=limit, offset=offset)
    except NotFound:
        raise NotFound(f"no person with id {person_id}; find one by name with /persons?name=… "
                       "(or /api/persons?name=…), or search from the box at the top") from None


EventQuery = Annotated[EventFilter, Depends(one_person_filter)]
