"""Writing one record — the document and all its facts — inside the caller's transaction.

Canonical persons, organizations and events are resolved here, incrementally:
each mention is looked up by its indexed keys and judged by ``readouts.resolve``;
the reason of every link goes to ``resolution_log``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from readouts.model import Person, Position, Record
from readouts.resolve import events as ev
from readouts.resolve.names import person_keys
from readouts.resolve.organizations import compatible_country, is_generic, org_keys
from readouts.resolve.persons import Candidate, choose_person, fullest, local_aliases
from readouts.store import schema as t
from readouts.store.sides import events_of, forget_events, refresh_event_countries, touch_events
from readouts.store.summaries import touch_persons


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _insert(session: Session, model: type[t.Base], rows: list[dict]) -> list[int]:
    if not rows:
        return []
    table: Any = model.__table__  # Core, not the ORM bulk path: a third of the cost per statement
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.connection().execute(stmt, rows).scalars())


def _insert_many(session: Session, model: type[t.Base], rows: list[dict]) -> None:
    if rows:
        table: Any = model.__table__
        session.connection().execute(insert(table), rows)


def _log(session: Session, rows: list[dict]) -> None:
    _insert_many(session, t.ResolutionLog, rows)


WRITERS_LOCK = 0x72656164  # "read": the PostgreSQL advisory lock that writers of canonical entities take


def one_writer_at_a_time(session: Session) -> None:
    """On PostgreSQL, wait for the transaction-level advisory lock that every writer of canonical entities
    takes (released at commit). Two ingests, or Dask workers, then never both find "no such person" and
    both create Antony Blinken: each sees what the one before it committed. A whole document's write is a
    few milliseconds against hundreds of extraction, so the writers still overlap where the time goes.
    Row locks cannot guard a row that does not exist yet, and a unique key on names would refuse the very
    namesakes resolution keeps apart. SQLite takes one writer at a time by itself (its write lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITERS_LOCK})


def store_record(session: Session, record: Record, *, doc_hash: str, document: t.Document | None = None
                 ) -> t.Document:
    """Add the record's document (or refill ``document``, emptied by :func:`delete_facts`) with every fact."""
    one_writer_at_a_time(session)
    d = record.document
    if document is None:
        document = t.Document(hash=doc_hash, external_id=d.id if d.id != doc_hash else None, text=d.text)
        session.add(document)
    document.title, document.date, document.language = d.title, parse_date(d.date), d.language or "en"
    document.source = d.source
    document.extractor_version = record.extractor_version or "unknown"
    document.updated_at = t.utcnow()
    document.resolved_at = None  # cross-document resolution (readouts.store.resolve) has yet to take it in
    session.flush()
    session.add(t.ExtractionRun(document_id=document.id, extractor_version=document.extractor_version))
    changed = _Changed()
    orgs = _store_orgs(session, document, record, changed)
    persons = _store_persons(session, document, record, changed)
    _store_positions(session, document, record, persons, orgs)
    delegations = _store_delegations(session, document, record, persons)
    events = _store_events(session, document, record, persons, orgs, delegations)
    # Countries changed on canonical persons/organizations change the sides of their earlier events too.
    touch_events(session, events | events_of(session, persons=changed.persons, organizations=changed.organizations))
    touch_persons(session, session.scalars(select(t.PersonMention.person_id).where(
        t.PersonMention.document_id == document.id).distinct()))
    return document


@dataclass
class _Changed:
    """Canonical entities whose country this document changed."""

    persons: set[int] = field(default_factory=set)
    organizations: set[int] = field(default_factory=set)


# --- organizations ---------------------------------------------------------------------------

