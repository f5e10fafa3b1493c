"""Places named around an event: "in Manila, the Philippines", "to Tokyo, Jakarta and Manila"."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from readouts.extract import gazetteer
from readouts.extract.events.lexicon import country_code, places
from readouts.extract.marks import text_of

PLACE_LABELS = {"GPE", "LOC", "FAC"}
_ENTS_KEY = "readouts.events.ents"
_BY_START_KEY = "readouts.events.ents_by_start"
_COUNTRIES_KEY = "readouts.events.countries"
_JOINERS = {",", ";", "and", "the", "&", "as", "well"}


@dataclass(frozen=True)
class Place:
    start: int          # character offsets of the whole name ("Manila, the Philippines")
    end: int
    text: str
    country: str | None  # ISO alpha-3 when the name is, or ends with, a country

    @property
    def is_country(self) -> bool:
        return self.country is not None and country_code(self.text, demonyms=False) == self.country

    @property
    def is_settlement(self) -> bool:
        """A country, a known city, or a name the text places ("Koror, Palau"): where a traveler stops, unlike
        "Camp Bondsteel" or "the Panama Canal" seen on the way."""
        return self.country is not None or "," in self.text or city_country(self.text) is not None


def city_country(name: str) -> str | None:
    """ISO alpha-3 of the country a city lies in, from the entity stage's city gazetteer ("Berlin": DEU)."""
    return gazetteer.load().cities.get(name.split(",")[0].strip())


def _is_region(name: str) -> bool:
    key = name.lower()
    key = key.removeprefix("the ")
    return key in places().regions


def _outer(ent: Span) -> bool:
    """A country or region that may follow a city after a comma ("Dili, Timor-Leste", "Denver, Colorado")."""
    return country_code(ent.text, demonyms=False) is not None or _is_region(ent.text)


def _gap_is_comma(doc: Doc, a: Span, b: Span) -> bool:
    gap = [t.lower_ for t in doc[a.end:b.start]]
    if b.end < len(doc) and doc[b.end].pos_ in ("NOUN", "PROPN") and doc[b.end].ent_type_ == "":
        return False  # "In The Hague, the U.S. delegation will …": the country names the delegation
    return bool(gap) and gap[0] == "," and all(w in {",", "the"} for w in gap)


def group(doc: Doc, ents: list[Span]) -> list[Place]:
    """Place ents in text order, with "City, Country" (or "City, State") pairs joined into one place."""
    out: list[Place] = []
    i = 0
    while i < len(ents):
        a = ents[i]
        end_ent = a
        if (i + 1 < len(ents) and country_code(a.text, demonyms=False) is None
                and _outer(ents[i + 1]) and _gap_is_comma(doc, a, ents[i + 1])):
            end_ent = ents[i + 1]
            i += 1
        text = text_of(doc)[a.start_char:end_ent.end_char]
        code = country_code(end_ent.text, demonyms=False)
        if code is None and _is_region(end_ent.text) and end_ent is not a:
            code = "USA"
        out.append(Place(a.start_char, end_ent.end_char, text, code))
        i += 1
    return out


def list_after(doc: Doc, start: int, stop: int) -> list[Place]:
    """The places listed from token ``start`` on ("Tokyo, Jakarta, and Manila"), up to token ``stop``."""
    found: list[Span] = []
    i = start
    ents, others = _ents_by_start(doc)
    while i < stop:
        tok = doc[i]
        if i in ents:
            found.append(ents[i])
            i = ents[i].end
            continue
        pair = _city_country_in(doc, others[i]) if i in others and others[i].end <= stop else None
        if pair is not None:  # "Chisinau, Moldova" tagged as one ORG
            found.extend(pair)
            i = others[i].end
            continue
        if i in others and _before_country(doc, others[i].end, stop):
            found.append(others[i])  # "…; and Yerevan, Armenia" with Yerevan mistagged
            i = others[i].end
            continue
        named = country_tokens(doc, i, stop)
        if named is not None:
            found.append(named)
            i = named.end
            continue
        if tok.lower_ == "(" and found:  # "the Republic of Korea (ROK)"
            close = next((j for j in range(i, min(i + 6, stop)) if doc[j].lower_ == ")"), None)
            if close is not None:
                i = close + 1
                continue
        if tok.lower_ in _JOINERS or (tok.ent_type_ == "DATE" and found):
            i += 1
            continue
        break
    return group(doc, found)


def ents_of(doc: Doc) -> tuple[Span, ...]:
    """The doc's entities, read once per doc (``Doc.ents`` builds new spans on every call)."""
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        cached = doc.user_data[_ENTS_KEY] = tuple(doc.ents)
    return cached  # type: ignore[no-any-return]


def ents_between(doc: Doc, a: int, b: int) -> tuple[Span, ...]:
    """The doc's entities that start in tokens [a, b): a bisect, not a scan, per event mention."""
    ents = ents_of(doc)
    starts = doc.user_data.get(_ENT_STARTS_KEY)
    if starts is None:
        starts = doc.user_data[_ENT_STARTS_KEY] = [e.start for e in ents]
    return ents[bisect.bisect_left(starts, a):bisect.bisect_left(starts, b)]


_ENT_STARTS_KEY = "readouts.events.ent_starts"


def _ents_by_start(doc: Doc) -> tuple[dict[int, Span], dict[int, Span]]:
    cached = doc.user_data.get(_BY_START_KEY)
    if cached is None:
        ents = ents_of(doc)
        cached = doc.user_data[_BY_START_KEY] = ({e.start: e for e in ents if e.label_ in PLACE_LABELS},
                                                 {e.start: e for e in ents if e.label_ not in PLACE_LABELS})
    return cached  # type: ignore[no-any-return]


def country_spans_of(doc: Doc) -> tuple[Span, ...]:
    """Every country name in the doc, tagged or not, found once per doc by one regular expression."""
    cached = doc.user_data.get(_COUNTRIES_KEY)
    if cached is None:
        found = (doc.char_span(m.start(), m.end()) for m in _country_regex().finditer(text_of(doc))
                 if m.group(0)[0].isupper())  # "Turkey", not "turkey"
        cached = doc.user_data[_COUNTRIES_KEY] = tuple(s for s in found if s is not None)
    return cached  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def _country_regex() -> re.Pattern[str]:
    names = sorted((n for n in places().country_names if len(n) > 2), key=len, reverse=True)
    alts = "|".join(re.escape(n).replace("\\ ", "\\s+") for n in names)
    return re.compile(rf"(?<![\w.-])(?:{alts})(?![\w-])", re.IGNORECASE)


def _city_country_in(doc: Doc, ent: Span) -> tuple[Span, Span] | None:
    commas = [t.i for t in ent if t.text == ","]
    if len(commas) != 1 or commas[0] == ent.start or commas[0] + 1 >= ent.end:
        return None
    city, country = doc[ent.start:commas[0]], doc[commas[0] + 1:ent.end]
    return (city, country) if country_code(country.text, demonyms=False) and city[0].is_title else None


def _before_country(doc: Doc, i: int, stop: int) -> bool:
    return i + 1 < stop and doc[i].text == "," and country_tokens(doc, i + 1, stop) is not None


def country_tokens(doc: Doc, i: int, stop: int) -> Span | None:
    """A country the tagger missed ("Niger"): the longest run of capitalised tokens that is a country name."""
    if not doc[i].is_title and not doc[i].is_upper:
        return None
    for j in range(min(i + 5, stop), i, -1):
        span = doc[i:j]
        if country_code(span.text, demonyms=False):
            return span
    return None
