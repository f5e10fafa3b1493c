"""Cross-document resolution over the store: persons, then the events they take part in.

Ingest writes each document with a first, local guess at its canonical persons and events
(``readouts.store.write``); this module settles them across documents. It takes the documents
whose ``resolved_at`` is NULL (new or re-extracted ones, or every document with
``everything=True``), gathers every mention that shares a name token with theirs — and every
other mention of the persons those already belong to, so each person is seen whole — and groups
them again with :func:`readouts.resolve.cluster.cluster`, a function of the mentions alone. The
groups keep the ids their mentions mostly had, so links and URLs stay put; a person whose
mentions all went elsewhere points there (``merged_into_id``). Then the event reports around the
persons that changed are grouped again (:func:`readouts.resolve.events.cluster_reports`).

Every mention or report that changes hands gets a ``resolution_log`` row with the reason.
Manual merges and splits (``person_overrides``) enter the grouping as constraints, so they
survive any number of runs.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from readouts.resolve import events as ev
from readouts.resolve.cluster import MentionFacts, cluster
from readouts.resolve.names import name_tokens
from readouts.resolve.persons import fullest
from readouts.store import schema as t
from readouts.store.sides import events_of, forget_events, refresh_event_countries
from readouts.store.summaries import touch_persons
from readouts.store.write import one_writer_at_a_time

_CHUNK = 500  # ids per IN (...) list: under SQLite's bound-parameter limit
Progress = Callable[[str], None]


@dataclass
class ResolveReport:
    documents: int = 0  # documents taken in
    mentions: int = 0  # person mentions looked at
    persons_changed: int = 0  # mentions that moved to another person
    persons: int = 0  # live persons after
    reports: int = 0  # event reports looked at
    events_changed: int = 0  # reports that moved to another event
    events: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def resolve(session: Session, *, everything: bool = False, progress: Progress | None = None) -> ResolveReport:
    """Re-resolve persons and events around the pending documents (all documents with ``everything``)."""
    started = time.perf_counter()
    report = ResolveReport()
    say = progress or (lambda _msg: None)
    one_writer_at_a_time(session)  # two resolutions at once would move the same mentions twice
    docs = _pending(session, everything)
    report.documents = len(docs)
    if not docs and not everything:
        return report
    say(f"persons around {len(docs)} documents")
    moved, touched_persons = _resolve_persons(session, docs, everything, report)
    touch_persons(session, touched_persons)
    report.timings["persons"] = time.perf_counter() - started
    say("events")
    _resolve_events(session, docs, touched_persons, everything, report)
    # persons that changed hands or country change the sides of events whose reports stayed put
    for chunk in _chunks(sorted(touched_persons)):
        refresh_event_countries(session, events_of(session, persons=chunk))
    report.timings["events"] = time.perf_counter() - started - report.timings["persons"]
    _mark_resolved(session, docs)
    report.persons_changed = moved
    report.persons = session.scalar(sa.select(sa.func.count()).select_from(t.Person)
                                    .where(t.Person.merged_into_id.is_(None))) or 0
    report.events = session.scalar(sa.select(sa.func.count()).select_from(t.Event)) or 0
    report.seconds = time.perf_counter() - started
    return report


def _pending(session: Session, everything: bool) -> list[int]:
    q = sa.select(t.Document.id)
    if not everything:
        q = q.where(t.Document.resolved_at.is_(None))
    return list(session.scalars(q.order_by(t.Document.id)))


def _mark_resolved(session: Session, docs: list[int]) -> None:
    now = t.utcnow()
    for chunk in _chunks(docs):
        session.execute(sa.update(t.Document).where(t.Document.id.in_(chunk)).values(resolved_at=now))


def _chunks(ids: Iterable[Any]) -> Iterable[list[Any]]:
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


# --- persons -------------------------------------------------------------------------------------

@dataclass
class _Row:
    id: int
    document: int
    person: int | None
    name: str
    local_id: str
    country: str | None
    tokens: tuple[str, ...]


@lru_cache(maxsize=100_000)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(name_tokens(name)) or (name.lower(),)


def _resolve_persons(session: Session, docs: list[int], everything: bool,
                     report: ResolveReport) -> tuple[int, set[int]]:
    pm = t.PersonMention
    # tokens are made again from the names, so that changed name data (titles, suffixes) take effect
    rows = [_Row(r.id, r.document_id, r.person_id, r.name, r.local_id, r.country,
                 _tokens(fullest([r.name, *(r.aliases or [])])))
            for r in session.execute(sa.select(pm.id, pm.document_id, pm.person_id, pm.name, pm.local_id,
                                               pm.country, pm.aliases))]
    overrides = _overrides(session)
    selected = rows if everything else _neighbourhood(rows, set(docs), overrides)
    report.mentions = len(selected)
    if not selected:
        return 0, set()
    doc_info = _documents(session, {r.document for r in selected})
    titles = _titles(session, [r.id for r in selected])
    facts = [MentionFacts(id=r.id, document=r.document, doc_key=doc_info[r.document][0], tokens=r.tokens,
                          country=r.country, titles=tuple(sorted(titles.get(r.id, ()))),
                          date=doc_info[r.document][1]) for r in selected]
    apart, together = _constraints(session, selected, overrides, doc_info)
    result = cluster(facts, apart=apart, together=together)
    by_id = {r.id: r for r in selected}
    return _write_persons(session, result, by_id)


def _neighbourhood(rows: list[_Row], docs: set[int], overrides: list[t.PersonOverride]) -> list[_Row]:
    """The mentions of these documents, every mention sharing a name token with them, and every
    other mention of the persons those belong to (and of the manual corrections touching them)."""
    seed_tokens = {tok for r in rows if r.document in docs for tok in r.tokens}
    if not seed_tokens:
        return []
    chosen = {r.id for r in rows if r.document in docs or seed_tokens.intersection(r.tokens)}
    persons = {r.person for r in rows if r.id in chosen and r.person is not None}
    chosen |= {r.id for r in rows if r.person in persons}
    names = {r.name for r in rows if r.id in chosen}
    for o in overrides:  # a correction is applied whole or not at all
        refs = [*o.refs, *o.other_refs]
        if any(name in names for _, name in refs):
            wanted = {name for _, name in refs}
            chosen |= {r.id for r in rows if r.name in wanted}
    return [r for r in rows if r.id in chosen]


def _documents(session: Session, ids: set[int]) -> dict[int, tuple[str, date | None]]:
    out: dict[int, tuple[str, date | None]] = {}
    for chunk in _chunks(sorted(ids)):
        for i, h, d in session.execute(sa.select(t.Document.id, t.Document.hash, t.Document.date)
                                       .where(t.Document.id.in_(chunk))):
            out[i] = (h, d)
    return out


def _titles(session: Session, mention_ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    if len(mention_ids) > 20 * _CHUNK:  # most of the store: one scan beats many IN lists
        wanted = set(mention_ids)
        for mid, title in session.execute(sa.select(t.Position.person_mention_id, t.Position.title)):
            if mid in wanted:
                out[mid].add(title)
        return out
    for chunk in _chunks(mention_ids):
        for mid, title in session.execute(sa.select(t.Position.person_mention_id, t.Position.title)
                                          .where(t.Position.person_mention_id.in_(chunk))):
            out[mid].add(title)
    return out


def _overrides(session: Session) -> list[t.PersonOverride]:
    return list(session.scalars(sa.select(t.PersonOverride).order_by(t.PersonOverride.id)))


def _constraints(session: Session, rows: list[_Row], overrides: list[t.PersonOverride],
                 doc_info: dict[int, tuple[str, date | None]]) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """Manual splits as pairs kept apart, manual merges as groups kept together (mention ids)."""
    by_ref: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in rows:
        by_ref[(doc_info[r.document][0], r.name)].append(r.id)

    def ids(refs: list[Any]) -> list[int]:
        return [i for h, name in refs for i in by_ref.get((h, name), ())]
    apart: list[tuple[int, int]] = []
    together: list[list[int]] = []
    for o in overrides:
        if o.action == "merge":
            together.append(ids(o.refs))
        else:
            apart += [(a, b) for a in ids(o.refs) for b in ids(o.other_refs)]
    return apart, together


def _write_persons(session: Session, result: Any, rows: dict[int, _Row]) -> tuple[int, set[int]]:
    """Give each cluster a person id (the one most of its mentions had), move what changed, log it;
    returns (mentions moved, persons whose mentions changed — old and new ids)."""
    taken: set[int] = set()
    target: dict[int, int] = {}  # mention id -> person id
    new_persons: list[tuple[Any, list[int]]] = []
    old_ids = {r.person for r in rows.values() if r.person is not None}
    for c in sorted(result.clusters, key=lambda c: (-len(c.mentions), min(m.id for m in c.mentions))):
        # the id its full names mostly had (a surname-only person made earlier gives way), then the most held
        votes = Counter(rows[m.id].person for m in c.mentions if rows[m.id].person is not None)
        full = Counter(rows[m.id].person for m in c.mentions if rows[m.id].person is not None and len(m.tokens) > 1)
        pid = next((p for p in sorted(votes, key=lambda p: (-full[p], -votes[p], p)) if p not in taken), None)
        if pid is None:
            new_persons.append((c, [m.id for m in c.mentions]))
            continue
        taken.add(pid)
        for m in c.mentions:
            target[m.id] = pid
    for c, mids in new_persons:
        pid = _insert_person(session, c, rows)
        taken.add(pid)
        for mid in mids:
            target[mid] = pid
    moved = [mid for mid, pid in target.items() if rows[mid].person != pid]
    _move_mentions(session, [(mid, target[mid]) for mid in moved], rows, result.links)
    changed = {p for p in (rows[mid].person for mid in moved) if p is not None} | {target[m] for m in moved}
    _settle(session, result, target, rows, changed | (taken - old_ids))
    _retire(session, old_ids - taken, target, rows)
    return len(moved), changed


def _insert_person(session: Session, c: Any, rows: dict[int, _Row]) -> int:
    name = fullest([rows[m.id].name for m in c.mentions])
    person = t.Person(name=name, name_key=" ".join(_tokens(name)), country=c.country)
    session.add(person)
    session.flush()
    return person.id


def _move_mentions(session: Session, moves: list[tuple[int, int]], rows: dict[int, _Row],
                   links: dict[int, Any]) -> None:
    if not moves:
        return
    conn = session.connection()
    conn.execute(sa.update(t.PersonMention).where(t.PersonMention.id == sa.bindparam("b_mid"))
                 .values(person_id=sa.bindparam("b_pid")), [{"b_mid": m, "b_pid": p} for m, p in moves])
    conn.execute(sa.update(t.Position).where(t.Position.person_mention_id == sa.bindparam("b_mid"))
                 .values(person_id=sa.bindparam("b_pid")), [{"b_mid": m, "b_pid": p} for m, p in moves])
    reports = sa.select(t.EventReport.id).where(t.EventReport.document_id == sa.bindparam("b_doc")).scalar_subquery()
    conn.execute(sa.update(t.EventParticipant)
                 .where(t.EventParticipant.kind == "person", t.EventParticipant.ref == sa.bindparam("b_ref"),
                        t.EventParticipant.event_report_id.in_(reports))
                 .values(person_id=sa.bindparam("b_pid")),
                 [{"b_ref": rows[m].local_id, "b_doc": rows[m].document, "b_pid": p} for m, p in moves])
    conn.execute(sa.insert(t.ResolutionLog), [
        {"kind": "person", "entity_id": p, "mention_id": m, "document_id": rows[m].document,
             "reason": links[m].reason if m in links else "resolved", "score": links[m].score if m in links else 1.0,
             "at": t.utcnow()} for m, p in moves])


def _settle(session: Session, result: Any, target: dict[int, int], rows: dict[int, _Row],
            persons: set[int]) -> None:
    """Each changed person's name (the fullest its mentions give) and country (the majority)."""
    if not persons:
        return
    members: dict[int, list[int]] = defaultdict(list)
    for mid, pid in target.items():
        if pid in persons:
            members[pid].append(mid)
    values = []
    for pid, mids in members.items():
        name = fullest([rows[m].name for m in mids])
        tally = Counter(rows[m].country for m in mids if rows[m].country)
        country = max(tally, key=lambda c: (tally[c], c)) if tally else None
        values.append({"b_pid": pid, "b_name": name, "b_key": " ".join(_tokens(name)), "b_country": country})
    if values:
        session.connection().execute(
            sa.update(t.Person).where(t.Person.id == sa.bindparam("b_pid"))
            .values(name=sa.bindparam("b_name"), name_key=sa.bindparam("b_key"), country=sa.bindparam("b_country"),
                    merged_into_id=None), values)


