"""Manual person corrections: merge two persons, split mentions off one; both survive reprocessing.

An override names mentions by stable refs — ``[document hash, mention name]`` — not by
row ids, which change when a document is re-extracted; :func:`reapply` enforces the
recorded overrides again on whatever rows now carry those refs.
"""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from readouts.errors import Conflict, NotFound
from readouts.store import schema as t
from readouts.store.sides import refresh_events_of
from readouts.store.summaries import touch_persons
from readouts.store.write import one_writer_at_a_time

Ref = tuple[str, str]


def _refs_of(session: Session, person_id: int) -> list[tuple[str, str]]:
    rows = session.execute(select(t.Document.hash, t.PersonMention.name)
                           .join(t.Document, t.Document.id == t.PersonMention.document_id)
                           .where(t.PersonMention.person_id == person_id)).all()
    return sorted({(h, n) for h, n in rows})


def _live(session: Session, person_id: int) -> t.Person:
    person = session.get(t.Person, person_id)
    if person is None:
        raise NotFound(f"no person #{person_id}; `readouts stats` shows what is stored")
    seen = {person.id}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        target = session.get(t.Person, person.merged_into_id)
        if target is None:
            break
        seen.add(target.id)
        person = target
    return person


def merge(session: Session, keep: int, other: int, *, note: str | None = None) -> t.Person:
    """Fold person ``other`` into ``keep``: every mention of one is now the other."""
    one_writer_at_a_time(session)
    target, source = _live(session, keep), _live(session, other)
    if target.id == source.id:
        raise Conflict(f"persons #{keep} and #{other} are already one person (#{target.id})")
    refs = sorted(set(map(tuple, _refs_of(session, target.id) + _refs_of(session, source.id))))
    _move(session, source.id, target.id, note or f"manual merge of #{source.id} into #{target.id}")
    session.add(t.PersonOverride(action="merge", refs=[list(r) for r in refs], other_refs=[], note=note))
    return target


def _move(session: Session, source: int, target: int, reason: str) -> None:
    mids = list(session.execute(select(t.PersonMention.id, t.PersonMention.document_id)
                                .where(t.PersonMention.person_id == source)).all())
    session.execute(update(t.PersonMention).where(t.PersonMention.person_id == source).values(person_id=target))
    session.execute(update(t.Position).where(t.Position.person_id == source).values(person_id=target))
    session.execute(update(t.EventParticipant).where(t.EventParticipant.person_id == source)
                    .values(person_id=target))
    src = session.get(t.Person, source)
    if src is not None:
        src.merged_into_id = target
    refresh_events_of(session, persons=[target])
    touch_persons(session, [source, target])
    for mid, doc_id in mids:
        session.add(t.ResolutionLog(kind="person", entity_id=target, mention_id=mid, document_id=doc_id,
                                    reason=reason, score=1.0))


def split(session: Session, person_id: int, *, documents: list[str] | None = None, names: list[str] | None = None,
          note: str | None = None) -> t.Person:
    """Move the mentions of ``person_id`` in these documents (hash, external id or row id) with these
    names (either filter may be left out, not both) to a new person; they will not be linked back."""
    one_writer_at_a_time(session)
    person = _live(session, person_id)
    rows = session.execute(select(t.PersonMention, t.Document)
                           .join(t.Document, t.Document.id == t.PersonMention.document_id)
                           .where(t.PersonMention.person_id == person.id)).all()
    docs, wanted = set(documents or []), set(names or [])

    def picked(m: t.PersonMention, d: t.Document) -> bool:
        return ((not docs or bool({d.hash, d.external_id, str(d.id)} & docs))
                and (not wanted or m.name in wanted) and bool(docs or wanted))
    moving = [(m, d) for m, d in rows if picked(m, d)]
    staying = [(m, d) for m, d in rows if not picked(m, d)]
    if not moving or not staying:
        raise Conflict(f"split of person #{person.id} must leave mentions on both sides "
                            f"({len(moving)} selected of {len(rows)}); select by --document or --name")
    new = _new_person_from(session, [m for m, _ in moving])
    for m, d in moving:
        _reassign(session, m, new.id, d.id, note or f"manual split from #{person.id}")
    session.add(t.PersonOverride(action="split", refs=sorted({(d.hash, m.name) for m, d in moving}),
                                 other_refs=sorted({(d.hash, m.name) for m, d in staying}), note=note))
    return new