def _store_orgs(session: Session, doc: t.Document, record: Record, changed: _Changed
                ) -> dict[str, tuple[int, int]]:
    """local id -> (org_mention id, organization id); one lookup and a few bulk inserts per document."""
    keyed = [(o, org_keys(o)) for o in record.organizations]
    known = _org_candidates(session, {k for _, keys in keyed for k in keys})
    decided: list[tuple[int | None, str]] = [_choose_org(keys, o.country, known) for o, keys in keyed]
    new_rows = [{"name": o.name, "name_key": keys[0] if keys else o.name.lower(), "acronym": o.acronym,
                     "country": o.country, "kind": o.kind, "aliases": o.aliases}
                for (o, keys), (org_id, _) in zip(keyed, decided) if org_id is None]
    new_ids = iter(_insert(session, t.Organization, new_rows))
    org_ids = [org_id if org_id is not None else next(new_ids) for org_id, _ in decided]
    for (o, _), (org_id, _r), oid in zip(keyed, decided, org_ids):
        if org_id is not None and _enrich_org(session, known.get(oid), o.acronym, o.country, o.kind):
            changed.organizations.add(oid)
    mids = _insert(session, t.OrgMention, [{
        "document_id": doc.id, "local_id": o.id, "organization_id": oid, "name": o.name, "acronym": o.acronym,
        "aliases": o.aliases, "country": o.country, "kind": o.kind, "spans": [list(s) for s in o.mentions]}
        for (o, _), oid in zip(keyed, org_ids)])
    _insert_many(session, t.OrganizationKey, [{"org_mention_id": mid, "organization_id": oid, "key": k}
                                              for (_, keys), oid, mid in zip(keyed, org_ids, mids) for k in keys])
    _log(session, [{"kind": "organization", "entity_id": oid, "mention_id": mid, "document_id": doc.id, "reason": reason,
                        "score": 1.0} for oid, mid, (_, reason) in zip(org_ids, mids, decided)])
    return {o.id: (mid, oid) for (o, _), mid, oid in zip(keyed, mids, org_ids)}


@dataclass
class _OrgRow:
    id: int
    country: str | None
    acronym: str | None
    kind: str
    keys: set[str] = field(default_factory=set)


def _org_candidates(session: Session, keys: set[str]) -> dict[int, _OrgRow]:
    if not keys:
        return {}
    rows = session.execute(
        select(t.OrganizationKey.organization_id, t.OrganizationKey.key, t.Organization.country,
               t.Organization.acronym, t.Organization.kind).distinct()
        .join(t.Organization, t.Organization.id == t.OrganizationKey.organization_id)
        .where(t.OrganizationKey.key.in_(keys))).all()
    out: dict[int, _OrgRow] = {}
    for org_id, key, country, acronym, kind in cast(list[Any], rows):
        out.setdefault(org_id, _OrgRow(org_id, country, acronym, kind)).keys.add(key)
    return out


def _choose_org(keys: list[str], country: str | None, known: dict[int, _OrgRow]) -> tuple[int | None, str]:
    usable = {k for k in keys if country or not is_generic(k)}
    if not usable:
        return None, "new organization (generic name without a country)"
    hits = {i: row.keys & usable for i, row in known.items()
            if row.keys & usable and compatible_country(country, row.country)}
    if not hits:
        return None, "new organization"
    best = max(hits, key=lambda i: (len(hits[i]), -i))
    return best, f"same key(s) {sorted(hits[best])}"


def _enrich_org(session: Session, row: _OrgRow | None, acronym: str | None, country: str | None,
                kind: str) -> bool:
    """Fill what the organization lacks; True when its country was set."""
    if row is None:
        return False
    values: dict[str, str] = {}
    if acronym and not row.acronym:
        values["acronym"] = row.acronym = acronym  # type: ignore[assignment]
    if country and not row.country:
        values["country"] = row.country = country  # type: ignore[assignment]
    if kind != "other" and row.kind == "other":
        values["kind"] = row.kind = kind
    if values:
        session.execute(update(t.Organization).where(t.Organization.id == row.id).values(**values))
    return "country" in values


# --- persons ---------------------------------------------------------------------------------

