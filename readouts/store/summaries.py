"""Per-person summaries kept at write time: positions over time, the organizations' people, the names
and delegations a person's mentions give (migration 0009).

A page about an official named in 100,000 documents aggregated that many rows on each request
(0.3-0.45 s on a million events); these tables hold the aggregates, a few rows per person. They are
rebuilt for the persons concerned wherever mentions or positions change hands: a document stored
(:func:`readouts.store.write.store_record`) or deleted (``delete_facts``), resolution moving
mentions, a manual merge or split. Those call :func:`touch_persons`; the rebuild runs once per
transaction, just before it commits (an ingest batch of 16 documents naming the same minister
rebuilds that minister's rows once, not 16 times). Each summary is the ``SELECT`` below, so a
rebuild and a from-scratch recomputation are the same statement.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from readouts.store import schema as t
from readouts.store.deferred import rebuild_before_commit

_CHUNK = 500


def _positions() -> Any:  # a Select of its columns
    p = t.Position
    return (sa.select(p.person_id, p.title, p.organization_id, sa.func.min(p.date), sa.func.max(p.date),
                      sa.func.count(sa.distinct(p.document_id)))
            .where(p.person_id.is_not(None)).group_by(p.person_id, p.title, p.organization_id))


def _organization_people() -> Any:  # a Select of its columns
    p = t.Position
    return (sa.select(p.organization_id, p.person_id, sa.func.count(sa.distinct(p.document_id)))
            .where(p.person_id.is_not(None), p.organization_id.is_not(None))
            .group_by(p.organization_id, p.person_id))


def _aliases() -> Any:  # a Select of its columns
    pm = t.PersonMention
    return sa.select(pm.person_id, pm.name).where(pm.person_id.is_not(None)).distinct()


def _delegations() -> Any:  # a Select of its columns
    pm, dm = t.PersonMention, t.DelegationMember
    return (sa.select(pm.person_id, dm.delegation_id).join(pm, pm.id == dm.person_mention_id)
            .where(pm.person_id.is_not(None)).distinct())


# table, its columns in the SELECT's order, the SELECT, the column of that SELECT holding the person
SUMMARIES: tuple[tuple[Any, list[str], Any, Any], ...] = (
    (t.PersonPosition, ["person_id", "title", "organization_id", "first_seen", "last_seen", "n_documents"],
     _positions, t.Position.person_id),
    (t.OrganizationPerson, ["organization_id", "person_id", "n_documents"], _organization_people,
     t.Position.person_id),
    (t.PersonAlias, ["person_id", "name"], _aliases, t.PersonMention.person_id),
    (t.PersonDelegation, ["person_id", "delegation_id"], _delegations, t.PersonMention.person_id),
)


def refresh_person_summaries(session: Session, person_ids: Iterable[int | None]) -> None:
    """Rebuild every summary row of these persons from the mentions and positions as stored now."""
    ids = sorted({i for i in person_ids if i is not None})
    if not ids:
        return
    session.flush()
    conn = session.connection()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for table, columns, select, person in SUMMARIES:
            conn.execute(sa.delete(table).where(table.person_id.in_(chunk)))
            conn.execute(sa.insert(table).from_select(columns, select().where(person.in_(chunk))))


# these persons' summaries are rebuilt once, just before the transaction commits
touch_persons = rebuild_before_commit("persons", refresh_person_summaries)


def rebuild_person_summaries(session: Session) -> None:
    """Every summary from scratch (what migration 0009 does once)."""
    conn = session.connection()
    for table, columns, select, _ in SUMMARIES:
        conn.execute(sa.delete(table))
        conn.execute(sa.insert(table).from_select(columns, select()))
