"""Counts of what the store holds."""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from readouts.store import schema as t


def _count(session: Session, model: type[t.Base], *where) -> int:  # type: ignore[no-untyped-def]
    return int(session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def stats(session: Session) -> dict:
    """Documents, canonical entities and their mentions, and how many sources each event has."""
    per_event = session.execute(select(t.EventReport.event_id, func.count(func.distinct(t.EventReport.document_id)))
                                .where(t.EventReport.event_id.is_not(None))
                                .group_by(t.EventReport.event_id)).all()
    distribution = Counter(n for _, n in per_event)
    versions = dict(session.execute(select(t.Document.extractor_version, func.count())
                                    .group_by(t.Document.extractor_version)).all())
    return {
        "documents": _count(session, t.Document),
        "extraction_runs": _count(session, t.ExtractionRun),
        "extractor_versions": versions,
        "persons": _count(session, t.Person, t.Person.merged_into_id.is_(None)),
        "person_mentions": _count(session, t.PersonMention),
        "positions": _count(session, t.Position),
        "organizations": _count(session, t.Organization),
        "org_mentions": _count(session, t.OrgMention),
        "delegations": _count(session, t.Delegation),
        "events": _count(session, t.Event),
        "event_reports": _count(session, t.EventReport),
        "events_by_sources": {str(k): v for k, v in sorted(distribution.items())},
        "person_overrides": _count(session, t.PersonOverride),
    }



def shape(session: Session) -> dict[str, str]:
    """A digest per kind of what the store holds, blind to ids and timestamps: the documents (by text
    hash); each person, organization and event as its own facts with the mentions or reports (by
    document and local id) it gathers. Equal digests: the same documents, entities and links,
    whatever order or process wrote them."""
    docs: dict[int, str] = {i: h for i, h in session.execute(select(t.Document.id, t.Document.hash))}
    person = (t.Person.name, t.Person.country, t.Person.merged_into_id.is_(None))
    org = (t.Organization.name, t.Organization.country, t.Organization.kind)
    event = (t.Event.type, t.Event.status, t.Event.date, t.Event.location)
    return {
        "documents": _digest(sorted(docs.values())),
        "persons": _groups(session, docs, t.PersonMention, t.PersonMention.person_id, person),
        "organizations": _groups(session, docs, t.OrgMention, t.OrgMention.organization_id, org),
        "events": _groups(session, docs, t.EventReport, t.EventReport.event_id, event),
    }


def _groups(session: Session, docs: dict[int, str], member: Any, entity_id: Any, facts: tuple) -> str:
    """Each entity as (its facts, the sorted (document hash, local id) of its members)."""
    entity = facts[0].class_
    found: dict[int, tuple[tuple, list]] = {}
    for eid, doc_id, local_id, *values in session.execute(
            select(entity_id, member.document_id, member.local_id, *facts)
            .join(entity, entity.id == entity_id)):
        found.setdefault(eid, (tuple(values), []))[1].append((docs[doc_id], local_id))
    return _digest(sorted(repr((values, sorted(members))) for values, members in found.values()))


def _digest(items: list[str]) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(item.encode() + b"\n")
    return f"{len(items)}:{h.hexdigest()[:16]}"