def _store_persons(session: Session, doc: t.Document, record: Record, changed: _Changed
                   ) -> dict[str, tuple[int, int]]:
    """local id -> (person_mention id, person id)."""
    keyed = {p.id: person_keys(fullest([p.name, *p.aliases])) for p in record.persons}
    candidates = _person_candidates(session, {k.match_key for k in keyed.values() if k.match_key})
    aliases = local_aliases(record)
    chosen: dict[str, tuple[int, str, float]] = {}
    # Full names first, so that a bare surname can take the person its fuller form got.
    order = sorted(record.persons, key=lambda p: p.id in aliases)
    for p in order:
        keys = keyed[p.id]
        if p.id in aliases and aliases[p.id] in chosen:
            person_id, reason, score = chosen[aliases[p.id]][0], f"surname alias of {aliases[p.id]} in this document", 1.0
        elif keys.match_key is None:
            person_id, reason, score = None, "surname or single name only: not linked across documents", 1.0
        else:
            decision = choose_person(keys.tokens, p.country, candidates.get(keys.match_key, []),
                                     [pos.title for pos in p.positions])
            person_id, reason, score = decision.person_id, decision.reason, decision.score
        if person_id is None:
            person_id = _insert(session, t.Person, [{"name": p.name, "name_key": keys.name_key or p.name.lower(),
                                                         "country": p.country}])[0]
            if keys.match_key:
                candidates[keys.match_key].append(Candidate(person_id, [keys.tokens], p.country, 0,
                                                            {p.country} if p.country else set(),
                                                            {pos.title for pos in p.positions}))
        elif _enrich_person(session, person_id, p, keys, candidates):
            changed.persons.add(person_id)
        chosen[p.id] = (person_id, reason, score)
    mids = _insert(session, t.PersonMention, [{
        "document_id": doc.id, "local_id": p.id, "person_id": chosen[p.id][0], "name": p.name, "aliases": p.aliases,
        "country": p.country, "spans": [list(s) for s in p.mentions], "name_key": keyed[p.id].name_key,
        "match_key": keyed[p.id].match_key} for p in order])
    _log(session, [{"kind": "person", "entity_id": chosen[p.id][0], "mention_id": mid, "document_id": doc.id,
                        "reason": chosen[p.id][1], "score": chosen[p.id][2]} for p, mid in zip(order, mids)])
    changed.persons |= settle_countries(session, {person_id for person_id, _, _ in chosen.values()})
    return {p.id: (mid, chosen[p.id][0]) for p, mid in zip(order, mids)}


def _person_candidates(session: Session, match_keys: set[str]) -> dict[str, list[Candidate]]:
    out: dict[str, list[Candidate]] = defaultdict(list)
    if not match_keys:
        return out
    rows = session.execute(
        select(t.PersonMention.match_key, t.PersonMention.person_id, t.PersonMention.name_key,
               t.PersonMention.country, func.count(), t.Person.country)
        .join(t.Person, t.Person.id == t.PersonMention.person_id)
        .where(t.PersonMention.match_key.in_(match_keys))
        .group_by(t.PersonMention.match_key, t.PersonMention.person_id, t.PersonMention.name_key,
                  t.PersonMention.country, t.Person.country)).all()
    by_person: dict[tuple[str, int], Candidate] = {}
    for match_key, person_id, name_key, mention_country, n, country in cast(list[Any], rows):
        c = by_person.get((match_key, person_id))
        if c is None:
            c = by_person[(match_key, person_id)] = Candidate(person_id, [], country, 0)
            out[match_key].append(c)
        names = tuple(name_key.split())
        if names not in c.names:
            c.names.append(names)
        if mention_country:
            c.countries.add(mention_country)
        c.mentions += n
    titles: dict[int, set[str]] = defaultdict(set)
    for pid, title in cast(Any, session.execute(select(t.Position.person_id, t.Position.title).distinct().where(
            t.Position.person_id.in_({c.id for c in by_person.values()})))):
        titles[pid].add(title)
    for c in by_person.values():
        c.titles = titles[c.id]
    return out


def settle_countries(session: Session, person_ids: set[int]) -> set[int]:
    """Give each person the country most of its mentions give (ties keep the current one);
    returns the persons whose country changed."""
    if not person_ids:
        return set()
    votes: dict[int, dict[str, int]] = defaultdict(dict)
    for pid, country, n in cast(Any, session.execute(
            select(t.PersonMention.person_id, t.PersonMention.country, func.count())
            .where(t.PersonMention.person_id.in_(person_ids), t.PersonMention.country.is_not(None))
            .group_by(t.PersonMention.person_id, t.PersonMention.country))):
        votes[pid][country] = n
    changed: set[int] = set()
    for person in session.scalars(select(t.Person).where(t.Person.id.in_(set(votes)))):
        tally = votes[person.id]
        majority = max(tally, key=lambda c: (tally[c], c == person.country, c))
        if majority != person.country:
            person.country = majority
            changed.add(person.id)
    return changed


