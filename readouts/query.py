"""Questions asked of the store: search, persons, organizations, events, documents, the network.

Every function takes an open SQLAlchemy session (``store.session()``) and returns plain
dataclasses of strings and numbers, ready for a table, a template or JSON. Lists come as a
:class:`Page` (``items``, ``total``, ``limit``, ``offset``). Anything asked for by id that is
not there raises :class:`readouts.errors.NotFound`.

Queries fetch a page first and then everything that page shows in one more query per kind
of thing (participants, counts), never one query per row.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from readouts.copresence import Copresence
from readouts.copresence import build as build_copresence
from readouts.errors import InputError, NotFound
from readouts.filters import EventFilter
from readouts.search_terms import (
    fts5_match,
    pg_config,
    pg_first_at,
    pg_first_match,
    pg_query,
    pg_snippet_source,
)
from readouts.store.schema import (
    Delegation,
    DelegationMember,
    Document,
    Event,
    EventCountry,
    EventCountryPair,
    EventOrganization,
    EventParticipant,
    EventPerson,
    EventReport,
    Organization,
    OrganizationPerson,
    OrgMention,
    Person,
    PersonAlias,
    PersonDelegation,
    PersonMention,
    PersonPosition,
    Position,
)

T = TypeVar("T")
MAX_LIMIT = 500


# --- result types --------------------------------------------------------------------------------

@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    estimated: bool = False  # the list holds more than ``total - 1`` (20,000) items: counting stopped there


@dataclass
class Ref:
    """A link to a canonical entity: what a list shows of it."""

    kind: str  # person | organization | country
    id: int | None
    name: str
    country: str | None = None


@dataclass
class DocumentSummary:
    id: int
    title: str | None
    date: str | None
    source: str | None
    external_id: str | None


@dataclass
class SearchHit:
    document: DocumentSummary
    snippet: str
    snippet_spans: list[tuple[int, int]]  # the matched words, offsets into snippet


@dataclass
class PersonSummary:
    id: int
    name: str
    country: str | None
    n_documents: int


@dataclass
class OrganizationSummary:
    id: int
    name: str
    acronym: str | None
    country: str | None
    kind: str
    n_documents: int


@dataclass
class SearchResult:
    query: str
    persons: list[PersonSummary]
    organizations: list[OrganizationSummary]
    documents: Page[SearchHit]


@dataclass
class EventSummary:
    id: int
    type: str
    status: str
    date: str | None
    location: str | None
    topics: list[str]
    persons: list[Ref]
    organizations: list[Ref]
    countries: list[str]
    n_sources: int


@dataclass
class TimelinePosition:
    title: str
    organization: Ref | None
    first_seen: str | None
    last_seen: str | None
    n_documents: int


@dataclass
class Counterpart:
    person: Ref
    n_events: int


@dataclass
class StatedPerson:
    """A person as one document names them, with the titles that document states for them."""

    person: Ref | None  # the canonical person, when resolved
    name: str
    titles: list[str]


@dataclass
class DelegationView:
    """A delegation one document lists: the government it represents, who led it, who was in it."""

    id: int
    document: DocumentSummary
    country: str | None
    leader: StatedPerson | None  # only when the document says who led or headed it
    members: list[StatedPerson]


@dataclass
class PersonDetail:
    id: int
    name: str
    country: str | None
    aliases: list[str]
    positions: list[TimelinePosition]
    counterparts: list[Counterpart]
    events: Page[EventSummary]
    documents: Page[DocumentSummary]
    delegations: list[DelegationView] = field(default_factory=list)  # those the person was part of


@dataclass
class OrganizationDetail:
    id: int
    name: str
    acronym: str | None
    country: str | None
    kind: str
    aliases: list[str]
    people: list[Counterpart]  # persons said to hold a position there, with how many documents say so
    events: Page[EventSummary]
    documents: Page[DocumentSummary]


@dataclass
class EventSource:
    document: DocumentSummary
    report_id: int
    type: str
    status: str
    date: str | None
    location: str | None
    topics: list[str]
    evidence: list[tuple[int, int]]
    evidence_text: list[str]
    participants: list[StatedPerson] = field(default_factory=list)  # with the titles this source states


@dataclass
class EventDetail:
    event: EventSummary
    sources: list[EventSource]
    delegations: list[DelegationView] = field(default_factory=list)  # taking part, as each source lists them


@dataclass
class Mention:
    kind: str  # person | organization
    local_id: str
    entity: Ref | None
    name: str
    spans: list[tuple[int, int]]


@dataclass
class ReportInDocument:
    local_id: str
    event_id: int | None
    type: str
    status: str
    date: str | None
    topics: list[str]
    evidence: list[tuple[int, int]]
    report_id: int | None = None  # the anchor of its evidence on the document page: #report-<id>


@dataclass
class DocumentDetail:
    document: DocumentSummary
    language: str
    text: str
    persons: list[Mention]
    organizations: list[Mention]
    events: list[ReportInDocument]
    delegations: list[DelegationView] = field(default_factory=list)


@dataclass
class NetworkNode:
    id: int
    name: str
    country: str | None
    n_events: int


@dataclass
class NetworkEdge:
    source: int
    target: int
    n_events: int


@dataclass
class Network:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    total_edges: int


# --- helpers -------------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents: how names are compared ("Álvarez" = "alvarez")."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


def iso_date(d: date | str | None) -> str | None:
    """A stored date as ISO text."""
    return d.isoformat() if isinstance(d, date) else d


def _date(value: str | None, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{what} must be an ISO date like 2021-07-14, not {value!r}") from None


def _paging(limit: int, offset: int) -> tuple[int, int]:
    if limit < 1 or offset < 0:
        raise InputError("limit must be at least 1 and offset at least 0")
    return min(limit, MAX_LIMIT), offset


def span_pairs(raw: Any) -> list[tuple[int, int]]:
    """Stored spans (a JSON list of [start, end]) as pairs."""
    return [(int(s[0]), int(s[1])) for s in (raw or []) if len(s) == 2]


def _doc_summary(d: Any) -> DocumentSummary:
    return DocumentSummary(id=d.id, title=d.title, date=iso_date(d.date), source=d.source, external_id=d.external_id)


_DOC_COLUMNS = (Document.id, Document.title, Document.date, Document.source, Document.external_id)


def _count(session: Session, stmt: sa.Select[Any]) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0


_CACHE: dict[tuple[str, Any], tuple[tuple[Any, ...], Any]] = {}
_CACHE_SIZE = 256


def _fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes whenever what the store says could change: a (re)extraction, a new person, an override.

    Rowid maxima and small counts only, so it costs well under a millisecond.
    """
    from readouts.store.schema import ExtractionRun, PersonOverride
    return tuple(session.execute(sa.select(
        sa.select(sa.func.max(ExtractionRun.id)).scalar_subquery(),
        sa.select(sa.func.max(Person.id)).scalar_subquery(),
        sa.select(sa.func.max(Event.id)).scalar_subquery(),
        sa.select(sa.func.count(PersonOverride.id)).scalar_subquery())).one())


def _cached(session: Session, key: Any, compute: Any) -> Any:
    """``compute()``, remembered for as long as the store's fingerprint stays the same.

    For the whole-store aggregates (the network, facet lists) that no index can answer in a few
    milliseconds; everything else is asked of the database each time.
    """
    full_key = (str(session.get_bind().engine.url), key)
    fp = _fingerprint(session)
    hit = _CACHE.pop(full_key, None)
    if hit is not None and hit[0] == fp:
        _CACHE[full_key] = hit  # last in the order: the least recently used goes first, not the oldest
        return hit[1]
    value = compute()
    if len(_CACHE) >= _CACHE_SIZE:  # a stream of one-off filters must not push out what every page reads
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[full_key] = (fp, value)
    return value


# --- full-text search ----------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)
_MARK_START, _MARK_END = "\x02", "\x03"


def search(session: Session, text: str, *, limit: int = 20, offset: int = 0) -> SearchResult:
    """Documents matching every word of ``text``, and persons and organizations whose names match."""
    return SearchResult(
        query=text,
        persons=find_persons(session, text, limit=10).items,
        organizations=find_organizations(session, text, limit=10).items,
        documents=search_documents(session, text, limit=limit, offset=offset),
    )