def _retire(session: Session, gone: set[int], target: dict[int, int], rows: dict[int, _Row]) -> None:
    """Persons left with no mention point to the person that took most of theirs (old links still land)."""
    if not gone:
        return
    heir: dict[int, Counter[int]] = defaultdict(Counter)
    for mid, pid in target.items():
        old = rows[mid].person
        if old in gone:
            heir[old][pid] += 1
    values = [{"b_old": old, "b_new": c.most_common(1)[0][0]} for old, c in heir.items()]
    conn = session.connection()
    if values:
        conn.execute(sa.update(t.Person).where(t.Person.id == sa.bindparam("b_old"))
                     .values(merged_into_id=sa.bindparam("b_new")), values)
        conn.execute(sa.update(t.Person).where(t.Person.merged_into_id == sa.bindparam("b_old"))
                     .values(merged_into_id=sa.bindparam("b_new")), values)


# --- events --------------------------------------------------------------------------------------

def _resolve_events(session: Session, docs: list[int], persons: set[int], everything: bool,
                    report: ResolveReport) -> None:
    er = t.EventReport
    if everything:
        seeds = list(session.execute(sa.select(er.id, er.type, er.date)))
    else:
        seeds = []
        for chunk in _chunks(docs):
            seeds += session.execute(sa.select(er.id, er.type, er.date).where(er.document_id.in_(chunk))).all()
        for chunk in _chunks(sorted(persons)):
            seeds += session.execute(sa.select(er.id, er.type, er.date).join(
                t.EventParticipant, t.EventParticipant.event_report_id == er.id)
                .where(t.EventParticipant.person_id.in_(chunk))).all()
    if not seeds:
        return
    ids = {s.id for s in seeds}
    if not everything:  # the reports an affected one could join: same type, within the day window
        days = {(s.type, s.date + timedelta(days=d)) for s in seeds if s.date
                for d in range(-ev.MAX_DAYS_APART, ev.MAX_DAYS_APART + 1)}
        by_type: dict[str, set[date]] = defaultdict(set)
        for typ, d in days:
            by_type[typ].add(d)
        for typ, ds in by_type.items():
            for chunk in _chunks(sorted(ds)):
                ids |= set(session.scalars(sa.select(er.id).where(er.type == typ, er.date.in_(chunk))))
        events = set()
        for chunk in _chunks(sorted(ids)):
            events |= set(session.scalars(sa.select(er.event_id).where(er.id.in_(chunk))))
        for chunk in _chunks(sorted(e for e in events if e is not None)):
            ids |= set(session.scalars(sa.select(er.id).where(er.event_id.in_(chunk))))
    facts = _report_facts(session, sorted(ids))
    report.reports = len(facts)
    groups = ev.cluster_reports(list(facts.values()))
    _write_events(session, groups, report)


