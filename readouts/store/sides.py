"""The sides of each canonical event: ``event_countries``, kept in step with what it is made of;
with them the persons and organizations taking part (``event_persons``, ``event_organizations``).

An event's countries are those of its reports' participants: a person's (the canonical
person's, else as the document gives it), an organization's (likewise), a delegation's, and
every country named as a participant. They are stored denormalised so that country filters
are index lookups instead of a scan over every participant, and each pair of an event's sides is kept
too (``event_country_pairs``: the events between two countries); whatever changes one of those
inputs calls :func:`refresh_event_countries` for the events concerned (a stored document marks them
with :func:`touch_events`, and they are rebuilt as its transaction commits). The persons and
organizations are the canonical ids on the reports' participants: whatever moves a participant to
another person (resolution, merge, split) refreshes the events of that person too, so the same call
keeps them.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from readouts.store import schema as t
from readouts.store.deferred import rebuild_before_commit

_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit


def _sides(event_ids: list[int]) -> sa.Select[Any]:
    """(event_id, country) of every participant of these events' reports; may repeat, never NULL."""
    ep, er, pm, om = t.EventParticipant, t.EventReport, t.PersonMention, t.OrgMention
    reports = er.event_id.in_(event_ids)
    person = (sa.select(er.event_id, sa.func.coalesce(t.Person.country, pm.country).label("country"))
              .select_from(ep).join(er, er.id == ep.event_report_id)
              .outerjoin(pm, sa.and_(pm.document_id == er.document_id, pm.local_id == ep.ref))
              .outerjoin(t.Person, t.Person.id == ep.person_id)
              .where(ep.kind == "person", reports))
    org = (sa.select(er.event_id, sa.func.coalesce(t.Organization.country, om.country).label("country"))
           .select_from(ep).join(er, er.id == ep.event_report_id)
           .outerjoin(om, sa.and_(om.document_id == er.document_id, om.local_id == ep.ref))
           .outerjoin(t.Organization, t.Organization.id == ep.organization_id)
           .where(ep.kind == "organization", reports))
    delegation = (sa.select(er.event_id, t.Delegation.country.label("country"))
                  .select_from(ep).join(er, er.id == ep.event_report_id)
                  .join(t.Delegation, sa.and_(t.Delegation.document_id == er.document_id,
                                              t.Delegation.local_id == ep.ref))
                  .where(ep.kind == "delegation", reports))
    named = (sa.select(er.event_id, ep.ref.label("country")).select_from(ep).join(er, er.id == ep.event_report_id)
             .where(ep.kind == "country", reports))
    u = sa.union(person, org, delegation, named).subquery()
    return sa.select(u.c.event_id, u.c.country).where(u.c.country.is_not(None)).distinct()


_PER_EVENT = (t.EventCountry, t.EventCountryPair, t.EventPerson, t.EventOrganization)


def _pairs(event_ids: list[int] | None) -> sa.Select[str, str, int]:
    """(country_a, country_b, event_id): each pair of sides of these events (None: of every event), as
    ``event_countries`` holds them now."""
    x, y = sa.orm.aliased(t.EventCountry), sa.orm.aliased(t.EventCountry)
    stmt = sa.select(x.country, y.country, x.event_id).join(
        y, sa.and_(y.event_id == x.event_id, x.country < y.country))
    return stmt if event_ids is None else stmt.where(x.event_id.in_(event_ids))


_PAIR_COLUMNS = ["country_a", "country_b", "event_id"]


def _parties(event_ids: list[int] | None, column: Any) -> sa.Select[Any]:
    """(event_id, canonical id) of every participant with one in ``column``, of these events' reports
    (None: of every event)."""
    er, ep = t.EventReport, t.EventParticipant
    events = er.event_id.is_not(None) if event_ids is None else er.event_id.in_(event_ids)
    return (sa.select(er.event_id, column).join(er, er.id == ep.event_report_id)
            .where(events, column.is_not(None)).distinct())


def refresh_event_countries(session: Session, event_ids: Iterable[int | None]) -> None:
    """Rebuild the ``event_countries``, ``event_persons`` and ``event_organizations`` rows of these
    events from their reports as stored now."""
    ids = sorted({i for i in event_ids if i is not None})
    session.flush()  # ORM changes (a person's country) must be in the rows the statements read
    conn = session.connection()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        forget_events(conn, chunk)
        conn.execute(sa.insert(t.EventCountry).from_select(["event_id", "country"], _sides(chunk)))
        conn.execute(sa.insert(t.EventCountryPair).from_select(_PAIR_COLUMNS, _pairs(chunk)))
        for table, column in ((t.EventPerson, t.EventParticipant.person_id),
                              (t.EventOrganization, t.EventParticipant.organization_id)):
            conn.execute(sa.insert(table).from_select(["event_id", column.key], _parties(chunk, column)))


# these events' rows are rebuilt once, just before the transaction commits: a write batch whose
# documents report into the same events (or name the same persons) rebuilds each event once
touch_events = rebuild_before_commit("events", refresh_event_countries)


def rebuild_event_parties(session: Session) -> None:
    """``event_persons``, ``event_organizations`` and ``event_country_pairs`` from scratch (a store
    loaded in bulk, ``event_countries`` with it)."""
    conn = session.connection()
    conn.execute(sa.delete(t.EventCountryPair))
    conn.execute(sa.insert(t.EventCountryPair).from_select(_PAIR_COLUMNS, _pairs(None)))
    for table, column in ((t.EventPerson, t.EventParticipant.person_id),
                          (t.EventOrganization, t.EventParticipant.organization_id)):
        conn.execute(sa.delete(table))
        conn.execute(sa.insert(table).from_select(["event_id", column.key], _parties(None, column)))


def forget_events(conn: Any, event_ids: list[int]) -> None:
    """Delete the per-event rows of these events (before the events themselves, or a rebuild)."""
    for table in _PER_EVENT:
        conn.execute(sa.delete(table).where(table.event_id.in_(event_ids)))


def events_of(session: Session, *, persons: Iterable[int] = (), organizations: Iterable[int] = ()) -> set[int]:
    """The canonical events these persons or organizations take part in."""
    pids, oids = list(set(persons)), list(set(organizations))
    if not pids and not oids:
        return set()
    ep, er = t.EventParticipant, t.EventReport
    cond = sa.or_(ep.person_id.in_(pids), ep.organization_id.in_(oids))
    return set(session.scalars(sa.select(er.event_id).join(ep, ep.event_report_id == er.id)
                               .where(cond, er.event_id.is_not(None)).distinct()))


def refresh_events_of(session: Session, *, persons: Iterable[int] = (), organizations: Iterable[int] = ()) -> None:
    """After a canonical person's or organization's country changed, or persons were merged or split."""
    refresh_event_countries(session, events_of(session, persons=persons, organizations=organizations))
