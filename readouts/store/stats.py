"""Counts of what the store holds."""
from __future__ import annotations

from collections import Counter

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