def search_documents(session: Session, text: str, *, limit: int = 20, offset: int = 0) -> Page[SearchHit]:
    """Full-text search over titles and texts (SQLite FTS5 or PostgreSQL tsvector), best first."""
    limit, offset = _paging(limit, offset)
    words = _WORD.findall(text)
    if not words:
        return Page([], 0, limit, offset)
    if session.get_bind().dialect.name == "postgresql":
        return _search_postgres(session, words, limit, offset)
    return _search_sqlite(session, fts5_match(words), limit, offset)


def _search_sqlite(session: Session, match: str, limit: int, offset: int) -> Page[SearchHit]:
    total = session.execute(sa.text("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :q"),
                            {"q": match}).scalar_one()
    rows = session.execute(sa.text(
        "SELECT d.id, d.title, d.date, d.source, d.external_id, "
        "snippet(documents_fts, 1, :a, :b, '…', 24) AS snip "
        "FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid "
        "WHERE documents_fts MATCH :q ORDER BY rank LIMIT :limit OFFSET :offset"),
        {"q": match, "a": _MARK_START, "b": _MARK_END, "limit": limit, "offset": offset}).all()
    return Page([_hit(r) for r in rows], total, limit, offset)


RANKED_MAX = 2000  # a search matching more documents lists them newest first: ranking reads every match
COUNTED_MAX = 20_000  # on PostgreSQL, a search or event list counts this far: past it, "over 20,000"


def _planned_rows(session: Session, sql: str, params: dict[str, Any]) -> int:
    plan = session.execute(sa.text(f"EXPLAIN (FORMAT JSON) {sql}"), params).scalar_one()
    return int(plan[0]["Plan"]["Plan Rows"])


def _search_postgres(session: Session, words: list[str], limit: int, offset: int) -> Page[SearchHit]:
    """Over the stored ``tsv`` column (migration 0004). Up to RANKED_MAX matches are ranked; beyond that
    ``ts_rank`` would read every match's tsvector, so they come newest first, which the
    ``ix_documents_newest`` index answers page by page."""
    query = pg_query(":q")
    where = f"tsv @@ ({query})"
    params = {"q": " ".join(words)}
    # Counting 400,000 matches reads 400,000 rows (seconds): the count stops past COUNTED_MAX and the
    # page says "over 20,000". When the planner expects that many, even the capped count is skipped (its
    # plan for so common a word may read the table).
    estimate = _planned_rows(session, f"SELECT 1 FROM documents WHERE {where}", params)
    total, newest_ids = ((COUNTED_MAX + 1, None) if estimate > COUNTED_MAX
                         else _counted_newest(session, where, params, limit, offset))
    estimated = total > COUNTED_MAX
    snippet_params = {**params, "pat": pg_first_match(words)}
    if newest_ids is not None and not estimated and (total > RANKED_MAX or not newest_ids):
        return Page(_hits(session, query, snippet_params, newest_ids), total, limit, offset)
    if total > max(COUNTED_MAX, RANKED_MAX) and (newest_ids := _walk_search(session, where, params, limit,
                                                                             offset)) is not None:
        return Page(_hits(session, query, snippet_params, newest_ids), total, limit, offset, estimated)
    # Ranked (up to RANKED_MAX matches), or newest first when the walk did not hold the page.
    rank, order = ((f"ts_rank(tsv, {query})", "r DESC, id") if total <= RANKED_MAX
                   else ("0", "date DESC NULLS LAST, id DESC"))
    ids = list(session.scalars(sa.text(
        f"SELECT id FROM (SELECT id, date, {rank} AS r FROM documents WHERE {where} "
        f"ORDER BY {order} LIMIT :limit OFFSET :offset) p ORDER BY {order}"),
        {**params, "limit": limit, "offset": offset}))
    return Page(_hits(session, query, snippet_params, ids), total, limit, offset, estimated)


_HEADLINE = "'StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12'"


def _n_documents(session: Session) -> int:
    """The planner's count of documents (from the table's statistics: no scan), to size a walk."""
    return _planned_rows(session, "SELECT 1 FROM documents", {})


def _counted_newest(session: Session, where: str, params: dict[str, Any], limit: int,
                    offset: int) -> tuple[int, list[int] | None]:
    """How many documents match (up to COUNTED_MAX + 1), and the page of them newest first — one read of
    the matches for both, where a count and then a sort read them twice (13,740 matches: 10,000 heap
    pages each time). The page is None when the matches were not all read (past COUNTED_MAX), or when
    it is past their end and the count had to be taken on its own."""
    rows = session.execute(sa.text(
        f"SELECT id, count(*) OVER () AS n FROM (SELECT id, date FROM documents WHERE {where} "
        f"LIMIT {COUNTED_MAX + 1}) m ORDER BY date DESC NULLS LAST, id DESC LIMIT :limit OFFSET :offset"),
        {**params, "limit": limit, "offset": offset}).all()
    if rows:
        return rows[0].n, None if rows[0].n > COUNTED_MAX else [r.id for r in rows]
    total = session.execute(sa.text(
        f"SELECT count(*) FROM (SELECT 1 FROM documents WHERE {where} LIMIT {COUNTED_MAX + 1}) m"),
        params).scalar_one()
    return total, [] if total <= COUNTED_MAX else None


