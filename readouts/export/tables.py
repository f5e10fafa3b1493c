"""The tables the CSV and Parquet exports write, with ids that join.

    documents           id, hash, external_id, title, date, language, source, extractor_version, text
    persons             id, name, country, aliases
    organizations       id, name, acronym, country, kind, aliases
    positions           id, person_id -> persons, document_id -> documents, title,
                        organization_id -> organizations, country, date (of the document saying so)
    events              id, type, status, date, location, topics, label, n_sources
    event_sources       report_id, event_id -> events, document_id -> documents, type, status, date,
                        location, plover_event, plover_mode, evidence_start, evidence_end, evidence_text
    participants        id, event_id -> events, report_id -> event_sources, document_id, kind, ref,
                        person_id -> persons, organization_id -> organizations,
                        delegation_id -> delegations, country
    delegations         id, document_id -> documents, local_id, country
    delegation_members  delegation_id -> delegations, person_id -> persons, name, country

Ids are the store's own ids. Column kinds: int, str, date (ISO), list (of strings).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from readouts.export.source import Source

Row = dict[str, Any]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, kind)
    rows: Callable[[Source], Iterator[Row]]

    @property
    def names(self) -> list[str]:
        return [c for c, _ in self.columns]


def _documents(source: Source) -> Iterator[Row]:
    for d, r in source.documents(with_text=True):
        yield {"id": d.id, "hash": d.hash, "external_id": d.external_id, "title": d.title, "date": d.date,
               "language": d.language, "source": d.source, "extractor_version": r.extractor_version,
               "text": r.text}


def _persons(source: Source) -> Iterator[Row]:
    for p in source.persons():
        yield {"id": p.id, "name": p.name, "country": p.country, "aliases": p.aliases}


def _organizations(source: Source) -> Iterator[Row]:
    for o in source.organizations():
        yield {"id": o.id, "name": o.name, "acronym": o.acronym, "country": o.country, "kind": o.kind,
               "aliases": o.aliases}


def _positions(source: Source) -> Iterator[Row]:
    for r in source.position_statements():
        yield {"id": r.id, "person_id": r.person_id, "document_id": r.document_id, "title": r.title,
               "organization_id": r.organization_id, "country": r.country,
               "date": r.date.isoformat() if r.date else None}


def _events(source: Source) -> Iterator[Row]:
    for e in source.events(with_evidence=False):
        yield {"id": e.id, "type": e.type, "status": e.status, "date": e.date, "location": e.location,
               "topics": e.topics, "label": e.label(), "n_sources": len({r.document.id for r in e.reports})}


def _event_sources(source: Source) -> Iterator[Row]:
    for e in source.events():
        for r in e.reports:
            plover = r.plover or {}
            yield {"report_id": r.id, "event_id": e.id, "document_id": r.document.id, "type": r.type,
                   "status": r.status, "date": r.date, "location": r.location, "plover_event": plover.get("event"),
                   "plover_mode": plover.get("mode"), "evidence_start": r.spans[0][0] if r.spans else None,
                   "evidence_end": r.spans[-1][1] if r.spans else None,
                   "evidence_text": " ".join(r.evidence) or None}


def _participants(source: Source) -> Iterator[Row]:
    for e in source.events(with_evidence=False):
        docs = {r.id: r.document.id for r in e.reports}
        for p in e.participants:
            yield {"id": p.id, "event_id": e.id, "report_id": p.report_id, "document_id": docs.get(p.report_id),
                   "kind": p.kind, "ref": p.ref, "person_id": p.person_id, "organization_id": p.organization_id,
                   "delegation_id": p.delegation_id, "country": p.country}


def _delegations(source: Source) -> Iterator[Row]:
    for d in source.delegations():
        yield {"id": d.id, "document_id": d.document.id, "local_id": d.local_id, "country": d.country}


def _delegation_members(source: Source) -> Iterator[Row]:
    for d in source.delegations():
        for m in d.members:
            yield {"delegation_id": d.id, "person_id": m.person_id, "name": m.name, "country": m.country}


I, S, D, L = "int", "str", "date", "list"
TABLES: tuple[Table, ...] = (
    Table("documents", (("id", I), ("hash", S), ("external_id", S), ("title", S), ("date", D), ("language", S),
                        ("source", S), ("extractor_version", S), ("text", S)), _documents),
    Table("persons", (("id", I), ("name", S), ("country", S), ("aliases", L)), _persons),
    Table("organizations", (("id", I), ("name", S), ("acronym", S), ("country", S), ("kind", S), ("aliases", L)),
          _organizations),
    Table("positions", (("id", I), ("person_id", I), ("document_id", I), ("title", S), ("organization_id", I),
                        ("country", S), ("date", D)), _positions),
    Table("events", (("id", I), ("type", S), ("status", S), ("date", D), ("location", S), ("topics", L),
                     ("label", S), ("n_sources", I)), _events),
    Table("event_sources", (("report_id", I), ("event_id", I), ("document_id", I), ("type", S), ("status", S),
                            ("date", D), ("location", S), ("plover_event", S), ("plover_mode", S),
                            ("evidence_start", I), ("evidence_end", I), ("evidence_text", S)), _event_sources),
    Table("participants", (("id", I), ("event_id", I), ("report_id", I), ("document_id", I), ("kind", S),
                           ("ref", S), ("person_id", I), ("organization_id", I), ("delegation_id", I),
                           ("country", S)), _participants),
    Table("delegations", (("id", I), ("document_id", I), ("local_id", S), ("country", S)), _delegations),
    Table("delegation_members", (("delegation_id", I), ("person_id", I), ("name", S), ("country", S)),
          _delegation_members),
)
