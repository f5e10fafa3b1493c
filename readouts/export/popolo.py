"""One Popolo JSON object (https://www.popoloproject.com/specs/): persons, organizations, posts,
memberships and events, each array written item by item as the store is read.

    persons        canonical persons: other_names, national_identity (ISO3), identifiers
    organizations  named bodies (classification = kind), and per-document delegations
                   (classification "delegation", area_id = the country they represent)
    posts          a title at an organization (or in a country when no organization is named)
    memberships    a person in a post (role = title; start/end = first/last document saying so),
                   and a person in a delegation (role "delegation member")
    events         engagements: classification = type, status, start_date, location, attendees
                   (the persons taking part, delegation members included), description = evidence

Ids are "person/12", "organization/5", "delegation/3", "post/<hash>", "event/7": the store's
ids, so they are stable for a store. Every object has ``sources`` ({url, note = title}).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO, Any

from readouts.export.registry import exporter
from readouts.export.source import Doc, EventRow, OrganizationRow, PersonRow, Source, Tenure, unique
from readouts.export.target import Target

ARRAYS = ("persons", "organizations", "posts", "memberships", "events")


@exporter("popolo", description="Popolo JSON (persons, organizations, posts, memberships, events)",
          suffix=".popolo.json", open_with="Popolo consumers (EveryPolitician/pombola-style loaders, "
          "`popolo-python`), `jq`, any JSON reader")
def write_popolo(source: Source, target: Target) -> dict[str, int]:
    counts: Counter[str] = Counter()
    sections = {"persons": _persons(source), "organizations": _organizations(source), "posts": _posts(source),
                "memberships": _memberships(source), "events": _events(source)}
    with target.binary() as out:
        out.write(b"{")
        for i, (key, items) in enumerate(sections.items()):
            out.write((", " if i else "") .encode() + json.dumps(key).encode() + b": [")
            counts[key] = _array(out, items)
            out.write(b"\n]")
        out.write(b"}\n")
    return dict(counts)


def _array(out: IO[bytes], items: Iterable[dict[str, Any]]) -> int:
    n = 0
    for item in items:
        out.write((b",\n" if n else b"\n") + json.dumps(item, ensure_ascii=False).encode("utf-8"))
        n += 1
    return n


def sources(docs: Iterable[Doc]) -> list[dict[str, Any]]:
    return [{"url": d.url, "note": d.title or d.external_id} for d in docs if d.url]


def _area(country: str | None) -> str | None:
    return f"country/{country}" if country else None


def _persons(source: Source) -> Iterator[dict[str, Any]]:
    for p in source.persons():
        yield _person(p)


def _person(p: PersonRow) -> dict[str, Any]:
    return {"id": f"person/{p.id}", "name": p.name, "other_names": [{"name": a} for a in p.aliases],
            "national_identity": p.country, "identifiers": [{"scheme": "readouts", "identifier": str(p.id)}],
            "sources": sources(p.sources)}


def _organizations(source: Source) -> Iterator[dict[str, Any]]:
    for o in source.organizations():
        yield _organization(o)
    for d in source.delegations():
        where = d.document.title or d.document.external_id or d.document.hash[:19]
        yield {"id": f"delegation/{d.id}", "name": f"{d.country or 'Unidentified'} delegation ({where})",
               "classification": "delegation", "area_id": _area(d.country), "sources": sources([d.document])}


def _organization(o: OrganizationRow) -> dict[str, Any]:
    names = ([{"name": o.acronym, "note": "acronym"}] if o.acronym else []) + [{"name": a} for a in o.aliases]
    return {"id": f"organization/{o.id}", "name": o.name, "other_names": names, "classification": o.kind,
            "area_id": _area(o.country), "identifiers": [{"scheme": "readouts", "identifier": str(o.id)}],
            "sources": sources(o.sources)}


def post_id(t: Tenure) -> str:
    key = f"{t.title.casefold()}|{t.organization_id or ''}|{'' if t.organization_id else t.country or ''}"
    return "post/" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _posts(source: Source) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()  # grows with the number of distinct titles, not of documents
    for t in source.tenures():
        pid = post_id(t)
        if pid in seen:
            continue
        seen.add(pid)
        yield {"id": pid, "label": t.title, "role": t.title,
               "organization_id": f"organization/{t.organization_id}" if t.organization_id else None,
               "area_id": _area(t.country), "sources": sources(t.sources[:1])}


def _memberships(source: Source) -> Iterator[dict[str, Any]]:
    for t in source.tenures():
        yield {"id": f"membership/{t.person_id}/{post_id(t)[5:]}", "person_id": f"person/{t.person_id}",
               "organization_id": f"organization/{t.organization_id}" if t.organization_id else None,
               "post_id": post_id(t), "role": t.title, "start_date": t.first_seen, "end_date": t.last_seen,
               "sources": sources(t.sources)}
    for d in source.delegations():
        for m in d.members:
            if m.person_id is not None:
                yield {"id": f"membership/{m.person_id}/delegation/{d.id}", "person_id": f"person/{m.person_id}",
                       "organization_id": f"delegation/{d.id}", "role": "delegation member",
                       "start_date": d.document.date, "end_date": d.document.date,
                       "sources": sources([d.document])}


def _events(source: Source) -> Iterator[dict[str, Any]]:
    for e in source.events():
        yield _event(e)


def _event(e: EventRow) -> dict[str, Any]:
    names = {p.person_id: p.name for p in e.participants if p.person_id is not None}
    names.update({m.person_id: m.name for ms in e.members.values() for m in ms if m.person_id is not None})
    org = next((p.organization_id for p in e.participants if p.organization_id is not None), None)
    evidence = " ".join(next((r.evidence for r in e.reports if r.evidence), []))
    return {"id": f"event/{e.id}", "name": e.label(), "classification": e.type, "status": e.status,
            "start_date": e.first_date(), "location": e.location,
            "organization_id": f"organization/{org}" if org else None,
            "attendees": [{"id": f"person/{pid}", "name": names.get(pid)} for pid in e.person_ids()],
            "description": evidence or None,
            "identifiers": [{"scheme": "readouts", "identifier": str(e.id)}]
            + [{"scheme": "topic", "identifier": t} for t in unique(e.topics)],
            "sources": sources(r.document for r in e.reports)}
