"""Persons, organizations, positions and delegations of one parsed document.

``fill`` runs the stages in order: gazetteer bodies, persons (which must not swallow a known
body), the remaining bodies (which must not swallow a person), titles, delegations, and last
the country each person serves. Ids are p1.., o1.., d1.. in order of first mention.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlsplit

from spacy.tokens import Doc, Span

from readouts.extract import budget, delegations, gazetteer, organizations, persons, positions
from readouts.extract.gazetteer import NGO_KINDS, lexicon
from readouts.extract.marks import Marks, Place
from readouts.extract.organizations import OrgTable
from readouts.extract.persons import Cluster
from readouts.extract.positions import Found
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
    countries = [_explicit_country(doc, marks, orgs, c, f) for c, f in zip(clusters, found)]
    mentions = sorted((doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1]), k)
                      for k, c in enumerate(clusters) for m in c.mentions if m.start not in orgs.at)
    dels = delegations.find(doc, marks, mentions, home, dict(enumerate(countries)))
    undecided: set[int] = set()  # leaders with no evidence of their state: null beats a guess
    for k, f in enumerate(found):
        if countries[k] is None and any(x.title.lower() in gaz.international_titles for x in f):
            undecided.add(k)  # an international body's office serves no government
            continue
        if countries[k] is None and home and not _ngo(orgs, f):
            countries[k] = _country_by_title(doc, marks, clusters[k], f, home, foreign)
            if countries[k] is None and _leader(gaz, f):
                undecided.add(k)
    for d in dels:
        for k in d.members:
            if countries[k] is None and d.country and not _ngo(orgs, found[k]):
                countries[k] = d.country
    _inherit_in_lists(doc, clusters, countries, found, orgs)
    for k, c in enumerate(clusters):
        if countries[k] is None and not _ngo(orgs, found[k]) and k not in undecided:
            countries[k] = _contextual_country(doc, marks, c, found[k], home, foreign)

    record.organizations = [_organization(e, org_ids[e.key], doc) for e in org_list]
    record.persons = [_person(c, f"p{k + 1}", countries[k], found[k], orgs, org_ids, doc)
                      for k, c in enumerate(clusters)]
    record.delegations = [Delegation(id=f"d{i + 1}", country=d.country, members=[f"p{k + 1}" for k in d.members],
                                     evidence=d.evidence) for i, d in enumerate(dels)]


def home_country(doc: Doc, marks: Marks, source: str | None, clusters: Sequence[Cluster] = ()) -> str | None:
    """The government that issued the document.

    U.S. bylines first; then the release's own principal, when the gazetteer knows whom they serve: the
    first person the opening names, unless a country is attached to them there ("Meeting of Foreign
    Minister Mevlüt Çavuşoğlu with ...": Türkiye); else the country the text names most, not counting
    the countries it attaches to someone else's office ("Japan's Special Envoy", "President of the French
    Republic") or sends someone to ("a working visit to Washington DC and New York, USA")."""
    text = doc.text  # built from the tokens on every access: read it once
    head, tail = text[:400], text[-200:]
    if any(m in head or m in tail for m in lexicon(doc).us_markers) or (source and any(
            m in source for m in lexicon(doc).us_source_markers)):
        return "USA"
    if (host := _government_host_country(marks.gaz, source)) is not None:
        return host
    principal = _principal(doc, marks, clusters)
    if principal is not None:
        return principal
    opening = head.lower()
    if any(re.search(rf"\b{re.escape(t)}\b", opening) for t in marks.gaz.home_titles
           if " of state" in t or t == "spokesperson"):
        return "USA"  # "Under Secretary of State for Political Affairs Victoria Nuland will travel ..."
    counts = Counter(p.country for p in marks.places if not _attached_elsewhere(doc, marks, p))
    if not counts:
        counts = Counter(p.country for p in marks.places)
    return counts.most_common(1)[0][0] if counts else None


def _government_host_country(gaz: gazetteer.Gazetteer, source: str | None) -> str | None:
    """The country whose government's host the release comes from ("embamex.sre.gob.mx": MEX,
    "www.mofa.go.jp": JPN, "www.gov.uk": GBR), or None for any other address."""
    if not source or "://" not in source:
        return None
    labels = (urlsplit(source).hostname or "").split(".")
    if len(labels) >= 2 and labels[-2] in gaz.government_host_labels:
        return gaz.cctld.get(labels[-1])
    return None


OPENING_CHARS = 300  # the title line and the first sentence or so: where a release names its own principal


def _principal(doc: Doc, marks: Marks, clusters: Sequence[Cluster]) -> str | None:
    """The country of the first person the opening names, when the gazetteer knows it and the opening
    attaches no other country to them."""
    firsts = sorted((c.first, c) for c in clusters)
    if not firsts or doc[firsts[0][0]].idx > OPENING_CHARS:
        return None
    c = firsts[0][1]
    first = min(c.mentions, key=lambda x: x.start)
    if any(t.lower_ in lexicon(doc).fw("with", "to", "from", "by") for t in doc[max(0, first.start - 4):first.start]):
        return None  # "PM call with President Zelenskyy": the counterpart, not the release's own principal
    known = _known_official(marks.gaz, c)
    if known is None:
        return None
    # a country attached to them: "Turkish Foreign Minister X", "X of Türkiye", "X, Foreign Minister of ..."
    attached = [p for p in marks.places if first.start - 4 <= p.start < first.start
                or first.end < len(doc) and doc[first.end].lower_ in lexicon(doc).fw("of", ",") and first.end < p.start <= first.end + 6
                and not any(t.lower_ in lexicon(doc).fw("with", "to", "and", "from") for t in doc[first.end:p.start])]
    return None if any(p.country != known for p in attached) else known


def _attached_elsewhere(doc: Doc, marks: Marks, p: Place) -> bool:
    """A country named as someone's ("Japan's Special Envoy", "Japanese Special Envoy", "President of the
    French Republic", "Foreign Minister Sergey Lavrov of the Russian Federation") or as a destination
    ("a working visit to Washington DC and New York, USA")."""
    k = p.end + 1 if p.end < len(doc) and doc[p.end].text in ("’s", "'s") else p.end
    while k < len(doc) and doc[k].lower_ in marks.gaz.title_modifiers and not marks.title[k]:
        k += 1  # "Japanese Special Envoy": a modifier may stand between the country and the office
    if k < len(doc) and marks.title[k]:
        return True
    i = p.start - 1
    if i >= 0 and doc[i].lower_ in lexicon(doc).fw("the"):
        i -= 1
    if i >= 0 and doc[i].lower_ in lexicon(doc).fw("of") and i >= 1 and (marks.title[i - 1] or doc[i - 1].ent_type_ == "PERSON"
                                                        or doc[i - 1].is_title and i >= 2 and marks.title[i - 2]):
        return True
    window = {t.lemma_.lower() for t in doc[max(0, p.start - 8):p.start]}  # "Ambassador to Kenya" is no trip
    return bool(window & lexicon(doc).travel_words) and doc[max(0, p.start - 1)].lower_ in lexicon(doc).fw("to", ",", "and")




def main_foreign_country(marks: Marks, home: str | None) -> str | None:
    counts = Counter(p.country for p in marks.places if p.country != home)
    return counts.most_common(1)[0][0] if counts else None


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
                for span in f.evidence:
                    if tuple(span) not in spans[key]:
                        spans[key].add(tuple(span))
                        seen[key].evidence.append(span)
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


def _explicit_country(doc: Doc, marks: Marks, orgs: OrgTable, c: Cluster, found: list[Found]) -> str | None:
    for f in found:
        if f.country:
            return f.country
    for m in c.mentions:
        country = positions.country_after(doc, marks, m.end)
        if country:
            return country
    for f in found:
        if f.org is not None:
            entry = orgs.entries[f.org]
            if entry.kind in NGO_KINDS:
                return None
            if entry.country:
                return entry.country
    for f in found:
        implied = marks.gaz.implied_country.get(f.title.lower())
        if implied:
            return implied
    return None


def _country_by_title(doc: Doc, marks: Marks, c: Cluster, found: list[Found], home: str,
                      foreign: str | None) -> str | None:
    gaz = marks.gaz
    titles = [f.title.lower() for f in found]
    if any(t == h or t.startswith(h + " ") and " " in h for t in titles for h in gaz.home_titles):
        return home
    known = _known_official(gaz, c)
    if known:
        return known
    if _foreign_title(marks, found, home):
        return _where(doc, marks, c, home) or _nearest_other(doc, marks, c, home) or foreign
    if _leader(gaz, found):
        if home not in gaz.never_held_by:
            return home
        return _where(doc, marks, c, home) or _nearest_other(doc, marks, c, home) or _sole_foreign(marks, home)
    return None


def _leader(gaz: gazetteer.Gazetteer, found: list[Found]) -> bool:
    return any(f.title.lower() in gaz.leader_titles for f in found)


def _known_official(gaz: gazetteer.Gazetteer, c: Cluster) -> str | None:
    """ "President Putin": a head of state the corpus names with his country (data/officials.tsv)."""
    words = c.name.replace(",", " ").split()
    words = [w for w in words if w not in ("Jr.", "Jr", "Sr.", "II", "III")]
    if not words:
        return None
    last = words[-1].removesuffix("’s").removesuffix("'s")
    return gaz.officials.get(last) or gaz.officials.get(_plain(last))


def _plain(word: str) -> str:
    """Without accents: "Çavuşoğlu" is the gazetteer's "Cavusoglu"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


def _sole_foreign(marks: Marks, home: str) -> str | None:
    others = {p.country for p in marks.places if p.country != home}
    return next(iter(others)) if len(others) == 1 else None


def _where(doc: Doc, marks: Marks, c: Cluster, home: str | None) -> str | None:
    """The foreign state where the sentence naming this person happens: "In Cairo, the Secretary will
    meet with President Al Sisi", "… in San Salvador", or the place the paragraph's travel goes to."""
    sent = doc[c.mentions[0].start].sent
    for _ in range(4):
        where = _setting(doc, marks, sent)
        if where is not None:
            return where if where != home else None
        if sent.start == 0 or "\n\n" in doc[sent.start - 1].whitespace_ + doc[sent.start - 1].text:
            return None
        sent = doc[sent.start - 1].sent
    return None


def _setting(doc: Doc, marks: Marks, sent: Span) -> str | None:
    words = [t for t in sent if not t.is_space]
    for i, t in enumerate(words[:4]):
        if t.lower_ in lexicon(doc).fw("in") and i + 1 < len(words):
            place = marks.place_at.get(words[i + 1].i) or marks.city_at.get(words[i + 1].i)
            if place is not None:
                return place.country
    for t in sent:
        city = marks.city_at.get(t.i)
        if city is not None and t.i > 0 and doc[t.i - 1].lower_ in lexicon(doc).fw("in", "to"):
            return city.country
    for t in sent:
        if t.lower_ in lexicon(doc).fw("travel", "travels", "visit", "visits", "trip") and t.i + 2 < len(doc):
            j = t.i + 1 if doc[t.i + 1].lower_ not in lexicon(doc).fw("to") else t.i + 2
            place = marks.place_at.get(j) or marks.city_at.get(j)
            if place is not None and not place.demonym:
                return place.country
    return None


def _foreign_title(marks: Marks, found: list[Found], home: str) -> bool:
    """ "Prime Minister" in a U.S. release, "Ambassador to the United States" in any home's release."""
    never = marks.gaz.never_held_by.get(home, frozenset())
    for f in found:
        title = f.title.lower()
        words = title.split()
        if any(" ".join(words[i:]) in never for i in range(len(words))):
            return True
        if " to " in f" {title}" and marks.gaz.country_of(f.title.split(" to ", 1)[-1].removeprefix("the ")) == home:
            return True
    return False


def _nearest_other(doc: Doc, marks: Marks, c: Cluster, home: str) -> str | None:
    m = c.mentions[0]
    sent = doc[m.start].sent
    best = None
    for p in marks.places:
        nearer = best is None or abs(p.start - m.start) < abs(best.start - m.start)
        if sent.start <= p.start < sent.end and p.country != home and nearer:
            best = p
    return best.country if best else None


def _ngo(orgs: OrgTable, found: list[Found]) -> bool:
    return any(f.org is not None and orgs.entries[f.org].kind in NGO_KINDS for f in found)


LIST_REACH = 60  # tokens between "including" and the last official it lists


def _inherit_in_lists(doc: Doc, clusters: list[Cluster], countries: list[str | None], found: list[list[Found]],
                      orgs: OrgTable) -> None:
    """Officials listed after "including" in one sentence share the country of the others listed."""
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for k, c in enumerate(clusters):
        for m in c.mentions:
            # "including" opens a list a few names long; looking further back than that in a run-on
            # sentence (or asking spaCy for the whole sentence) would make this quadratic
            for t in reversed(doc[max(0, m.start - LIST_REACH):m.start]):
                if t.text in (".", ";", ":"):
                    break
                if t.lower_ in lexicon(doc).fw("including"):
                    by_sentence.setdefault(t.i, []).append((m.start, k))
                    break
                if t.is_sent_start:
                    break
    for members in by_sentence.values():
        known = Counter(countries[k] for _, k in members if countries[k])
        if len(known) == 1:
            country = next(iter(known))
            for _, k in members:
                if countries[k] is None and not _ngo(orgs, found[k]):
                    countries[k] = country


def _contextual_country(doc: Doc, marks: Marks, c: Cluster, found: list[Found], home: str | None,
                        foreign: str | None) -> str | None:
    for m in c.mentions:
        window = doc[max(0, m.start - 4):m.start]
        if any(t.lower_ in lexicon(doc).counterpart_words for t in window):
            return foreign if home else None
        if any(t.text in lexicon(doc).foreign_honorifics for t in window):
            return foreign
        visited = _visit_destination(doc, marks, m.end)
        if visited is not None:
            return next((p.country for p in marks.places if p.country != visited), None) \
                if home == visited else home
    if not found:
        # an untitled name: a leader the gazetteer knows ("the Lukashenka regime"); anyone else (a journalist,
        # a detainee) serves no state the text states
        return _known_official(marks.gaz, c)
    return home


def _visit_destination(doc: Doc, marks: Marks, end: int) -> str | None:
    """ "Vice President Kamala Harris’ visit to Mexico": the visitor is not from Mexico."""
    i = end
    while i < len(doc) and doc[i].text in ("’", "'", "’s", "'s"):
        i += 1
    if i + 2 < len(doc) and doc[i].lower_ in lexicon(doc).fw("visit", "trip", "travel") and doc[i + 1].lower_ in lexicon(doc).fw("to"):
        place = marks.place_at.get(i + 2) or marks.place_at.get(i + 3)
        return place.country if place else None
    return None


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