def _enrich_person(session: Session, person_id: int, p: Person, keys,
                   candidates: dict[str, list[Candidate]]) -> bool:
    """Fuller name, missing country; True when the person's country was set."""
    name, country = p.name, p.country
    person = session.get(t.Person, person_id)
    if person is None:
        return False
    if fullest([person.name, name]) != person.name:
        person.name, person.name_key = name, keys.name_key or person.name_key
    got_country = bool(country and not person.country)
    if got_country:
        person.country = country
    for c in candidates.get(keys.match_key or "", []):
        if c.id == person_id:
            if keys.tokens not in c.names:
                c.names.append(keys.tokens)
            if country:
                c.countries.add(country)
            c.titles |= {pos.title for pos in p.positions}
    return got_country


# --- positions and delegations -----------------------------------------------------------------

def _store_positions(session: Session, doc: t.Document, record: Record, persons: dict[str, tuple[int, int]],
                     orgs: dict[str, tuple[int, int]]) -> None:
    rows = []
    for p in record.persons:
        mid, person_id = persons[p.id]
        for pos in p.positions:
            om = orgs.get(pos.organization or "")
            rows.append({"document_id": doc.id, "person_mention_id": mid, "person_id": person_id, "title": pos.title,
                             "org_mention_id": om[0] if om else None, "organization_id": om[1] if om else None,
                             "country": pos.country or p.country, "date": doc.date,
                             "spans": _position_spans(record.document.text, pos)})
    _insert_many(session, t.Position, rows)


def _position_spans(text: str, pos: Position) -> list[list[int]]:
    """Where the text states the title: the extractor's evidence when it gives it (the spans that
    lie inside the text), else every place the title's words occur."""
    given = [[int(a), int(b)] for a, b in pos.evidence if 0 <= a < b <= len(text)]
    return given or _find_spans(text, pos.title)


def _find_spans(text: str, phrase: str, limit: int = 5) -> list[list[int]]:
    spans: list[list[int]] = []
    start = text.find(phrase)
    while start >= 0 and len(spans) < limit:
        spans.append([start, start + len(phrase)])
        start = text.find(phrase, start + 1)
    return spans


