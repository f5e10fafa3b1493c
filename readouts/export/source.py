"""What an export reads: the store, narrowed by an :class:`EventFilter`, a page at a time.

Every reader walks its table by keyset pagination (``id > last ORDER BY id LIMIT n``) and
fetches what a page needs in one more query per kind of thing, so memory stays flat however
large the store is and no cursor is held open while the caller writes.

With no filter an export holds everything. With one, it holds the matching events and what
they reach: the documents that report them, the persons and organizations taking part
(delegation members included), and the organizations those persons hold positions in.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from readouts.filters import EventFilter
from readouts.query import event_ids
from readouts.query import iso_date as iso
from readouts.query import span_pairs as spans
from readouts.store import schema as t

PAGE = 200  # a page of events with their documents costs about 10 MB
DATA = Path(__file__).resolve().parent / "data"


# --- rows ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Doc:
    id: int
    hash: str
    external_id: str | None
    title: str | None
    date: str | None
    source: str | None
    language: str | None = None

    @property
    def url(self) -> str | None:
        """A web address for the document: its source URL, or a file: URI for a local path."""
        if not self.source:
            return None
        if urlsplit(self.source).scheme in ("http", "https", "file"):
            return self.source
        path = Path(self.source)
        return path.as_uri() if path.is_absolute() else None

    @property
    def web_url(self) -> str | None:
        return self.url if self.url and self.url.startswith(("http://", "https://")) else None

    @property
    def publisher(self) -> str | None:
        return publisher_of(self.web_url)


@dataclass
class PersonRow:
    id: int
    name: str
    country: str | None
    aliases: list[str]
    titles: list[str]
    sources: list[Doc]


@dataclass
class OrganizationRow:
    id: int
    name: str
    acronym: str | None
    country: str | None
    kind: str
    aliases: list[str]
    sources: list[Doc]


@dataclass
class Tenure:
    """A title a person was said to hold, from the first to the last document that says so."""

    person_id: int
    title: str
    organization_id: int | None
    organization: str | None
    country: str | None
    first_seen: str | None
    last_seen: str | None
    n_documents: int
    sources: list[Doc]


@dataclass
class Member:
    person_id: int | None
    name: str
    country: str | None


@dataclass
class DelegationRow:
    id: int
    local_id: str
    country: str | None
    document: Doc
    members: list[Member]


@dataclass
class Report:
    id: int
    event_id: int
    local_id: str
    type: str
    status: str
    date: str | None
    location: str | None
    topics: list[str]
    plover: dict[str, Any] | None
    spans: list[tuple[int, int]]
    evidence: list[str]
    document: Doc


@dataclass
class Participant:
    report_id: int
    kind: str  # person | organization | delegation | country
    ref: str
    person_id: int | None
    organization_id: int | None
    delegation_id: int | None
    name: str | None
    country: str | None
    organization_kind: str | None = None
    id: int = 0  # the event_participants row


@dataclass
class EventRow:
    id: int
    type: str
    status: str
    date: str | None
    location: str | None
    topics: list[str]
    reports: list[Report] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    members: dict[int, list[Member]] = field(default_factory=dict)  # delegation id -> its members

    def person_ids(self) -> list[int]:
        """Every canonical person taking part, delegation members included, in order of appearance."""
        seen: dict[int, None] = {}
        for p in self.participants:
            if p.person_id is not None:
                seen[p.person_id] = None
            if p.delegation_id is not None:
                for m in self.members.get(p.delegation_id, []):
                    if m.person_id is not None:
                        seen[m.person_id] = None
        return list(seen)

    def countries(self) -> list[str]:
        return list(dict.fromkeys(p.country for p in self.participants if p.country))

    def label(self) -> str:
        """A name for the event: its type and who took part ("Call: Antony J. Blinken, Marcelo Ebrard")."""
        names = unique(p.name for p in self.participants if p.kind in ("person", "organization")) or self.countries()
        who = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        return f"{self.type.capitalize()}: {who}" if who else self.type.capitalize()

    def first_date(self) -> str | None:
        return self.date or next((r.date for r in self.reports if r.date), None)


# --- helpers -------------------------------------------------------------------------------------

@functools.cache
def _publishers() -> dict[str, str]:
    import yaml

    return dict(yaml.safe_load((DATA / "publishers.yaml").read_text(encoding="utf-8")))


def publisher_of(url: str | None) -> str | None:
    host = (urlsplit(url).hostname or "") if url else ""
    if not host:
        return None
    known = _publishers()
    parts = host.removeprefix("www.").split(".")
    for i in range(len(parts) - 1):
        if (suffix := ".".join(parts[i:])) in known:
            return known[suffix]
    return host.removeprefix("www.")


def unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


_D = t.Document
_DOC_COLS = (_D.id.label("doc_id"), _D.hash.label("doc_hash"), _D.external_id.label("doc_ext"),
             _D.title.label("doc_title"), _D.date.label("doc_date"), _D.source.label("doc_source"),
             _D.language.label("doc_language"))


def _doc(r: Any) -> Doc:
    return Doc(r.doc_id, r.doc_hash, r.doc_ext, r.doc_title, iso(r.doc_date), r.doc_source, r.doc_language)


# --- the source ----------------------------------------------------------------------------------

class Source:
    """The store as an export reads it: one session, one filter, readers that go page by page.

    A filtered export first writes the ids in its scope (events, documents, persons,
    organizations, delegations) to temporary tables, so that every later query is a plain join
    on them rather than the filter's subqueries nested again and again.
    """

    def __init__(self, session: Session, f: EventFilter | None = None, *, page_size: int = PAGE) -> None:
        self.session = session
        self.filter = f if f is not None and f != EventFilter() else None
        self.page_size = page_size
        self._scope: dict[str, sa.Table] = {}
        if self.filter is not None:
            self._materialise(self.filter)

    @property
    def filtered(self) -> bool:
        return self.filter is not None

    def close(self) -> None:
        """Drop the scope's temporary tables (they would vanish with the connection anyway)."""
        for table in self._scope.values():
            table.drop(self.session.connection(), checkfirst=True)
        self._scope.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # which ids are in the export: SELECTs of one id column

    def event_ids(self) -> sa.Select[Any]:
        return self._ids("events", t.Event.id)

    def document_ids(self) -> sa.Select[Any]:
        return self._ids("documents", t.Document.id)

    def person_ids(self) -> sa.Select[Any]:
        return self._ids("persons", t.Person.id, t.Person.merged_into_id.is_(None))

    def organization_ids(self) -> sa.Select[Any]:
        return self._ids("organizations", t.Organization.id)

    def delegation_ids(self) -> sa.Select[Any]:
        return self._ids("delegations", t.Delegation.id)

    def _ids(self, kind: str, column: Any, *where: sa.ColumnElement[bool]) -> sa.Select[Any]:
        if kind in self._scope:
            return sa.select(self._scope[kind].c.id)
        return sa.select(column).where(*where)

    def _materialise(self, f: EventFilter) -> None:
        # The query layer's filter, so that `export` and `events` agree on what a filter means.
        ep, er = t.EventParticipant, t.EventReport
        self._fill("events", event_ids(self.session, f))
        events = self.event_ids()
        reports = sa.select(er.id).where(er.event_id.in_(events))
        self._fill("documents", sa.select(er.document_id).where(er.event_id.in_(events)).distinct())
        self._fill("delegations", sa.select(t.Delegation.id)
                   .join(er, er.document_id == t.Delegation.document_id)
                   .join(ep, sa.and_(ep.event_report_id == er.id, ep.kind == "delegation",
                                     ep.ref == t.Delegation.local_id))
                   .where(er.event_id.in_(events)).distinct())
        direct = sa.select(ep.person_id).where(ep.event_report_id.in_(reports), ep.person_id.is_not(None))
        members = (sa.select(t.PersonMention.person_id)
                   .join(t.DelegationMember, t.DelegationMember.person_mention_id == t.PersonMention.id)
                   .where(t.DelegationMember.delegation_id.in_(self.delegation_ids()),
                          t.PersonMention.person_id.is_not(None)))
        self._fill("persons", sa.select(t.Person.id).where(t.Person.merged_into_id.is_(None),
                                                         t.Person.id.in_(_union(direct, members))))
        taking_part = sa.select(ep.organization_id).where(ep.event_report_id.in_(reports),
                                                          ep.organization_id.is_not(None))
        held = sa.select(t.Position.organization_id).where(t.Position.person_id.in_(self.person_ids()),
                                                         t.Position.organization_id.is_not(None))
        self._fill("organizations", _union(taking_part, held))

    def _fill(self, kind: str, ids: sa.Select[Any]) -> None:
        table = sa.Table(f"readouts_export_{kind}", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                         prefixes=["TEMPORARY"])
        conn = self.session.connection()
        table.drop(conn, checkfirst=True)
        table.create(conn)
        conn.execute(sa.insert(table).from_select(["id"], ids))
        self._scope[kind] = table

    # paging

    def id_pages(self, ids: sa.Select[Any]) -> Iterator[list[int]]:
        """The ids ``ids`` selects (one column), ascending, a page at a time (keyset pagination)."""
        column = ids.selected_columns[0]
        last: int | None = None
        while True:
            stmt = ids.where(column > last) if last is not None else ids
            page = list(self.session.scalars(stmt.order_by(column).limit(self.page_size)))
            if not page:
                return
            yield page
            last = page[-1]

    # readers

    def documents(self, *, with_text: bool = False) -> Iterator[tuple[Doc, Any]]:
        """(document, its row) — the row has language, extractor_version and, if asked, the text."""
        cols: list[Any] = [*_DOC_COLS, t.Document.extractor_version]
        if with_text:
            cols.append(t.Document.text)
        for page in self.id_pages(self.document_ids()):
            stmt = sa.select(*cols).where(t.Document.id.in_(page)).order_by(t.Document.id)
            for r in self.session.execute(stmt):
                yield _doc(r), r

    def person_briefs(self) -> Iterator[Any]:
        """(id, name, country) of every person in the export."""
        for page in self.id_pages(self.person_ids()):
            yield from self.session.execute(sa.select(t.Person.id, t.Person.name, t.Person.country)
                                            .where(t.Person.id.in_(page)).order_by(t.Person.id))

    def organization_briefs(self) -> Iterator[Any]:
        """(id, name, acronym, country, kind) of every organization in the export."""
        o = t.Organization
        for page in self.id_pages(self.organization_ids()):
            yield from self.session.execute(sa.select(o.id, o.name, o.acronym, o.country, o.kind)
                                            .where(o.id.in_(page)).order_by(o.id))

    def persons(self) -> Iterator[PersonRow]:
        for page in self.id_pages(self.person_ids()):
            yield from self._person_page(page)

    def _person_page(self, ids: list[int]) -> Iterator[PersonRow]:
        names: dict[int, list[str]] = defaultdict(list)
        docs: dict[int, list[Doc]] = defaultdict(list)
        for r in self.session.execute(
                sa.select(t.PersonMention.person_id, t.PersonMention.name, t.PersonMention.aliases, *_DOC_COLS)
                .join(t.Document, t.Document.id == t.PersonMention.document_id)
                .where(t.PersonMention.person_id.in_(ids)).order_by(t.Document.date, t.Document.id)):
            names[r.person_id] += [r.name, *(r.aliases or [])]
            docs[r.person_id].append(_doc(r))
        titles: dict[int | None, list[str]] = defaultdict(list)
        for pid, title in self.session.execute(
                sa.select(t.Position.person_id, t.Position.title).where(t.Position.person_id.in_(ids))
                .order_by(t.Position.date, t.Position.id)):
            titles[pid].append(title)
        for p in self.session.execute(sa.select(t.Person.id, t.Person.name, t.Person.country)
                                      .where(t.Person.id.in_(ids)).order_by(t.Person.id)):
            yield PersonRow(p.id, p.name, p.country, [n for n in unique(names[p.id]) if n != p.name],
                            unique(titles[p.id]), list({d.id: d for d in docs[p.id]}.values()))

    def organizations(self) -> Iterator[OrganizationRow]:
        for page in self.id_pages(self.organization_ids()):
            names: dict[int, list[str]] = defaultdict(list)
            docs: dict[int, list[Doc]] = defaultdict(list)
            for r in self.session.execute(
                    sa.select(t.OrgMention.organization_id, t.OrgMention.name, t.OrgMention.aliases,
                              *_DOC_COLS)
                    .join(t.Document, t.Document.id == t.OrgMention.document_id)
                    .where(t.OrgMention.organization_id.in_(page)).order_by(t.Document.date, t.Document.id)):
                names[r.organization_id] += [r.name, *(r.aliases or [])]
                docs[r.organization_id].append(_doc(r))
            for o in self.session.scalars(sa.select(t.Organization).where(t.Organization.id.in_(page))
                                          .order_by(t.Organization.id)):
                aliases = [n for n in unique([*(o.aliases or []), *names[o.id]]) if n not in (o.name, o.acronym)]
                yield OrganizationRow(o.id, o.name, o.acronym, o.country, o.kind, aliases,
                                      list({d.id: d for d in docs[o.id]}.values()))

    def tenures(self) -> Iterator[Tenure]:
        """Each person's titles (per title and organization), first and last seen, with their sources."""
        for page in self.id_pages(self.person_ids()):
            yield from self._tenure_page(page)

    def _tenure_page(self, ids: list[int]) -> Iterator[Tenure]:
        grouped: dict[tuple[int, str, int | None], list[Any]] = defaultdict(list)
        for r in self.session.execute(
                sa.select(t.Position.person_id, t.Position.title, t.Position.organization_id,
                          t.Position.country, t.Organization.name.label("org_name"), *_DOC_COLS)
                .join(t.Document, t.Document.id == t.Position.document_id)
                .outerjoin(t.Organization, t.Organization.id == t.Position.organization_id)
                .where(t.Position.person_id.in_(ids))
                .order_by(t.Position.person_id, t.Position.title, t.Position.organization_id, t.Document.date,
                          t.Document.id)):
            grouped[(r.person_id, r.title, r.organization_id)].append(r)
        for (pid, title, org_id), rows in grouped.items():
            docs = list({_doc(r).id: _doc(r) for r in rows}.values())
            dates = sorted(d.date for d in docs if d.date)
            yield Tenure(pid, title, org_id, rows[0].org_name, next((r.country for r in rows if r.country), None),
                         dates[0] if dates else None, dates[-1] if dates else None, len(docs), docs)

    def position_statements(self) -> Iterator[Any]:
        """The positions table as stored: one row per title stated in a document."""
        for page in self.id_pages(self.person_ids()):
            yield from self.session.execute(
                sa.select(t.Position.id, t.Position.person_id, t.Position.document_id, t.Position.title,
                          t.Position.organization_id, t.Position.country, t.Position.date)
                .where(t.Position.person_id.in_(page)).order_by(t.Position.person_id, t.Position.id))

    def delegations(self) -> Iterator[DelegationRow]:
        for page in self.id_pages(self.delegation_ids()):
            members = self._members(page)
            for r in self.session.execute(
                    sa.select(t.Delegation.id, t.Delegation.local_id, t.Delegation.country, *_DOC_COLS)
                    .join(t.Document, t.Document.id == t.Delegation.document_id)
                    .where(t.Delegation.id.in_(page)).order_by(t.Delegation.id)):
                yield DelegationRow(r.id, r.local_id, r.country, _doc(r), members.get(r.id, []))

    def _members(self, delegation_ids: list[int]) -> dict[int, list[Member]]:
        out: dict[int, list[Member]] = defaultdict(list)
        if not delegation_ids:
            return out
        for r in self.session.execute(
                sa.select(t.DelegationMember.delegation_id, t.PersonMention.person_id, t.PersonMention.name,
                          t.PersonMention.country, t.Person.name.label("pname"),
                          t.Person.country.label("pcountry"))
                .join(t.PersonMention, t.PersonMention.id == t.DelegationMember.person_mention_id)
                .outerjoin(t.Person, t.Person.id == t.PersonMention.person_id)
                .where(t.DelegationMember.delegation_id.in_(delegation_ids))
                .order_by(t.DelegationMember.delegation_id, t.DelegationMember.id)):
            out[r.delegation_id].append(Member(r.person_id, r.pname or r.name, r.country or r.pcountry))
        return out

    def events(self, *, with_evidence: bool = True) -> Iterator[EventRow]:
        """Canonical events with every report (document, evidence sentences) and every participant."""
        for page in self.id_pages(self.event_ids()):
            rows = {e.id: EventRow(e.id, e.type, e.status, iso(e.date), e.location, list(e.topics or []))
                    for e in self.session.scalars(sa.select(t.Event).where(t.Event.id.in_(page))
                                                  .order_by(t.Event.id))}
            for rep in self._reports(page, with_evidence):
                rows[rep.event_id].reports.append(rep)
            delegations: set[int] = set()
            for event_id, part in self._participants(page):
                rows[event_id].participants.append(part)
                if part.delegation_id is not None:
                    delegations.add(part.delegation_id)
            members = self._members(sorted(delegations))
            for row in rows.values():
                row.members = {d: members[d] for d in {p.delegation_id for p in row.participants} if d in members}
                yield row

    def _reports(self, event_ids: list[int], with_evidence: bool) -> Iterator[Report]:
        er = t.EventReport
        cols: list[Any] = [er, *_DOC_COLS] + ([t.Document.text] if with_evidence else [])
        for r in self.session.execute(sa.select(*cols).join(t.Document, t.Document.id == er.document_id)
                                      .where(er.event_id.in_(event_ids))
                                      .order_by(er.event_id, t.Document.date, er.id)):
            rep: t.EventReport = r[0]
            sp = spans(rep.spans)
            text = r.text if with_evidence else ""
            yield Report(rep.id, rep.event_id or 0, rep.local_id, rep.type, rep.status, iso(rep.date), rep.location,
                         list(rep.topics or []), rep.plover, sp, [text[s:e] for s, e in sp] if text else [], _doc(r))

    def _participants(self, event_ids: list[int]) -> Iterator[tuple[int, Participant]]:
        ep, er = t.EventParticipant, t.EventReport
        on_doc = er.document_id
        stmt = (sa.select(er.event_id, ep.id, ep.event_report_id, ep.kind, ep.ref, ep.person_id, ep.organization_id,
                          t.Delegation.id.label("delegation_id"), t.Delegation.country.label("dcountry"),
                          t.PersonMention.name.label("pm_name"), t.PersonMention.country.label("pm_country"),
                          t.Person.name.label("p_name"), t.Person.country.label("p_country"),
                          t.OrgMention.name.label("om_name"), t.OrgMention.country.label("om_country"),
                          t.Organization.name.label("o_name"), t.Organization.country.label("o_country"),
                          t.Organization.kind.label("o_kind"))
                .join(er, er.id == ep.event_report_id)
                .outerjoin(t.PersonMention, sa.and_(ep.kind == "person", t.PersonMention.document_id == on_doc,
                                                  t.PersonMention.local_id == ep.ref))
                .outerjoin(t.Person, t.Person.id == ep.person_id)
                .outerjoin(t.OrgMention, sa.and_(ep.kind == "organization", t.OrgMention.document_id == on_doc,
                                               t.OrgMention.local_id == ep.ref))
                .outerjoin(t.Organization, t.Organization.id == ep.organization_id)
                .outerjoin(t.Delegation, sa.and_(ep.kind == "delegation", t.Delegation.document_id == on_doc,
                                               t.Delegation.local_id == ep.ref))
                .where(er.event_id.in_(event_ids)).order_by(er.event_id, ep.event_report_id, ep.id))
        for r in self.session.execute(stmt):
            yield r.event_id, Participant(
                report_id=r.event_report_id, kind=r.kind, ref=r.ref, person_id=r.person_id,
                organization_id=r.organization_id, delegation_id=r.delegation_id,
                name=r.p_name or r.pm_name or r.o_name or r.om_name,
                country=_participant_country(r), organization_kind=r.o_kind, id=r.id)


def _union(*selects: sa.Select[Any]) -> sa.Select[Any]:
    u = sa.union(*selects).subquery()
    return sa.select(u.c[0])


def _participant_country(r: Any) -> str | None:
    if r.kind == "country":
        return str(r.ref)
    if r.kind == "person":
        return r.pm_country or r.p_country
    if r.kind == "organization":
        return r.om_country or r.o_country
    return r.dcountry
