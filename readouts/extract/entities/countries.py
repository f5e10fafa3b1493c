"""The country each person serves: stated with the title or name, implied by the title in the issuer's
release, inherited in a list, or taken from the sentence's context."""
from __future__ import annotations

import unicodedata
from collections import Counter

from spacy.tokens import Doc, Span

from readouts.extract import gazetteer
from readouts.extract.entities import positions
from readouts.extract.entities.organizations import OrgTable
from readouts.extract.entities.persons import Cluster
from readouts.extract.entities.positions import Found
from readouts.extract.gazetteer import NGO_KINDS, lexicon
from readouts.extract.marks import Marks


def explicit_country(doc: Doc, marks: Marks, orgs: OrgTable, c: Cluster, found: list[Found]) -> str | None:
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


def country_by_title(doc: Doc, marks: Marks, c: Cluster, found: list[Found], home: str,
                      foreign: str | None) -> str | None:
    gaz = marks.gaz
    titles = [f.title.lower() for f in found]
    if any(t == h or t.startswith(h + " ") and " " in h for t in titles for h in gaz.home_titles):
        return home
    known = known_official(gaz, c)
    if known:
        return known
    if _foreign_title(marks, found, home):
        return _where(doc, marks, c, home) or _nearest_other(doc, marks, c, home) or foreign
    if leader(gaz, found):
        if home not in gaz.never_held_by:
            return home
        return _where(doc, marks, c, home) or _nearest_other(doc, marks, c, home) or _sole_foreign(marks, home)
    return None


def leader(gaz: gazetteer.Gazetteer, found: list[Found]) -> bool:
    return any(f.title.lower() in gaz.leader_titles for f in found)


def known_official(gaz: gazetteer.Gazetteer, c: Cluster) -> str | None:
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


def ngo(orgs: OrgTable, found: list[Found]) -> bool:
    return any(f.org is not None and orgs.entries[f.org].kind in NGO_KINDS for f in found)


LIST_REACH = 60  # tokens between "including" and the last official it lists


def inherit_in_lists(doc: Doc, marks: Marks, clusters: list[Cluster], countries: list[str | None],
                     found: list[list[Found]], orgs: OrgTable) -> None:
    """Officials listed after "including" in one sentence share the country of the others listed; those listed
    after a side ("por Uruguay tomaron parte ...": data/<lang>/words.yaml side_words) serve that side."""
    by_sentence: dict[int, list[tuple[int, int]]] = {}
    sides: dict[int, str] = {}  # where a side's list opens -> its country
    side_words = lexicon(doc).side_words
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
                place = marks.place_at.get(t.i)
                if place is not None and place.start == t.i and t.i > 0 and doc[t.i - 1].lower_ in side_words:
                    # "y por Uruguay tomaron parte X, Y y Z", "por la parte uruguaya, X": one side's list
                    sides[t.i] = place.country
                    by_sentence.setdefault(t.i, []).append((m.start, k))
                    break
                if t.is_sent_start:
                    break
    for opener, members in by_sentence.items():
        if opener in sides:
            for _, k in members:
                if countries[k] is None and not ngo(orgs, found[k]):
                    countries[k] = sides[opener]
            continue
        known = Counter(countries[k] for _, k in members if countries[k])
        if len(known) == 1:
            country = next(iter(known))
            for _, k in members:
                if countries[k] is None and not ngo(orgs, found[k]):
                    countries[k] = country


def contextual_country(doc: Doc, marks: Marks, c: Cluster, found: list[Found], home: str | None,
                        foreign: str | None) -> str | None:
    for m in c.mentions:
        window = doc[max(0, m.start - 5):m.start]
        if any(t.lower_ in lexicon(doc).counterpart_words for t in window):
            # "su nuevo colega iraquí, Fuad Hussein", "su homólogo de Argelia, Sabri Boukadoum", "his Iraqi
            # counterpart": the country named with the counterpart word, else the main foreign one
            named = next((p.country for t in window if (p := marks.place_at.get(t.i)) is not None), None)
            return named or (foreign if home else None)
        if any(t.text in lexicon(doc).foreign_honorifics for t in window):
            return foreign
        visited = _visit_destination(doc, marks, m.end)
        if visited is not None:
            return next((p.country for p in marks.places if p.country != visited), None) \
                if home == visited else home
    if not found:
        # an untitled name: a leader the gazetteer knows ("the Lukashenka regime"); anyone else (a journalist,
        # a detainee) serves no state the text states
        return known_official(marks.gaz, c)
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
