"""FollowTheMoney entities as JSON Lines, for Aleph, OpenSanctions' tools and ``ftm`` itself.

    Person        a canonical person: name, aliases, country, titles
    PublicBody    a ministry, agency, embassy, council or legislature (other kinds: Organization,
                  companies: Company)
    Position      a title, at an organization when one is named (else in a country)
    Occupancy     a person holding a Position: startDate/endDate = first/last document saying so
    Organization  a delegation (classification "delegation"), as stated in one document, and
    Membership    each of its members
    Event         an engagement: involved persons/organizations/delegations, date, location,
                  countries, summary (the sentence stating it), topics as keywords

Every entity carries the ``sourceUrl`` of the documents it comes from and their ``publisher``.
Ids are ``make_id`` hashes of the store's ids with the ``readouts`` key prefix: stable for a store.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from readouts.export.registry import exporter
from readouts.export.source import Doc, EventRow, Source, Tenure, unique
from readouts.export.target import Target

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

KEY_PREFIX = "readouts"
PUBLIC_BODY_KINDS = {"ministry", "agency", "embassy", "council", "legislature"}
SUMMARY_CHARS = 2000


def entity_id(*parts: Any) -> str:
    from followthemoney.util import make_entity_id

    made = make_entity_id(*parts, key_prefix=KEY_PREFIX)
    assert made is not None
    return made


def person_id(pid: int) -> str:
    return entity_id("person", pid)


def organization_id(oid: int) -> str:
    return entity_id("organization", oid)


def delegation_id(did: int) -> str:
    return entity_id("delegation", did)


def position_id(title: str, org_id: int | None, country: str | None) -> str:
    # Without an organization, "Ambassador" of Mexico and of Japan are different posts.
    return entity_id("position", title.casefold(), org_id if org_id is not None else "", "" if org_id else country or "")


def _make(schema: str, eid: str) -> EntityProxy:
    from followthemoney import model

    proxy = model.make_entity(schema, key_prefix=KEY_PREFIX)
    proxy.id = eid
    return proxy


def _sourced(proxy: EntityProxy, docs: Iterable[Doc]) -> EntityProxy:
    docs = list(docs)
    proxy.add("sourceUrl", unique(d.web_url for d in docs))
    proxy.add("publisher", unique(d.publisher for d in docs))
    return proxy


@exporter("ftm", description="FollowTheMoney entities (JSON Lines)", suffix=".ftm.jsonl",
          open_with="Aleph (`alephclient write-entities`), `ftm` / followthemoney, OpenSanctions' nomenklatura")
def write_ftm(source: Source, target: Target) -> dict[str, int]:
    counts: Counter[str] = Counter()
    with target.binary() as out:
        def emit(proxy: EntityProxy) -> None:
            data = proxy.to_dict()
            proxy.schema.validate(data)  # type: ignore[arg-type]  # a proxy's dict is ValidationData
            out.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
            counts[proxy.schema.name] += 1

        for p in source.persons():
            emit(_person(p))
        for o in source.organizations():
            emit(_organization(o))
        _write_tenures(source, emit)
        for d in source.delegations():
            for proxy in _delegation(d):
                emit(proxy)
        for e in source.events():
            emit(_event(e))
    return dict(counts)


def _person(p: Any) -> EntityProxy:
    proxy = _make("Person", person_id(p.id))
    proxy.add("name", p.name)
    proxy.add("alias", p.aliases)
    proxy.add("country", p.country)
    proxy.add("position", p.titles)
    return _sourced(proxy, p.sources)


def _organization(o: Any) -> EntityProxy:
    schema = "PublicBody" if o.kind in PUBLIC_BODY_KINDS else "Company" if o.kind == "company" else "Organization"
    proxy = _make(schema, organization_id(o.id))
    proxy.add("name", o.name)
    proxy.add("abbreviation", o.acronym)
    proxy.add("alias", o.aliases)
    proxy.add("country", o.country)
    proxy.add("classification", o.kind)
    return _sourced(proxy, o.sources)


def _write_tenures(source: Source, emit: Any) -> None:
    posts: set[str] = set()  # grows with the number of distinct titles, not of documents
    for t in source.tenures():
        post = position_id(t.title, t.organization_id, t.country)
        if post not in posts:
            posts.add(post)
            emit(_position(post, t))
        occupancy = _make("Occupancy", entity_id("occupancy", t.person_id, post))
        occupancy.add("holder", person_id(t.person_id))
        occupancy.add("post", post)
        occupancy.add("startDate", t.first_seen)
        occupancy.add("endDate", t.last_seen)
        occupancy.add("description", f"stated in {t.n_documents} document(s)")
        emit(_sourced(occupancy, t.sources))


def _position(post: str, t: Tenure) -> EntityProxy:
    proxy = _make("Position", post)
    proxy.add("name", f"{t.title}, {t.organization}" if t.organization and t.organization not in t.title else t.title)
    proxy.add("country", t.country)
    if t.organization_id is not None:
        proxy.add("organization", organization_id(t.organization_id))
    return _sourced(proxy, t.sources)


def _delegation(d: Any) -> list[EntityProxy]:
    org = _make("Organization", delegation_id(d.id))
    where = d.document.title or d.document.external_id or d.document.hash[:19]
    org.add("name", f"{d.country or 'Unidentified'} delegation ({where})")
    org.add("country", d.country)
    org.add("classification", "delegation")
    out = [_sourced(org, [d.document])]
    for m in d.members:
        if m.person_id is None:
            continue
        ms = _make("Membership", entity_id("membership", d.id, m.person_id))
        ms.add("member", person_id(m.person_id))
        ms.add("organization", org.id)
        ms.add("role", "delegation member")
        ms.add("date", d.document.date)
        out.append(_sourced(ms, [d.document]))
    return out


def _event(e: EventRow) -> EntityProxy:
    proxy = _make("Event", entity_id("event", e.id))
    proxy.add("name", e.label())
    proxy.add("date", e.first_date())
    proxy.add("location", e.location)
    proxy.add("country", e.countries())
    proxy.add("keywords", [e.type, e.status, *e.topics])
    involved = [person_id(pid) for pid in e.person_ids()]
    involved += [organization_id(p.organization_id) for p in e.participants if p.organization_id is not None]
    involved += [delegation_id(p.delegation_id) for p in e.participants if p.delegation_id is not None]
    proxy.add("involved", unique(involved))
    summary = " ".join(next((r.evidence for r in e.reports if r.evidence), []))
    proxy.add("summary", summary[:SUMMARY_CHARS] or None)
    return _sourced(proxy, [r.document for r in e.reports])


def read_entities(lines: Iterable[str | bytes]) -> Iterable[EntityProxy]:
    """Entities back from an export's lines, re-validated value by value (for tests and tools)."""
    from followthemoney import model

    for line in lines:
        if line.strip():
            yield model.get_proxy(json.loads(line), cleaned=False)