def _report_facts(session: Session, ids: list[int]) -> dict[int, ev.ReportFacts]:
    er, ep, pm = t.EventReport, t.EventParticipant, t.PersonMention
    base: dict[int, Any] = {}
    parts: dict[int, list[Any]] = defaultdict(list)
    many = len(ids) > 20 * _CHUNK
    chunks = [None] if many else list(_chunks(ids))
    for chunk in chunks:
        q = sa.select(er.id, er.document_id, er.local_id, er.type, er.date, t.Document.hash).join(
            t.Document, t.Document.id == er.document_id)
        for r in session.execute(q if chunk is None else q.where(er.id.in_(chunk))):
            base[r.id] = r
        q2 = sa.select(ep.event_report_id, ep.kind, ep.ref, ep.person_id, ep.organization_id)
        for p in session.execute(q2 if chunk is None else q2.where(ep.event_report_id.in_(chunk))):
            parts[p.event_report_id].append(p)
    wanted = set(ids)
    docs = {base[i].document_id for i in wanted if i in base}
    mention_country: dict[tuple[int, str], str | None] = {}
    delegation: dict[tuple[int, str], tuple[str | None, list[int]]] = {}
    for chunk in _chunks(sorted(docs)):
        for d, local, country in session.execute(sa.select(pm.document_id, pm.local_id, pm.country)
                                                 .where(pm.document_id.in_(chunk))):
            mention_country[(d, local)] = country
        for d, local, country, person in session.execute(
                sa.select(t.Delegation.document_id, t.Delegation.local_id, t.Delegation.country, pm.person_id)
                .outerjoin(t.DelegationMember, t.DelegationMember.delegation_id == t.Delegation.id)
                .outerjoin(pm, pm.id == t.DelegationMember.person_mention_id)
                .where(t.Delegation.document_id.in_(chunk))):
            entry = delegation.setdefault((d, local), (country, []))
            if person is not None:
                entry[1].append(person)
    # a resolved person's country is the majority of all its mentions: steadier than one document's guess
    canonical: dict[int, str | None] = {}
    person_ids = sorted({p.person_id for ps in parts.values() for p in ps if p.person_id is not None})
    for chunk in _chunks(person_ids):
        canonical.update(session.execute(sa.select(t.Person.id, t.Person.country).where(t.Person.id.in_(chunk))).all())
    out: dict[int, ev.ReportFacts] = {}
    for i in ids:
        row: Any = base.get(i)
        if row is None:
            continue
        persons: set[int] = set()
        orgs: set[int] = set()
        countries: set[str] = set()
        for p in parts.get(i, ()):
            if p.kind == "person":
                if p.person_id is not None:
                    persons.add(p.person_id)
                c = canonical.get(p.person_id) or mention_country.get((row.document_id, p.ref))
                if c:
                    countries.add(c)
            elif p.kind == "organization" and p.organization_id is not None:
                orgs.add(p.organization_id)
            elif p.kind == "country":
                countries.add(p.ref)
            elif p.kind == "delegation":
                dc, members = delegation.get((row.document_id, p.ref), (None, []))
                if dc:
                    countries.add(dc)
                persons |= set(members)
        out[i] = ev.ReportFacts(id=i, document=row.document_id, doc_key=row.hash, local_id=row.local_id,
                                facts=ev.EventFacts(type=row.type, date=row.date, persons=frozenset(persons),
                                                    organizations=frozenset(orgs), countries=frozenset(countries)))
    return out