def _walk_search(session: Session, where: str, params: dict[str, Any], limit: int,
                 offset: int) -> list[int] | None:
    """The page of a search with over COUNTED_MAX matches, newest first, found by testing the newest
    documents in turn (``ix_documents_newest``); None when they did not hold it. The planner does this
    itself when it expects many matches; for a query of several lexemes ("Indo-Pacific": 'indo-pacif' &
    'indo' & 'pacif') it expected 2 where 43,968 matched, and read and sorted them all (120 ms). Matches
    this common are at least COUNTED_MAX / documents of the store, so an even spread holds the page within
    (offset + limit) * documents / COUNTED_MAX of the newest; four times that is walked, at most
    WALK_BUDGET."""
    n_documents = _n_documents(session)
    budget = min(WALK_BUDGET, 4 * -(-(offset + limit) * n_documents // COUNTED_MAX))
    ids = list(session.scalars(sa.text(
        f"SELECT id FROM (SELECT id, date, tsv FROM documents ORDER BY date DESC NULLS LAST, id DESC "
        f"LIMIT :budget) n WHERE {where} ORDER BY date DESC NULLS LAST, id DESC LIMIT :limit OFFSET :offset"),
        {**params, "budget": budget, "limit": limit, "offset": offset}))
    return ids if len(ids) == limit else None


def _hits(session: Session, query: str, params: dict[str, Any], ids: list[int]) -> list[SearchHit]:
    """These documents, in this order, with their snippets."""
    if not ids:
        return []
    version = session.get_bind().dialect.server_version_info or (0,)
    # PostgreSQL 15 and later: the snippet is made from a window around the first match (search_terms)
    source, window = ((pg_snippet_source("d.text", "f.at"),
                       f"CROSS JOIN LATERAL (SELECT {pg_first_at('d.text', ':pat')} AS at) f")
                      if version >= (15,) else ("d.text", ""))
    rows = session.execute(sa.text(
        "SELECT d.id, d.title, d.date, d.source, d.external_id, "
        f"ts_headline({pg_config('d.language')}, {source}, {query}, {_HEADLINE}) AS snip "
        f"FROM documents d {window} WHERE d.id = ANY(:ids)"), {**params, "ids": ids}).all()
    by_id = {r.id: r for r in rows}
    return [_hit(by_id[i]) for i in ids]


def _hit(row: Any) -> SearchHit:
    snippet, spans = _unmark(row.snip or "")
    d = DocumentSummary(id=row.id, title=row.title, date=iso_date(row.date) if not isinstance(row.date, str)
                        else row.date, source=row.source, external_id=row.external_id)
    return SearchHit(document=d, snippet=snippet, snippet_spans=spans)


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Split a snippet with start/end markers into plain text and the marked spans."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos, start = 0, None
    for ch in marked:
        if ch == _MARK_START:
            start = pos
        elif ch == _MARK_END:
            if start is not None:
                spans.append((start, pos))
            start = None
        else:
            out.append(ch)
            pos += 1
    return "".join(out), spans


# --- persons -------------------------------------------------------------------------------------

def _live_persons() -> sa.ColumnElement[bool]:
    return Person.merged_into_id.is_(None)


@dataclass
class _NameIndex:
    """Every live entity's folded names (its own and those its mentions gave it) and document count."""

    ids: list[int]
    keys: list[str]  # the entity's own name_key
    texts: list[str]  # every folded name of the entity, joined by "\n" (never inside a name)
    n_docs: list[int]
    labels: list[tuple[str, str | None, str | None, str]]  # name, country, acronym, kind
    acronyms: dict[str, list[int]] = field(default_factory=dict)  # lower-cased acronym -> positions


def _person_names(session: Session) -> _NameIndex:
    """The persons' names, read once per store fingerprint: matching them is then a scan in memory.

    A LIKE '%…%' over persons and their mentions cannot use an index on either backend, and a name
    search runs on every search page; about 10 MB of strings for 100k persons is cheaper than that.
    """
    def compute() -> _NameIndex:
        mention_names: dict[int, set[str]] = defaultdict(set)
        for pid, key in session.execute(sa.select(PersonMention.person_id, PersonMention.name_key).distinct()
                                        .where(PersonMention.person_id.is_not(None),
                                               PersonMention.name_key.is_not(None))):
            if pid is not None and key is not None:
                mention_names[pid].add(key)
        n_docs = dict(session.execute(
            sa.select(PersonMention.person_id, sa.func.count(sa.distinct(PersonMention.document_id)))
            .where(PersonMention.person_id.is_not(None)).group_by(PersonMention.person_id)).all())
        idx = _NameIndex([], [], [], [], [])
        for r in session.execute(sa.select(Person.id, Person.name, Person.name_key, Person.country)
                                 .where(_live_persons()).order_by(Person.id)):
            idx.ids.append(r.id)
            idx.keys.append(r.name_key)
            idx.texts.append("\n".join([r.name_key, *sorted(mention_names.get(r.id, ()))]))
            idx.n_docs.append(n_docs.get(r.id, 0))
            idx.labels.append((r.name, r.country, None, "person"))
        return idx
    return _cached(session, "person_names", compute)  # type: ignore[no-any-return]


def _name_matches(idx: _NameIndex, key: str) -> list[int]:
    """Positions in ``idx`` of the entities whose names contain ``key`` or whose acronym is ``key``:
    exact names and acronyms first, then names starting with ``key``, then the most documented."""
    acronym = set(idx.acronyms.get(key, ()))
    hits = acronym.union(i for i, text in enumerate(idx.texts) if key in text)
    def rank(i: int) -> tuple[Any, ...]:
        own = idx.keys[i]
        exact = 0 if own == key or i in acronym else 1 if own.startswith(key + " ") else 2
        return (exact, -idx.n_docs[i], idx.labels[i][0], idx.ids[i])
    return sorted(hits, key=rank)


def find_persons(session: Session, name: str, *, limit: int = 20, offset: int = 0) -> Page[PersonSummary]:
    """Persons whose name (or any name a document gave them) contains ``name``, ignoring accents and case.

    Exact names first (then names that start with ``name``), then the persons the most documents
    mention. Matched in memory over the names read once per store fingerprint (:func:`_person_names`).
    """
    limit, offset = _paging(limit, offset)
    key = " ".join(_WORD.findall(fold(name)))
    if not key:
        return Page([], 0, limit, offset)
    idx = _person_names(session)
    hits = _name_matches(idx, key)
    return Page([PersonSummary(idx.ids[i], idx.labels[i][0], idx.labels[i][1], idx.n_docs[i])
                 for i in hits[offset:offset + limit]], len(hits), limit, offset)


MAX_ID = 2**31 - 1  # the store's id columns are 32-bit on PostgreSQL


def as_id(value: str | int) -> int | None:
    """The row id a value names, or None: ASCII digits within the id range ("²" and "99999999999" are not)."""
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID else None


def resolve_person(session: Session, name_or_id: str | int) -> int:
    """A canonical person id from an id or a name (the best match of :func:`find_persons`)."""
    if (isinstance(name_or_id, int) or str(name_or_id).isdigit()) and as_id(name_or_id) is None:
        raise NotFound(f"no person with id {name_or_id}; search by name with `readouts person NAME`")
    if as_id(name_or_id) is not None:
        person = session.get(Person, as_id(name_or_id))
        if person is None:
            raise NotFound(f"no person with id {name_or_id}; search by name with `readouts person NAME`")
        return person.merged_into_id or person.id
    found = find_persons(session, str(name_or_id), limit=1)
    if not found.items:
        raise NotFound(f"no person named like {name_or_id!r}; try part of the name, e.g. a surname")
    return found.items[0].id


def person_ref(session: Session, person_id: int) -> Ref:
    """A canonical person's name and country, for a label."""
    p = session.get(Person, resolve_person(session, person_id))
    assert p is not None
    return Ref("person", p.id, p.name, p.country)


class AmbiguousPerson(InputError):
    """A name that several persons answer to, where one was needed: choose one of ``candidates`` by id."""

    def __init__(self, message: str, *, name: str = "", candidates: Page[PersonSummary] | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.candidates = candidates if candidates is not None else Page([], 0, MAX_LIMIT, 0)


def unique_person(session: Session, name_or_id: str | int) -> int:
    """Like :func:`resolve_person`, but a name never silently stands for one of several persons.

    An id, a name only one person answers to, or a full name that is exactly one person's own name gives
    that person; any other name several persons answer to raises :class:`AmbiguousPerson`.
    """
    if as_id(name_or_id) is not None or str(name_or_id).isdigit():
        return resolve_person(session, name_or_id)
    key = " ".join(_WORD.findall(fold(str(name_or_id))))
    idx = _person_names(session)
    hits = _name_matches(idx, key) if key else []
    exact = [i for i in hits if idx.keys[i] == key]
    if len(hits) == 1 or (len(exact) == 1 and " " in key):
        return idx.ids[(exact or hits)[0]]
    if not hits:
        raise NotFound(f"no person named like {name_or_id!r}; try part of the name, e.g. a surname")
    found = find_persons(session, str(name_or_id), limit=MAX_LIMIT)
    raise AmbiguousPerson(f"{found.total} persons are named like {str(name_or_id)!r}; choose one by id (person=ID): "
                          + ", ".join(f"{p.name} ({p.id})" for p in found.items[:5]),
                          name=str(name_or_id), candidates=found)


def person(session: Session, name_or_id: str | int, *, limit: int = 20, offset: int = 0) -> PersonDetail:
    """One person: names, positions over time, counterparts, events and the documents that mention them."""
    pid = resolve_person(session, name_or_id)
    p = session.get(Person, pid)
    assert p is not None
    ids = [pid, *session.scalars(sa.select(Person.id).where(Person.merged_into_id == pid))]
    aliases = sorted(set(session.scalars(
        sa.select(PersonAlias.name).where(PersonAlias.person_id.in_(ids)).distinct())) - {p.name})
    return PersonDetail(
        id=p.id, name=p.name, country=p.country, aliases=aliases,
        positions=_positions(session, ids),
        counterparts=counterparts(session, pid),
        events=events(session, EventFilter(person=str(pid)), limit=limit, offset=offset),
        documents=_documents_mentioning(session, PersonMention.document_id, PersonMention.person_id.in_(ids),
                                        limit, offset),
        delegations=delegations(session, Delegation.id.in_(
            sa.select(PersonDelegation.delegation_id).where(PersonDelegation.person_id.in_(ids)))),
    )


def _positions(session: Session, person_ids: list[int]) -> list[TimelinePosition]:
    """From the per-person summary (migration 0009). When more than one of ``person_ids`` (a person and
    those merged into it) holds positions, their summaries cannot be added up (a document may name two
    of them with one title): those are counted from the positions."""
    pp = PersonPosition
    holders = session.scalars(sa.select(pp.person_id).where(pp.person_id.in_(person_ids)).distinct()).all()
    if len(holders) > 1:
        return _positions_counted(session, person_ids)
    rows = session.execute(
        sa.select(pp.title, pp.organization_id, Organization.name, Organization.country,
                  pp.first_seen.label("first"), pp.last_seen.label("last"), pp.n_documents.label("n"))
        .outerjoin(Organization, Organization.id == pp.organization_id)
        .where(pp.person_id.in_(person_ids)).order_by(pp.first_seen, pp.title, pp.organization_id)).all()
    return [_timeline_position(r) for r in rows]


def _positions_counted(session: Session, person_ids: list[int]) -> list[TimelinePosition]:
    rows = session.execute(
        sa.select(Position.title, Position.organization_id, Organization.name, Organization.country,
                  sa.func.min(Position.date).label("first"), sa.func.max(Position.date).label("last"),
                  sa.func.count(sa.distinct(Position.document_id)).label("n"))
        .outerjoin(Organization, Organization.id == Position.organization_id)
        .where(Position.person_id.in_(person_ids))
        .group_by(Position.title, Position.organization_id, Organization.name, Organization.country)
        .order_by(sa.func.min(Position.date), Position.title, Position.organization_id)).all()
    return [_timeline_position(r) for r in rows]


def _timeline_position(r: Any) -> TimelinePosition:
    return TimelinePosition(
        title=r.title,
        organization=Ref("organization", r.organization_id, r.name, r.country) if r.organization_id else None,
        first_seen=iso_date(r.first), last_seen=iso_date(r.last), n_documents=r.n)


def counterparts(session: Session, person_id: int, *, limit: int = 50) -> list[Counterpart]:
    """The persons who took part in the same events, with how many events they shared.

    Counted from the who-took-part-in-what arrays the network reads (once per store fingerprint): a
    person in 100,000 events has some 300,000 co-participations, a second's aggregate in SQL."""
    idx = _copresence(session)
    return [Counterpart(Ref("person", pid, idx.names[i], idx.countries[i]), n)
            for pid, n in idx.counterparts(person_id, limit) for i in [_pos(idx, pid)]]


def _pos(idx: Copresence, person_id: int) -> int:
    i = idx.person_pos(person_id)
    assert i is not None
    return i


def _documents_mentioning(session: Session, doc_col: Any, cond: sa.ColumnElement[bool],
                          limit: int, offset: int) -> Page[DocumentSummary]:
    # distinct documents among the mentions (every mention's document exists): an index-only count
    # with migration 0007's indexes
    total = session.scalar(sa.select(sa.func.count(sa.distinct(doc_col))).where(cond)) or 0
    if session.get_bind().dialect.name != "postgresql":
        stmt = (sa.select(*_DOC_COLUMNS).where(Document.id.in_(sa.select(doc_col).where(cond)))
                .order_by(*_NEWEST_DOCUMENTS).limit(limit).offset(offset))
        return Page([_doc_summary(r) for r in session.execute(stmt)], total, limit, offset)
    ids = _newest_ids(session, doc_col, cond, total, limit, offset)
    rows = {r.id: r for r in session.execute(sa.select(*_DOC_COLUMNS).where(Document.id.in_(ids)))}
    return Page([_doc_summary(rows[i]) for i in ids], total, limit, offset)


_NEWEST_DOCUMENTS = (Document.date.desc().nulls_last(), Document.id.desc())
WALK_BUDGET = 20_000
"""At most this many of the newest documents are walked for a page of a person's documents before they are
all sorted."""


def _newest_ids(session: Session, doc_col: Any, cond: sa.ColumnElement[bool], total: int,
                limit: int, offset: int) -> list[int]:
    """A page of the ids of the documents ``cond`` selects, newest first, on PostgreSQL.

    The planner walks ``ix_documents_newest`` and tests each document, expecting the selection to be
    spread evenly over time; an official whose documents are all older than most of the store's (one who
    left office) made it test 77,000 documents for 20 (200 ms). Sorting the whole selection instead
    costs a look-up per document (``ix_documents_id_date``, migration 0010), about two and a half times
    what testing one document of the walk costs. So the walk is tried, over no more documents than the
    selection holds (nor :data:`WALK_BUDGET`), when an even spread would end it within half of them; the
    selection is sorted whole when it did not fill the page."""
    n_documents = _n_documents(session)
    budget = min(total, WALK_BUDGET)
    if total and 2 * (offset + limit) * n_documents <= budget * total:
        found = _walk_newest(session, doc_col, cond, budget, total, limit, offset)
        if found is not None:
            return found
    key = Document.date + 0  # keeps the planner off ix_documents_newest: the dates come from ix_documents_id_date
    return list(session.scalars(
        sa.select(Document.id).where(Document.id.in_(sa.select(doc_col).where(cond)))
        .order_by(key.desc().nulls_last(), Document.id.desc()).limit(limit).offset(offset)))


def _walk_newest(session: Session, doc_col: Any, cond: sa.ColumnElement[bool], budget: int, total: int,
                 limit: int, offset: int) -> list[int] | None:
    """The page, from the ``budget`` newest documents; None when they do not hold all of it."""
    newest = sa.select(Document.id, Document.date).order_by(*_NEWEST_DOCUMENTS).limit(budget).subquery()
    ids = list(session.scalars(
        sa.select(newest.c.id).where(sa.exists().where(cond, doc_col == newest.c.id))
        .order_by(newest.c.date.desc().nulls_last(), newest.c.id.desc()).limit(limit).offset(offset)))
    # a full page is the page: the newest documents are the start of the order the page is taken from
    return ids if len(ids) == limit or offset + len(ids) >= total else None


# --- organizations -------------------------------------------------------------------------------

def _organization_names(session: Session) -> _NameIndex:
    """The organizations' names and acronyms, read once per store fingerprint (see :func:`_person_names`)."""
    def compute() -> _NameIndex:
        n_docs = dict(session.execute(
            sa.select(OrgMention.organization_id, sa.func.count(sa.distinct(OrgMention.document_id)))
            .where(OrgMention.organization_id.is_not(None)).group_by(OrgMention.organization_id)).all())
        idx = _NameIndex([], [], [], [], [])
        for o in session.execute(sa.select(Organization.id, Organization.name, Organization.name_key,
                                           Organization.acronym, Organization.country, Organization.kind)
                                 .order_by(Organization.id)):
            idx.ids.append(o.id)
            idx.keys.append(o.name_key)
            idx.texts.append(o.name_key.lower())  # some keys keep an acronym's capitals: "acr:UNRWA"
            idx.n_docs.append(n_docs.get(o.id, 0))
            idx.labels.append((o.name, o.country, o.acronym, o.kind))
            if o.acronym:
                idx.acronyms.setdefault(o.acronym.lower(), []).append(len(idx.ids) - 1)
        return idx
    return _cached(session, "organization_names", compute)  # type: ignore[no-any-return]


def find_organizations(session: Session, name: str, *, limit: int = 20,
                       offset: int = 0) -> Page[OrganizationSummary]:
    """Organizations whose name contains ``name`` or whose acronym is ``name`` (accents and case ignored).

    Exact names and acronyms first, then names that start with ``name``, then the most documented.
    """
    limit, offset = _paging(limit, offset)
    key = " ".join(_WORD.findall(fold(name)))
    if not key:
        return Page([], 0, limit, offset)
    idx = _organization_names(session)
    hits = _name_matches(idx, key)
    return Page([OrganizationSummary(idx.ids[i], idx.labels[i][0], idx.labels[i][2], idx.labels[i][1],
                                     idx.labels[i][3], idx.n_docs[i]) for i in hits[offset:offset + limit]],
                len(hits), limit, offset)


def organization(session: Session, org_id: int, *, limit: int = 20, offset: int = 0) -> OrganizationDetail:
    """One organization: its people (by stated positions), events it took part in, documents naming it."""
    limit, offset = _paging(limit, offset)
    o = session.get(Organization, org_id)
    if o is None:
        raise NotFound(f"no organization with id {org_id}")
    op = OrganizationPerson
    people = session.execute(
        sa.select(Person.id, Person.name, Person.country, op.n_documents.label("n"))
        .join(Person, Person.id == op.person_id).where(op.organization_id == org_id)
        .order_by(sa.desc("n"), Person.name).limit(100)).all()
    # every event_organizations row's event exists (a foreign key): no read of events to select them
    ev_ids = sa.select(EventOrganization.event_id).where(EventOrganization.organization_id == org_id)
    return OrganizationDetail(
        id=o.id, name=o.name, acronym=o.acronym, country=o.country, kind=o.kind, aliases=list(o.aliases or []),
        people=[Counterpart(Ref("person", r.id, r.name, r.country), r.n) for r in people],
        events=_event_page(session, ev_ids, limit, offset),
        documents=_documents_mentioning(session, OrgMention.document_id, OrgMention.organization_id == org_id,
                                        limit, offset),
    )


# --- events --------------------------------------------------------------------------------------

def _has_topic(session: Session, topic: str) -> sa.ColumnElement[bool]:
    if session.get_bind().dialect.name == "postgresql":  # the GIN index of migration 0005
        from sqlalchemy.dialects.postgresql import JSONB
        return sa.cast(Event.topics, JSONB).contains([topic])
    # topics is a JSON list of strings; its text form holds each one quoted
    return sa.cast(Event.topics, sa.Text).like(f'%"{topic}"%')


def event_ids(session: Session, f: EventFilter) -> sa.Select[Any]:
    """The ids of the canonical events ``f`` selects, as a SELECT to nest: the one filter path of
    ``events``, timelines, the network and the exports.

    With a country it starts from ``event_countries``, with a pair of countries from
    ``event_country_pairs`` (one index range each, see :func:`_by_sides`), and reads ``events`` only for
    the filters that need its columns: counting the events with a U.S. side is then an index-only scan,
    not a join of the whole events table."""
    start = _by_sides(f)
    if start is None:
        return sa.select(Event.id).where(*_event_conditions(session, f, Event.id))
    stmt, event_id = start
    conditions = _event_conditions(session, f, event_id)
    if any(getattr(f, k) for k in ("topic", "type", "status", "since", "until")):
        stmt = stmt.join(Event, Event.id == event_id)
    return stmt.where(*conditions)


def _by_sides(f: EventFilter) -> tuple[sa.Select[Any], Any] | None:
    """The events with every side ``f`` names, and their id column; None when it names none.

    Two different countries are one range of ``event_country_pairs`` (migration 0010): joining their
    ``event_countries`` ranges read every event of the larger side (527,000 with a U.S. side) to find the
    few thousand they share."""
    pair = sorted(c.upper() for c in f.between if c) if f.between else []
    sides = [c.upper() for c in (*pair, f.country) if c]
    if not sides:
        return None
    if len(set(pair)) == 2:
        p = EventCountryPair
        stmt, event_id = sa.select(p.event_id).where(p.country_a == pair[0], p.country_b == pair[1]), p.event_id
        sides = sides[2:]
    else:
        first = sa.orm.aliased(EventCountry)
        stmt, event_id = sa.select(first.event_id).where(first.country == sides[0]), first.event_id
        sides = sides[1:]
    for code in sides:
        other = sa.orm.aliased(EventCountry)
        stmt = stmt.join(other, sa.and_(other.event_id == event_id, other.country == code))
    return stmt, event_id


def _event_conditions(session: Session, f: EventFilter, event_id: Any) -> list[sa.ColumnElement[bool]]:
    """``f``'s conditions other than its countries, on the events whose id is ``event_id``."""
    out: list[sa.ColumnElement[bool]] = []
    if f.person:
        pid = resolve_person(session, f.person)
        merged = sa.select(Person.id).where(sa.or_(Person.id == pid, Person.merged_into_id == pid))
        out.append(event_id.in_(sa.select(EventPerson.event_id).where(EventPerson.person_id.in_(merged))))
    if f.topic:
        out.append(_has_topic(session, f.topic.lower()))
    if f.type:
        out.append(Event.type == f.type)
    if f.status:
        out.append(Event.status == f.status)
    if since := _date(f.since, "since"):
        out.append(Event.date >= since)
    if until := _date(f.until, "until"):
        out.append(Event.date <= until)
    return out


def events(session: Session, f: EventFilter | None = None, *, limit: int = 20, offset: int = 0,
           oldest_first: bool = False) -> Page[EventSummary]:
    """Canonical events matching the filter, newest first (undated last)."""
    limit, offset = _paging(limit, offset)
    if f is None or f == EventFilter():
        return _all_events_page(session, limit, offset, oldest_first)
    if f == EventFilter(person=f.person):
        return _person_events_page(session, resolve_person(session, f.person or ""), limit, offset, oldest_first)
    return _event_page(session, event_ids(session, f), limit, offset, oldest_first)


def _person_events_page(session: Session, person_id: int, limit: int, offset: int,
                        oldest_first: bool) -> Page[EventSummary]:
    """A person's events (with those of the persons merged into it), ordered from the index the network
    keeps: a person in 100,000 events is one sort in memory, not a count and a join over them."""
    idx = _copresence(session)
    merged = [person_id, *session.scalars(sa.select(Person.id).where(Person.merged_into_id == person_id))]
    ids = idx.events_of(merged)
    page_ids = [int(i) for i in idx.sorted_events(ids, oldest_first=oldest_first)[offset:offset + limit]]
    rows = {e.id: e for e in session.scalars(sa.select(Event).where(Event.id.in_(page_ids)))}
    return Page(_summaries(session, [rows[i] for i in page_ids if i in rows]), len(ids), limit, offset)


FIRST_CHUNK = 100  # summaries in a download's first chunk (500 took 60-130 ms on a million events)


def event_chunks(session: Session, f: EventFilter | None = None, *, oldest_first: bool = False,
                 size: int = MAX_LIMIT) -> Iterator[list[EventSummary]]:
    """Every event ``f`` selects, in :func:`events`' order, ``size`` summaries at a time (for downloads).

    A person's events, or a selection counted in full (up to COUNTED_MAX), are ordered once and then
    summarised chunk by chunk; paging through :func:`events` would count and sort the whole selection
    again for every chunk (11,000 events: 23 times). Larger selections are paged as before."""
    f = f or EventFilter()
    ids: list[int] | None = None
    if f.person and f == EventFilter(person=f.person):
        pid = resolve_person(session, f.person)
        merged = [pid, *session.scalars(sa.select(Person.id).where(Person.merged_into_id == pid))]
        idx = _copresence(session)
        ids = [int(i) for i in idx.sorted_events(idx.events_of(merged), oldest_first=oldest_first)]
    elif f != EventFilter() and not _capped_count(session, event_ids(session, f))[1]:
        order = (Event.date.asc() if oldest_first else Event.date.desc()).nulls_last()
        ids = list(session.scalars(sa.select(Event.id).where(Event.id.in_(event_ids(session, f)))
                                   .order_by(order, Event.id)))
    if ids is None:
        yield from _paged(session, f, oldest_first, size)
        return
    if not ids:
        return
    # the first chunk is small, so that a download's first rows go out while the rest are read
    starts = [0, *range(min(size, FIRST_CHUNK), len(ids), size)]
    for start, end in zip(starts, [*starts[1:], len(ids)]):
        chunk = ids[start:end]
        rows = {e.id: e for e in session.scalars(sa.select(Event).where(Event.id.in_(chunk)))}
        yield _summaries(session, [rows[i] for i in chunk if i in rows])


def _paged(session: Session, f: EventFilter, oldest_first: bool, size: int) -> Iterator[list[EventSummary]]:
    offset = 0
    while True:
        page = events(session, f, limit=size, offset=offset, oldest_first=oldest_first)
        yield page.items
        offset += len(page.items)
        if not page.items or (offset >= page.total and not page.estimated):  # an estimate may be low
            return


def _event_totals(session: Session) -> tuple[int, int]:
    """(events, dated events): a scan of every event, so remembered per store fingerprint."""
    return _cached(session, "event_totals", lambda: tuple(  # type: ignore[no-any-return]
        session.execute(sa.select(sa.func.count(), sa.func.count(Event.date))).one()))


def _all_events_page(session: Session, limit: int, offset: int, oldest_first: bool) -> Page[EventSummary]:
    """Every event, dated ones by date (then id) and undated ones after them.

    The dated part walks ``ix_events_date`` and the undated part the primary key, so a page costs
    an index range rather than sorting the whole table (which ``date IS NULL`` in one ORDER BY forces).
    """
    total, n_dated = _event_totals(session)
    rows: list[Event] = []
    if offset < n_dated:
        rows.extend(session.scalars(
            sa.select(Event).where(Event.date.is_not(None))
            .order_by(*((Event.date, Event.id) if oldest_first else (Event.date.desc(), Event.id)))
            .limit(limit).offset(offset)))
    if len(rows) < limit and total > n_dated:
        rows.extend(session.scalars(sa.select(Event).where(Event.date.is_(None)).order_by(Event.id)
                                    .limit(limit - len(rows)).offset(max(0, offset - n_dated))))
    return Page(_summaries(session, rows), total, limit, offset)


def timeline(session: Session, country_a: str, country_b: str, *, since: str | None = None,
             until: str | None = None, limit: int = 200, offset: int = 0) -> Page[EventSummary]:
    """Events between two countries in date order: the history of their engagements."""
    f = EventFilter(between=(country_a.upper(), country_b.upper()), since=since, until=until)
    return events(session, f, limit=limit, offset=offset, oldest_first=True)


def _event_page(session: Session, ids: sa.Select[Any], limit: int, offset: int,
                oldest_first: bool = False) -> Page[EventSummary]:
    if session.get_bind().dialect.name == "postgresql":
        small = _small_selection_page(session, ids, limit, offset, oldest_first)
        if small is not None:
            return small
    total, estimated = _capped_count(session, ids)
    # NULLS LAST rather than a leading "date IS NULL" key: ix_events_date_id / ix_events_newest (migration
    # 0006) then give the order, and a page of a large selection stops after its rows. A small selection
    # (under 1 in 20 events) is better read whole and sorted than found by walking the date index past
    # every other event, which PostgreSQL's planner would otherwise do; "date + 0" keeps it off the index.
    key: Any = Event.date
    if not estimated and total * 20 < _event_totals(session)[0] and session.get_bind().dialect.name == "postgresql":
        key = Event.date + 0
    order = [(key.asc() if oldest_first else key.desc()).nulls_last(), Event.id]
    rows = session.scalars(sa.select(Event).where(Event.id.in_(ids)).order_by(*order)
                           .limit(limit).offset(offset)).all()
    return Page(_summaries(session, list(rows)), total, limit, offset, estimated)


def _small_selection_page(session: Session, ids: sa.Select[Any], limit: int, offset: int,
                          oldest_first: bool) -> Page[EventSummary] | None:
    """A page of a selection the planner expects to be counted in full (up to COUNTED_MAX), from one
    query: the selection's dates read from ``ix_events_id_date`` (migration 0009) rather than the events'
    rows, sorted, and counted by a window over it — instead of a count and then a sort of the same rows.
    None when the plan expects more, or the selection turns out larger, or the page is past its end."""
    try:
        sql = str(ids.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    except (sa.exc.CompileError, NotImplementedError):  # a value with no literal form (the topic's JSONB)
        return None
    if _planned_rows(session, sql.replace(":", "\\:"), {}) > COUNTED_MAX:  # a colon would read as a parameter
        return None
    key = Event.date + 0
    rows = session.execute(
        sa.select(Event.id, sa.func.count().over().label("n")).where(Event.id.in_(ids))
        .order_by((key.asc() if oldest_first else key.desc()).nulls_last(), Event.id)
        .limit(limit).offset(offset)).all()
    if not rows or rows[0].n > COUNTED_MAX:
        return None
    events = {e.id: e for e in session.scalars(sa.select(Event).where(Event.id.in_([r.id for r in rows])))}
    return Page(_summaries(session, [events[r.id] for r in rows]), rows[0].n, limit, offset)


def _capped_count(session: Session, ids: sa.Select[Any]) -> tuple[int, bool]:
    """How many rows ``ids`` selects; on PostgreSQL the count stops past COUNTED_MAX (an exact count of
    the 500,000 events with a U.S. side reads them all), and (COUNTED_MAX + 1, True) says so."""
    if session.get_bind().dialect.name != "postgresql":
        return _count(session, ids), False
    n = session.scalar(sa.select(sa.func.count()).select_from(
        ids.order_by(None).limit(COUNTED_MAX + 1).subquery())) or 0
    return n, n > COUNTED_MAX


def _summaries(session: Session, rows: list[Event]) -> list[EventSummary]:
    ids = [e.id for e in rows]
    parts = _participants(session, ids)
    sides: dict[int, list[str]] = defaultdict(list)
    for event_id, country in session.execute(sa.select(EventCountry.event_id, EventCountry.country)
                                             .where(EventCountry.event_id.in_(ids))
                                             .order_by(EventCountry.event_id, EventCountry.country)):
        sides[event_id].append(country)
    n_sources = dict(session.execute(
        sa.select(EventReport.event_id, sa.func.count(sa.distinct(EventReport.document_id)))
        .where(EventReport.event_id.in_(ids)).group_by(EventReport.event_id)).all())
    return [EventSummary(
        id=e.id, type=e.type, status=e.status, date=iso_date(e.date), location=e.location,
        topics=list(e.topics or []), persons=parts[e.id]["person"], organizations=parts[e.id]["organization"],
        countries=sides[e.id], n_sources=n_sources.get(e.id, 0))
        for e in rows]


def _participants(session: Session, event_ids: list[int]) -> dict[int, dict[str, list[Ref]]]:
    """Per event: the canonical persons and organizations taking part."""
    out: dict[int, dict[str, list[Ref]]] = defaultdict(lambda: {"person": [], "organization": []})
    if not event_ids:
        return out
    ep, er = EventParticipant, EventReport
    rows = session.execute(
        sa.select(er.event_id, Person.id.label("pid"), Person.name.label("pname"),
                  Person.country.label("pcountry"), Organization.id.label("oid"), Organization.name.label("oname"),
                  Organization.country.label("ocountry"))
        .select_from(ep).join(er, er.id == ep.event_report_id)
        .outerjoin(Person, Person.id == ep.person_id)
        .outerjoin(Organization, Organization.id == ep.organization_id)
        .where(er.event_id.in_(event_ids), sa.or_(ep.person_id.is_not(None), ep.organization_id.is_not(None)))
        .order_by(ep.id)).all()
    seen: set[tuple[int, str, Any]] = set()
    for r in rows:
        got = out[r.event_id]
        for kind, key, ref in _refs_of(r):
            if (r.event_id, kind, key) not in seen:
                seen.add((r.event_id, kind, key))
                got[kind].append(ref)
    return out


def _refs_of(r: Any) -> list[tuple[str, Any, Ref]]:
    refs: list[tuple[str, Any, Ref]] = []
    if r.pid is not None:
        refs.append(("person", r.pid, Ref("person", r.pid, r.pname, r.pcountry)))
    if r.oid is not None:
        refs.append(("organization", r.oid, Ref("organization", r.oid, r.oname, r.ocountry)))
    return refs


def event(session: Session, event_id: int) -> EventDetail:
    """One event and every document that reports it, with the sentences that say so."""
    e = session.get(Event, event_id)
    if e is None:
        raise NotFound(f"no event with id {event_id}")
    rows = session.execute(
        sa.select(EventReport, *_DOC_COLUMNS).join(Document, Document.id == EventReport.document_id)
        .where(EventReport.event_id == event_id).order_by(Document.date, Document.id)).all()
    texts = _span_texts(session, {(r.EventReport.document_id, tuple(map(tuple, r.EventReport.spans or [])))
                                  for r in rows})
    stated = _stated_participants(session, [r.EventReport.id for r in rows])
    sources = [EventSource(
        document=_doc_summary(r), report_id=r.EventReport.id, type=r.EventReport.type,
        status=r.EventReport.status, date=iso_date(r.EventReport.date), location=r.EventReport.location,
        topics=list(r.EventReport.topics or []), evidence=span_pairs(r.EventReport.spans),
        evidence_text=texts[(r.EventReport.document_id, tuple(map(tuple, r.EventReport.spans or [])))],
        participants=stated.get(r.EventReport.id, []))
        for r in rows]
    ep, er = EventParticipant, EventReport
    taking_part = (sa.select(Delegation.id).join(er, er.document_id == Delegation.document_id)
                   .join(ep, sa.and_(ep.event_report_id == er.id, ep.kind == "delegation",
                                     ep.ref == Delegation.local_id))
                   .where(er.event_id == event_id))
    return EventDetail(event=_summaries(session, [e])[0], sources=sources,
                       delegations=delegations(session, Delegation.id.in_(taking_part)))


def _stated_participants(session: Session, report_ids: list[int]) -> dict[int, list[StatedPerson]]:
    """Per event report: the persons taking part, named and titled as that report's document does."""
    ep, er = EventParticipant, EventReport
    rows = session.execute(
        sa.select(ep.event_report_id, PersonMention.id).join(er, er.id == ep.event_report_id)
        .join(PersonMention, sa.and_(PersonMention.document_id == er.document_id, PersonMention.local_id == ep.ref))
        .where(ep.event_report_id.in_(report_ids), ep.kind == "person").order_by(ep.id)).all()
    people = _stated_persons(session, [m for _, m in rows])
    out: dict[int, list[StatedPerson]] = defaultdict(list)
    for report_id, mention_id in rows:
        out[report_id].append(people[mention_id])
    return out


def _stated_persons(session: Session, mention_ids: list[int]) -> dict[int, StatedPerson]:
    """Person mentions by id, each with its canonical person and the titles its document states."""
    if not mention_ids:
        return {}
    titles: dict[int, list[str]] = defaultdict(list)
    for mention_id, title in session.execute(sa.select(Position.person_mention_id, Position.title)
                                             .where(Position.person_mention_id.in_(mention_ids))
                                             .order_by(Position.id)):
        if title not in titles[mention_id]:
            titles[mention_id].append(title)
    rows = session.execute(sa.select(PersonMention.id, PersonMention.name, Person.id.label("pid"),
                                     Person.name.label("pname"), Person.country)
                           .outerjoin(Person, Person.id == PersonMention.person_id)
                           .where(PersonMention.id.in_(mention_ids))).all()
    return {r.id: StatedPerson(Ref("person", r.pid, r.pname, r.country) if r.pid else None, r.name,
                               titles[r.id]) for r in rows}


def _span_texts(session: Session, wanted: set[tuple[int, tuple[Any, ...]]]) -> dict[Any, list[str]]:
    """The evidence sentences: for each (document id, spans), the text of each span."""
    doc_ids = {d for d, _ in wanted}
    texts = dict(session.execute(sa.select(Document.id, Document.text).where(Document.id.in_(doc_ids))).all())
    return {(d, spans): [texts[d][int(s):int(e)] for s, e in spans] for d, spans in wanted}


# --- documents -----------------------------------------------------------------------------------

def document(session: Session, doc: int | str) -> DocumentDetail:
    """A document's text with every person, organization and event found in it (with their spans).

    ``doc`` is the store id, the content hash (``sha256:…``) or the source's id for it.
    """
    d = _find_document(session, doc)
    pm = session.execute(
        sa.select(PersonMention, Person.name, Person.country).outerjoin(Person, Person.id == PersonMention.person_id)
        .where(PersonMention.document_id == d.id).order_by(PersonMention.id)).all()
    om = session.execute(
        sa.select(OrgMention, Organization.name, Organization.country)
        .outerjoin(Organization, Organization.id == OrgMention.organization_id)
        .where(OrgMention.document_id == d.id).order_by(OrgMention.id)).all()
    reports = session.scalars(sa.select(EventReport).where(EventReport.document_id == d.id)
                              .order_by(EventReport.id)).all()
    return DocumentDetail(
        document=_doc_summary(d), language=d.language, text=d.text,
        persons=[Mention("person", m.local_id, Ref("person", m.person_id, n, c) if m.person_id else None,
                         m.name, span_pairs(m.spans)) for m, n, c in pm],
        organizations=[Mention("organization", m.local_id,
                               Ref("organization", m.organization_id, n, c) if m.organization_id else None,
                               m.name, span_pairs(m.spans)) for m, n, c in om],
        events=[ReportInDocument(r.local_id, r.event_id, r.type, r.status, iso_date(r.date), list(r.topics or []),
                                 span_pairs(r.spans), r.id) for r in reports],
        delegations=delegations(session, Delegation.document_id == d.id),
    )


# --- delegations ---------------------------------------------------------------------------------

MAX_DELEGATIONS = 50
_LED_BY = re.compile(r"\b(?:led|headed|chaired)\s+by\b|\bhead(?:ed)?\s+of\s+(?:the\s+)?delegation\b", re.IGNORECASE)
_LEADS = re.compile(r"\b(?:will\s+lead|leads|led|will\s+head|heads|headed)\s+the\s+(?:\w+\s+)?delegation\b", re.IGNORECASE)


def delegations(session: Session, where: sa.ColumnElement[bool]) -> list[DelegationView]:
    """The delegations ``where`` selects (at most :data:`MAX_DELEGATIONS`, oldest document first), each with
    its members as their document names and titles them."""
    # The ids first: joined to documents in one query, the planner would read every document's date.
    ids = list(session.scalars(sa.select(Delegation.id).where(where)))
    rows = session.execute(sa.select(Delegation.id, Delegation.country, Delegation.spans, *_DOC_COLUMNS[1:],
                                     Document.id.label("doc_id"), Document.text)
                           .join(Document, Document.id == Delegation.document_id).where(Delegation.id.in_(ids))
                           .order_by(Document.date, Document.id, Delegation.id).limit(MAX_DELEGATIONS)).all()
    members: dict[int, list[tuple[int, list[tuple[int, int]]]]] = defaultdict(list)
    for dl_id, mention_id, spans in session.execute(
            sa.select(DelegationMember.delegation_id, PersonMention.id, PersonMention.spans)
            .join(PersonMention, PersonMention.id == DelegationMember.person_mention_id)
            .where(DelegationMember.delegation_id.in_([r.id for r in rows])).order_by(DelegationMember.id)):
        members[dl_id].append((mention_id, span_pairs(spans)))
    people = _stated_persons(session, [m for ms in members.values() for m, _ in ms])
    out = []
    for r in rows:
        doc = DocumentSummary(r.doc_id, r.title, iso_date(r.date), r.source, r.external_id)
        leader = _leader(r.text, span_pairs(r.spans), members[r.id])
        out.append(DelegationView(r.id, doc, r.country, people[leader] if leader else None,
                                  [people[m] for m, _ in members[r.id]]))
    return out


def _leader(text: str, spans: list[tuple[int, int]], members: list[tuple[int, list[tuple[int, int]]]]) -> int | None:
    """The member the delegation's own sentences say led it: the first member named within 80 characters
    after "led by …" / "head of the delegation, …", or the last named within 200 before "… will lead the
    delegation"."""
    starts = sorted((s, mid) for mid, ss in members for s, _ in ss)
    for start, end in spans:
        for m in _LED_BY.finditer(text, start, end):
            after = [(s, mid) for s, mid in starts if m.end() <= s <= m.end() + 80]
            if after:
                return after[0][1]
        for m in _LEADS.finditer(text, start, end):
            before = [(s, mid) for s, mid in starts if max(start, m.start() - 200) <= s < m.start()]
            if before:
                return before[-1][1]
    return None


def _find_document(session: Session, doc: int | str) -> Document:
    if as_id(doc) is not None:
        found = session.get(Document, as_id(doc))
    else:
        found = session.scalars(sa.select(Document).where(
            sa.or_(Document.hash == doc, Document.external_id == doc)).limit(1)).first()
    if found is None:
        raise NotFound(f"no document {doc!r}; give its id, its sha256:… hash or its source id")
    return found


def documents(session: Session, *, limit: int = 20, offset: int = 0) -> Page[DocumentSummary]:
    """Every document, newest first."""
    limit, offset = _paging(limit, offset)
    stmt = sa.select(*_DOC_COLUMNS).order_by(Document.date.desc().nulls_last(), Document.id.desc())
    total = session.scalar(sa.select(sa.func.count(Document.id))) or 0
    return Page([_doc_summary(r) for r in session.execute(stmt.limit(limit).offset(offset)).all()],
                total, limit, offset)


# --- network -------------------------------------------------------------------------------------

def network(session: Session, *, country: str | None = None, topic: str | None = None,
            since: str | None = None, until: str | None = None, max_edges: int = 300) -> Network:
    """Who met whom: persons linked by the events they took part in together, heaviest links first.

    ``country`` keeps the links where at least one side serves that country.
    """
    key = ("network", country and country.upper(), topic, since, until, max_edges)
    return _cached(session, key, lambda: _network(session, country=country, topic=topic, since=since,  # type: ignore[no-any-return]
                                                  until=until, max_edges=max_edges))


def _copresence(session: Session) -> Copresence:
    """Who took part in which event, as arrays (:mod:`readouts.copresence`), read once per store fingerprint.

    A filtered network was a self-join of all participants grouped by pair (about 250 ms on a
    whole-corpus SQLite store, seconds on a million events) for each new combination of filters;
    from the arrays it is a few milliseconds.
    """
    return _cached(session, "copresence", lambda: build_copresence(session))  # type: ignore[no-any-return]


def _network(session: Session, *, country: str | None, topic: str | None, since: str | None,
             until: str | None, max_edges: int) -> Network:
    since_d, until_d = _date(since, "since"), _date(until, "until")
    idx = _copresence(session)
    ranked, total = idx.pairs(country=country.upper() if country else None, topic=topic.lower() if topic else None,
                              since=since_d, until=until_d, max_edges=max_edges)
    edges = [NetworkEdge(src, dst, n) for src, dst, n in ranked]
    degree: dict[int, int] = defaultdict(int)
    for e in edges:
        degree[e.source] += e.n_events
        degree[e.target] += e.n_events
    nodes = [NetworkNode(pid, idx.names[_pos(idx, pid)], idx.countries[_pos(idx, pid)], n)
             for pid, n in degree.items()]
    nodes.sort(key=lambda n: (-n.n_events, n.name, n.id))
    return Network(nodes=nodes, edges=edges, total_edges=total)


def countries(session: Session) -> list[str]:
    """The countries persons in the store serve, for filter menus."""
    return _cached(session, "countries", lambda: _countries(session))  # type: ignore[no-any-return]


def _countries(session: Session) -> list[str]:
    return [c for c in session.scalars(sa.select(Person.country).where(Person.country.is_not(None))
                                       .distinct().order_by(Person.country)) if c]


def topics(session: Session) -> list[str]:
    """Every topic label events carry."""
    return _cached(session, "topics", lambda: _topics(session))  # type: ignore[no-any-return]


def _topics(session: Session) -> list[str]:
    seen: set[str] = set()
    for t in session.scalars(sa.select(Event.topics)):
        seen.update(t or [])
    return sorted(seen)


__all__ = [
    "DocumentDetail",
    "EventDetail",
    "EventSummary",
    "Network",
    "OrganizationDetail",
    "OrganizationSummary",
    "Page",
    "PersonDetail",
    "PersonSummary",
    "Ref",
    "SearchHit",
    "SearchResult",
    "counterparts",
    "countries",
    "document",
    "documents",
    "event",
    "event_ids",
    "events",
    "find_organizations",
    "find_persons",
    "fold",
    "iso_date",
    "network",
    "organization",
    "person",
    "resolve_person",
    "search",
    "search_documents",
    "span_pairs",
    "timeline",
    "topics",
]


# --- facets and the country matrix (the web's filters and charts) --------------------------------

@dataclass
class FacetValue:
    value: str
    n: int  # events the filter gives with this value in place of the facet's own


def event_facets(session: Session, f: EventFilter | None = None) -> dict[str, list[FacetValue]]:
    """For the type, status, country and topic facets: each value with how many events it would give
    under ``f``'s other filters (a facet's own filter is left out of its counts), most events first."""
    f = f or EventFilter()
    return _cached(session, ("event_facets", f), lambda: _event_facets(session, f))  # type: ignore[no-any-return]


_EVENT_FACETS: dict[str, Any] = {"type": Event.type, "status": Event.status, "topic": sa.cast(Event.topics, sa.Text)}


def _event_facets(session: Session, f: EventFilter) -> dict[str, list[FacetValue]]:
    # The type, status and topic facets read the events' own columns: those whose selection is the same
    # (all three, unless ``f`` sets one of them) are counted together, grouped in SQL by their values
    # (a few hundred combinations, however many events), then added up per value here.
    same: dict[EventFilter, list[str]] = defaultdict(list)
    for facet in _EVENT_FACETS:
        same[replace(f, **{facet: None})].append(facet)
    counts: dict[str, Counter[str]] = {}
    for selection, facets in same.items():
        columns = [_EVENT_FACETS[x] for x in facets]
        rows = session.execute(sa.select(*columns, sa.func.count()).where(Event.id.in_(event_ids(session, selection)))
                               .group_by(*columns)).all()
        for i, facet in enumerate(facets):
            counts[facet] = _tally(facet, [(r[i], r[-1]) for r in rows])
    sides = session.execute(sa.select(EventCountry.country, sa.func.count(sa.distinct(EventCountry.event_id)))
                            .where(EventCountry.event_id.in_(event_ids(session, replace(f, country=None))))
                            .group_by(EventCountry.country)).tuples().all()
    return {"type": _ranked(counts["type"]), "status": _ranked(counts["status"]),
            "country": _ranked(Counter({v: n for v, n in sides if v})), "topic": _ranked(counts["topic"])}


def _tally(facet: str, values: list[tuple[Any, int]]) -> Counter[str]:
    """Events per value of a facet, from (value, events) groups; a topic group's value is its JSON list."""
    out: Counter[str] = Counter()
    for v, n in values:
        if facet == "topic":
            for t in {str(t).lower() for t in (json.loads(v) if v else None) or []}:
                out[t] += n
        elif v:
            out[v] += n
    return out


def _ranked(counts: Counter[str]) -> list[FacetValue]:
    return [FacetValue(v, n) for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@dataclass
class MatrixCell:
    a: str  # the alphabetically first country
    b: str
    n_events: int


@dataclass
class CountryMatrix:
    countries: list[str]
    cells: list[MatrixCell]


def country_matrix(session: Session, *, since: str | None = None, until: str | None = None,
                   topic: str | None = None) -> CountryMatrix:
    """How many events each pair of countries took part in together (each pair once, ``a`` < ``b``);
    a whole-store aggregate, so remembered per store fingerprint like the network."""
    key = ("matrix", since, until, topic)
    return _cached(session, key, lambda: _country_matrix(session, since, until, topic))  # type: ignore[no-any-return]


def _country_matrix(session: Session, since: str | None, until: str | None, topic: str | None) -> CountryMatrix:
    ids = event_ids(session, EventFilter(since=since, until=until, topic=topic))
    x, y = sa.orm.aliased(EventCountry), sa.orm.aliased(EventCountry)
    rows = session.execute(
        sa.select(x.country, y.country, sa.func.count(sa.distinct(x.event_id)))
        .join(y, sa.and_(y.event_id == x.event_id, x.country < y.country))
        .where(x.event_id.in_(ids)).group_by(x.country, y.country)).all()
    cells = [MatrixCell(a, b, n) for a, b, n in sorted(rows, key=lambda r: (-r[2], r[0], r[1]))]
    return CountryMatrix(sorted({c.a for c in cells} | {c.b for c in cells}), cells)


def countries_with(session: Session, code: str) -> dict[str, int]:
    """Each other country with the number of events it shares with ``code``: the country matrix's row
    (remembered per store fingerprint), not a count over every event of ``code``."""
    code = code.upper()
    m = country_matrix(session)
    return {c.b if c.a == code else c.a: c.n_events for c in m.cells if code in (c.a, c.b)}