def _new_person_from(session: Session, mentions: list[t.PersonMention]) -> t.Person:
    from readouts.resolve.persons import fullest
    name = fullest([m.name for m in mentions])
    m0 = next(m for m in mentions if m.name == name)
    new = t.Person(name=name, name_key=m0.name_key or name.lower(), country=m0.country)
    session.add(new)
    session.flush()
    return new


def _reassign(session: Session, m: t.PersonMention, person_id: int, document_id: int, reason: str) -> None:
    old = m.person_id
    m.person_id = person_id
    session.execute(update(t.Position).where(t.Position.person_mention_id == m.id).values(person_id=person_id))
    session.execute(update(t.EventParticipant).where(
        t.EventParticipant.person_id == old, t.EventParticipant.ref == m.local_id,
        t.EventParticipant.event_report_id.in_(select(t.EventReport.id).where(
            t.EventReport.document_id == document_id))).values(person_id=person_id))
    refresh_events_of(session, persons=[person_id])
    touch_persons(session, [old, person_id])
    session.add(t.ResolutionLog(kind="person", entity_id=person_id, mention_id=m.id, document_id=document_id,
                                reason=reason, score=1.0))


def reapply(session: Session, *, document_hash: str | None = None) -> int:
    """Enforce the recorded overrides again (those touching ``document_hash``, or all); returns how many."""
    overrides = session.execute(select(t.PersonOverride).order_by(t.PersonOverride.id)).scalars().all()
    n = 0
    for o in overrides:
        refs = [tuple(r) for r in o.refs] + [tuple(r) for r in o.other_refs]
        if document_hash and not any(h == document_hash for h, _ in refs):
            continue
        n += 1
        if o.action == "merge":
            _reapply_merge(session, [tuple(r) for r in o.refs])
        else:
            _reapply_split(session, [tuple(r) for r in o.refs], [tuple(r) for r in o.other_refs])
    return n


def _mentions(session: Session, refs: list[tuple]) -> list[t.PersonMention]:
    out: list[t.PersonMention] = []
    by_doc: dict[str, set[str]] = {}
    for h, name in refs:
        by_doc.setdefault(h, set()).add(name)
    for h, names in by_doc.items():
        out += session.execute(select(t.PersonMention).join(t.Document, t.Document.id == t.PersonMention.document_id)
                               .where(t.Document.hash == h, t.PersonMention.name.in_(names))).scalars().all()
    return out


def _reapply_merge(session: Session, refs: list[tuple]) -> None:
    persons = {m.person_id for m in _mentions(session, refs) if m.person_id is not None}
    if len(persons) < 2:
        return
    counts = dict(session.execute(select(t.PersonMention.person_id, func.count()).where(
        t.PersonMention.person_id.in_(persons)).group_by(t.PersonMention.person_id)).all())
    keep = max(persons, key=lambda p: (counts.get(p, 0), -p))
    for p in persons - {keep}:
        _move(session, p, keep, f"manual merge re-applied into #{keep}")


def _reapply_split(session: Session, refs: list[tuple], other_refs: list[tuple]) -> None:
    moving, staying = _mentions(session, refs), _mentions(session, other_refs)
    shared = {m.person_id for m in moving} & {m.person_id for m in staying}
    if not shared:
        return
    clash = [m for m in moving if m.person_id in shared]
    new = _new_person_from(session, clash)
    for m in clash:
        _reassign(session, m, new.id, m.document_id, "manual split re-applied")