def _write_events(session: Session, groups: list[ev.ReportGroup], report: ResolveReport) -> None:
    er = t.EventReport
    current: dict[int, int | None] = {}
    rids = [r.id for g in groups for r in g.reports]
    for chunk in _chunks(rids):
        current.update(session.execute(sa.select(er.id, er.event_id).where(er.id.in_(chunk))).all())
    old_events = {e for e in current.values() if e is not None}
    taken: set[int] = set()
    target: dict[int, int] = {}
    fresh: list[ev.ReportGroup] = []
    for g in sorted(groups, key=lambda g: (-len(g.reports), min(r.id for r in g.reports))):
        votes = Counter(current[r.id] for r in g.reports if current.get(r.id) is not None)
        eid = next((e for e, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])) if e not in taken), None)
        if eid is None:
            fresh.append(g)
            continue
        taken.add(eid)
        for r in g.reports:
            target[r.id] = eid
    for g in fresh:
        first = min(g.reports, key=lambda r: r.id)
        row = session.execute(sa.select(er.type, er.status, er.date, er.location, er.topics)
                              .where(er.id == first.id)).one()
        event = t.Event(type=row.type, status=row.status, date=row.date, location=row.location,
                        topics=row.topics or [])
        session.add(event)
        session.flush()
        taken.add(event.id)
        for r in g.reports:
            target[r.id] = event.id
    moved = [rid for rid, eid in target.items() if current.get(rid) != eid]
    report.events_changed = len(moved)
    reasons = {rid: g.reasons[rid] for g in groups for rid in g.reasons}
    doc_of = {r.id: r.document for g in groups for r in g.reports}
    conn = session.connection()
    if moved:
        conn.execute(sa.update(er).where(er.id == sa.bindparam("b_rid")).values(event_id=sa.bindparam("b_eid")),
                     [{"b_rid": r, "b_eid": target[r]} for r in moved])
        conn.execute(sa.insert(t.ResolutionLog), [
            {"kind": "event", "entity_id": target[r], "mention_id": r, "document_id": doc_of[r], "reason": reasons[r][0],
                 "score": reasons[r][1], "at": t.utcnow()} for r in moved])
    changed = {target[r] for r in moved} | {e for e in (current.get(r) for r in moved) if e is not None}
    _settle_events(session, changed & taken)
    dead = sorted(old_events - taken)
    for chunk in _chunks(dead):
        alive = set(session.scalars(sa.select(er.event_id).where(er.event_id.in_(chunk))))
        gone = [e for e in chunk if e not in alive]
        if gone:
            forget_events(conn, gone)
            conn.execute(sa.delete(t.Event).where(t.Event.id.in_(gone)))
    refresh_event_countries(session, changed & taken)