def _store_delegations(session: Session, doc: t.Document, record: Record,
                       persons: dict[str, tuple[int, int]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in record.delegations:
        did = _insert(session, t.Delegation, [{"document_id": doc.id, "local_id": d.id, "country": d.country,
                                                   "spans": [list(s) for s in d.evidence]}])[0]
        members = [{"delegation_id": did, "person_mention_id": persons[m][0]} for m in d.members if m in persons]
        _insert_many(session, t.DelegationMember, members)
        out[d.id] = did
    return out


# --- events ----------------------------------------------------------------------------------

def _store_events(session: Session, doc: t.Document, record: Record, persons: dict[str, tuple[int, int]],
                  orgs: dict[str, tuple[int, int]], delegations: dict[str, int]) -> set[int]:
    """Store the record's event reports, each linked to a canonical event; returns those events."""
    used: set[int] = set()  # one document's reports are distinct events by the extractor's judgement
    for e in record.events:
        when = parse_date(e.date) or doc.date
        facts = _report_facts(record, e, when, persons, orgs)
        event_id, reason, score = _find_event(session, facts, exclude=used)
        if event_id is None:
            event_id = _insert(session, t.Event, [{"type": e.type, "status": e.status, "date": when, "location": e.location,
                                                       "topics": e.topics}])[0]
        else:
            _enrich_event(session, event_id, e.location, e.topics)
        used.add(event_id)
        rid = _insert(session, t.EventReport, [{
            "document_id": doc.id, "event_id": event_id, "local_id": e.id, "type": e.type, "status": e.status, "date": when,
            "location": e.location, "topics": e.topics, "plover": e.plover.model_dump() if e.plover else None,
            "spans": [list(s) for s in e.evidence]}])[0]
        parts = e.participants
        def row(kind: str, ref: str, person_id: int | None = None, organization_id: int | None = None,
                rid: int = rid) -> dict:
            return {"event_report_id": rid, "kind": kind, "ref": ref, "person_id": person_id,
                    "organization_id": organization_id}
        rows = [row("person", p, person_id=persons[p][1]) for p in parts.persons if p in persons]
        rows += [row("organization", o, organization_id=orgs[o][1]) for o in parts.organizations if o in orgs]
        rows += [row("delegation", d) for d in parts.delegations]
        rows += [row("country", c) for c in parts.countries]
        _insert_many(session, t.EventParticipant, rows)
        _log(session, [{"kind": "event", "entity_id": event_id, "mention_id": rid, "document_id": doc.id,
                            "reason": reason, "score": score}])
    return used


def _report_facts(record: Record, e, when: date | None, persons: dict[str, tuple[int, int]],
                  orgs: dict[str, tuple[int, int]]) -> ev.EventFacts:
    parts = e.participants
    countries = set(parts.countries)
    for pid in parts.persons:
        p = record.person(pid)
        if p and p.country:
            countries.add(p.country)
    for d in record.delegations:
        if d.id in parts.delegations and d.country:
            countries.add(d.country)
    person_ids = {persons[p][1] for p in parts.persons if p in persons}
    for d in record.delegations:
        if d.id in parts.delegations:
            person_ids |= {persons[m][1] for m in d.members if m in persons}
    return ev.EventFacts(type=e.type, date=when, persons=frozenset(person_ids),
                         organizations=frozenset(orgs[o][1] for o in parts.organizations if o in orgs),
                         countries=frozenset(countries))


def _find_event(session: Session, facts: ev.EventFacts, *, exclude: set[int]) -> tuple[int | None, str, float]:
    if facts.date is None:
        return None, "new event (no date to match on)", 1.0
    day = timedelta(days=ev.MAX_DAYS_APART)
    ids = [i for i in session.execute(select(t.Event.id).where(
        t.Event.type == facts.type, t.Event.date.between(facts.date - day, facts.date + day))).scalars()
        if i not in exclude]
    why: list[str] = []
    best: tuple[float, int, str] | None = None
    for event_id in ids:
        same, reason, score = ev.same_event(facts, _event_facts(session, event_id))
        if same and (best is None or score > best[0]):
            best = (score, event_id, reason)
        elif not same:
            why.append(f"#{event_id}: {reason}")
    if best is None:
        return None, "new event" + (f" ({'; '.join(why)})" if why else ""), 1.0
    return best[1], best[2], best[0]


def _event_facts(session: Session, event_id: int) -> ev.EventFacts:
    """What the reports of a canonical event say together."""
    reports = session.execute(select(t.EventReport.id, t.EventReport.type, t.EventReport.date)
                              .where(t.EventReport.event_id == event_id)).all()
    rids = [r.id for r in reports]
    parts = session.execute(
        select(t.EventParticipant.kind, t.EventParticipant.ref, t.EventParticipant.person_id,
               t.EventParticipant.organization_id)
        .where(t.EventParticipant.event_report_id.in_(rids))).all() if rids else []
    persons = frozenset(p.person_id for p in parts if p.person_id is not None)
    countries = {p.ref for p in parts if p.kind == "country"}
    countries |= _delegation_countries(session, rids)
    countries |= _person_countries(session, persons)
    return ev.EventFacts(
        type=reports[0].type if reports else "?", date=min((r.date for r in reports if r.date), default=None),
        persons=persons, organizations=frozenset(p.organization_id for p in parts if p.organization_id),
        countries=frozenset(countries))


def _person_countries(session: Session, person_ids: frozenset[int]) -> set[str]:
    if not person_ids:
        return set()
    rows = session.execute(select(t.Person.country).where(t.Person.id.in_(person_ids),
                                                          t.Person.country.is_not(None))).scalars()
    return {c for c in rows if c}


def _delegation_countries(session: Session, report_ids: list[int]) -> set[str]:
    if not report_ids:
        return set()
    rows = session.execute(
        select(t.Delegation.country)
        .join(t.EventReport, t.EventReport.document_id == t.Delegation.document_id)
        .join(t.EventParticipant, (t.EventParticipant.event_report_id == t.EventReport.id)
              & (t.EventParticipant.kind == "delegation") & (t.EventParticipant.ref == t.Delegation.local_id))
        .where(t.EventReport.id.in_(report_ids), t.Delegation.country.is_not(None))).scalars()
    return {c for c in rows if c}


def _enrich_event(session: Session, event_id: int, location: str | None, topics: list[str]) -> None:
    event = session.get(t.Event, event_id)
    if event is None:
        return
    if location and not event.location:
        event.location = location
    new = [x for x in topics if x not in (event.topics or [])]
    if new:
        event.topics = [*(event.topics or []), *new]


# --- removal (reprocessing) ---------------------------------------------------------------------

def delete_facts(session: Session, document_id: int) -> None:
    """Remove every fact of a document, and canonical entities no document supports any more."""
    one_writer_at_a_time(session)
    persons = set(session.execute(select(t.PersonMention.person_id).where(
        t.PersonMention.document_id == document_id)).scalars())
    orgs = set(session.execute(select(t.OrgMention.organization_id).where(
        t.OrgMention.document_id == document_id)).scalars())
    events = set(session.execute(select(t.EventReport.event_id).where(
        t.EventReport.document_id == document_id)).scalars())
    for model in (t.ResolutionLog, t.Position, t.EventReport, t.Delegation, t.OrgMention, t.PersonMention):
        if model is t.EventReport:
            rids = select(t.EventReport.id).where(t.EventReport.document_id == document_id)
            session.execute(delete(t.EventParticipant).where(t.EventParticipant.event_report_id.in_(rids)))
        if model is t.Delegation:
            dids = select(t.Delegation.id).where(t.Delegation.document_id == document_id)
            session.execute(delete(t.DelegationMember).where(t.DelegationMember.delegation_id.in_(dids)))
        if model is t.OrgMention:
            oids = select(t.OrgMention.id).where(t.OrgMention.document_id == document_id)
            session.execute(delete(t.OrganizationKey).where(t.OrganizationKey.org_mention_id.in_(oids)))
        session.execute(delete(model).where(model.document_id == document_id))  # type: ignore[attr-defined]
    live_persons = {p for p in persons if p is not None}
    touch_persons(session, live_persons)
    dead_events = _drop_orphans(session, live_persons, {o for o in orgs if o is not None},
                                {e for e in events if e is not None})
    outvoted = settle_countries(session, live_persons)  # the survivors' majorities may have turned
    refresh_event_countries(session, ({e for e in events if e is not None} - dead_events)
                            | events_of(session, persons=outvoted))


def _drop_orphans(session: Session, persons: set[int], orgs: set[int], events: set[int]) -> set[int]:
    """Delete the canonical entities no mention supports any more; returns the events deleted."""
    if persons:
        alive = set(session.execute(select(t.PersonMention.person_id).where(
            t.PersonMention.person_id.in_(persons))).scalars())
        dead = persons - alive
        if dead:
            session.execute(update(t.Person).where(t.Person.merged_into_id.in_(dead)).values(merged_into_id=None))
            session.execute(delete(t.Person).where(t.Person.id.in_(dead)))
    if orgs:
        alive = set(session.execute(select(t.OrgMention.organization_id).where(
            t.OrgMention.organization_id.in_(orgs))).scalars())
        if orgs - alive:
            session.execute(delete(t.Organization).where(t.Organization.id.in_(orgs - alive)))
    if not events:
        return set()
    alive = set(session.execute(select(t.EventReport.event_id).where(t.EventReport.event_id.in_(events))).scalars())
    dead = events - alive
    if dead:
        forget_events(session.connection(), sorted(dead))
        session.execute(delete(t.Event).where(t.Event.id.in_(dead)))
    return dead
