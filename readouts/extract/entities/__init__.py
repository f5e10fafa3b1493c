"""Persons, organizations, positions and delegations of one parsed document.

``fill`` runs the stages in order: gazetteer bodies, persons (which must not swallow a known
body), the remaining bodies (which must not swallow a person), titles, delegations, and last
the country each person serves. Ids are p1.., o1.., d1.. in order of first mention.
"""
from __future__ import annotations

from spacy.tokens import Doc

from readouts.extract import budget, gazetteer
from readouts.extract.entities import delegations, organizations, persons, positions
from readouts.extract.entities.countries import (
    contextual_country,
    country_by_title,
    explicit_country,
    inherit_in_lists,
    leader,
    ngo,
)
from readouts.extract.entities.issuer import home_country, main_foreign_country
from readouts.extract.entities.organizations import OrgTable
from readouts.extract.entities.persons import Cluster
from readouts.extract.entities.positions import Found
from readouts.extract.gazetteer import NGO_KINDS, lexicon
from readouts.extract.marks import Marks
from readouts.model import Delegation, Organization, Person, Position, Record


def fill(record: Record, doc: Doc) -> None:
    gaz = gazetteer.load(doc.lang_)
    marks = Marks.of(doc, gaz)
    orgs, generic = organizations.gazetteer_orgs(doc, marks)
    clusters = persons.find(doc, marks, set(orgs.at))
    person_at = {i: k for k, c in enumerate(clusters) for m in c.mentions for i in range(m.start, m.end)}
    organizations.other_orgs(doc, marks, orgs, generic, set(person_at))
    marks.org_tokens = set(orgs.at)
    org_list = orgs.ordered()
    org_ids = {e.key: f"o{i + 1}" for i, e in enumerate(org_list)}

    home = home_country(doc, marks, record.document.source, clusters)
    foreign = main_foreign_country(marks, home)
    budget.check("persons")
    found = []
    for k, c in enumerate(clusters):
        found.append(_positions(doc, marks, orgs, c, person_at))
        if k % 50 == 0:
            budget.check("positions")
    countries = [explicit_country(doc, marks, orgs, c, f) for c, f in zip(clusters, found)]
    mentions = sorted((doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1]), k)
                      for k, c in enumerate(clusters) for m in c.mentions if m.start not in orgs.at)
    dels = delegations.find(doc, marks, mentions, home, dict(enumerate(countries)))
    undecided: set[int] = set()  # leaders with no evidence of their state: null beats a guess
    for k, f in enumerate(found):
        if countries[k] is None and any(x.title.lower() in gaz.international_titles for x in f):
            undecided.add(k)  # an international body's office serves no government
            continue
        if countries[k] is None and home and not ngo(orgs, f):
            countries[k] = country_by_title(doc, marks, clusters[k], f, home, foreign)
            if countries[k] is None and leader(gaz, f):
                undecided.add(k)
    for d in dels:
        for k in d.members:
            if countries[k] is None and d.country and not ngo(orgs, found[k]):
                countries[k] = d.country
    inherit_in_lists(doc, marks, clusters, countries, found, orgs)
    for k, c in enumerate(clusters):
        if countries[k] is None and not ngo(orgs, found[k]) and k not in undecided:
            countries[k] = contextual_country(doc, marks, c, found[k], home, foreign)

    record.organizations = [_organization(e, org_ids[e.key], doc) for e in org_list]
    record.persons = [_person(c, f"p{k + 1}", countries[k], found[k], orgs, org_ids, doc)
                      for k, c in enumerate(clusters)]
    record.delegations = [Delegation(id=f"d{i + 1}", country=d.country, members=[f"p{k + 1}" for k in d.members],
                                     evidence=d.evidence) for i, d in enumerate(dels)]



def _positions(doc: Doc, marks: Marks, orgs: OrgTable, c: Cluster, person_at: dict[int, int]) -> list[Found]:
    out: list[Found] = []
    seen: dict[str, Found] = {}
    spans: dict[str, set] = {}  # the evidence already kept per title: a set, for a person named thousands of times
    for m in c.mentions:
        for f in positions.titles_for(doc, marks, orgs, m, person_at):
            key = f.title.lower()
            if key not in seen:
                seen[key] = f
                spans[key] = {tuple(x) for x in f.evidence}
                out.append(f)
            else:
                kept = seen[key]
                kept.org = kept.org or f.org  # "Secretary General Luis Almagro ... OAS Secretary General, Luis Almagro"
                kept.country = kept.country or f.country
                for span in f.evidence:
                    if tuple(span) not in spans[key]:
                        spans[key].add(tuple(span))
                        kept.evidence.append(span)
    return _without_shorter(out)


def _without_shorter(found: list[Found]) -> list[Found]:
    """ "Secretary" beside "Secretary of State": the short form is the same office, said again."""
    words = [f.title.lower().split() for f in found]
    out = []
    for i, f in enumerate(found):
        longer = next((j for j, w in enumerate(words) if len(w) > len(words[i]) and w[:len(words[i])] == words[i]), None)
        if longer is None:
            out.append(f)
        elif f.org and not found[longer].org:
            found[longer].org = f.org
    return out



def _span_chars(doc: Doc, s: int, e: int) -> tuple[int, int]:
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1])


def _organization(e: organizations.OrgEntry, oid: str, doc: Doc) -> Organization:
    name = e.name if e.agency else max((f for f in e.forms if f != e.acronym), key=len, default=e.name)
    aliases = [f for f in e.forms if f != name and f != e.acronym]
    return Organization(id=oid, name=name, acronym=e.acronym, aliases=aliases, country=e.country,
                        kind=e.kind,  # type: ignore[arg-type]
                        mentions=[_span_chars(doc, s, t) for s, t in sorted(e.spans)])


def _person(c: Cluster, pid: str, country: str | None, found: list[Found], orgs: OrgTable,
            org_ids: dict[str, str], doc: Doc) -> Person:
    name = c.name
    aliases: list[str] = []
    for m in c.mentions:
        if m.text != name and m.text not in aliases:
            aliases.append(m.text)
    pos = [Position(title=_unshout(f.title, lexicon(doc).title_small_words), organization=org_ids.get(f.org) if f.org else None,
                    country=f.country or _org_country(orgs, f) or country, evidence=sorted(f.evidence))
           for f in found]
    return Person(id=pid, name=name, aliases=aliases, country=country, positions=pos,
                  mentions=sorted(_span_chars(doc, m.start, m.end) for m in c.mentions))


def _unshout(title: str, small_words: frozenset[str]) -> str:
    """A title as a transcript's speaker turn writes it ("FOREIGN MINISTER") in the case prose uses."""
    if not title.isupper():
        return title
    words = title.title().split(" ")
    return " ".join(w.lower() if k and w.lower() in small_words else w for k, w in enumerate(words))


def _org_country(orgs: OrgTable, f: Found) -> str | None:
    if f.org is None:
        return None
    entry = orgs.entries[f.org]
    return None if entry.kind in NGO_KINDS else entry.country