def _settle_events(session: Session, events: set[int]) -> None:
    """An event's date, status, place and topics from all its reports: the earliest date, 'happened'
    when any report says so, the first place given, every topic."""
    er = t.EventReport
    for chunk in _chunks(sorted(events)):
        by_event: dict[int, list[Any]] = defaultdict(list)
        for r in session.execute(sa.select(er.event_id, er.id, er.status, er.date, er.location, er.topics)
                                 .where(er.event_id.in_(chunk)).order_by(er.id)):
            by_event[r.event_id].append(r)
        values = []
        for eid, reports in by_event.items():
            dates = [r.date for r in reports if r.date]
            statuses = [r.status for r in reports]
            topics: list[str] = []
            for r in reports:
                topics += [x for x in (r.topics or []) if x not in topics]
            values.append({"b_eid": eid, "b_date": min(dates) if dates else None,
                           "b_status": "happened" if "happened" in statuses else statuses[0],
                           "b_location": next((r.location for r in reports if r.location), None), "b_topics": topics})
        if values:
            session.connection().execute(
                sa.update(t.Event).where(t.Event.id == sa.bindparam("b_eid"))
                .values(date=sa.bindparam("b_date"), status=sa.bindparam("b_status"),
                        location=sa.bindparam("b_location"),
                        topics=sa.bindparam("b_topics", type_=t.Event.__table__.c.topics.type)), values)
