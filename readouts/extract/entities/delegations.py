"""Delegations: one side's named group of officials, and who was in it.

Read from sentences that present a delegation ("The Mexican delegation was made up of ...",
"The U.S. delegation was led by X and included Y"), that name its head ("X will lead the
delegation"), from the list under "Members of the Presidential Delegation:", and from "also
attended" sentences right after one of those. A delegation with no named member is dropped.
"""
from __future__ import annotations

import functools
import operator
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from spacy.tokens import Doc, Span, Token

from readouts.extract.languages import data_file
from readouts.extract.marks import Marks, text_of


@dataclass(frozen=True)
class Patterns:
    """A language's delegation patterns (data/<lang>/delegations.yaml)."""
    presents: re.Pattern[str]
    leads: re.Pattern[str]
    led: re.Pattern[str]
    travels: re.Pattern[str]
    members_header: re.Pattern[str]
    negated: re.Pattern[str]
    also_attended: re.Pattern[str]
    accompanied: re.Pattern[str]
    travel_news: re.Pattern[str]
    companions_end: re.Pattern[str]
    document_end: re.Pattern[str]
    home_side_words: frozenset[str]
    side_after_noun: bool
    companion_words: frozenset[str]
    not_companion_words: frozenset[str]


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE}


@lru_cache(maxsize=4)
def patterns(lang: str) -> Patterns:
    raw = yaml.safe_load(data_file(lang, "delegations.yaml").read_text(encoding="utf-8"))
    compiled = {name: re.compile(p["pattern"], functools.reduce(operator.or_, (_FLAGS[f] for f in p.get("flags", "")),
                                                                 re.NOFLAG))
                for name, p in raw["patterns"].items()}
    return Patterns(**compiled, home_side_words=frozenset(raw.get("home_side_words") or ()),
                    side_after_noun=bool(raw.get("side_after_noun")),
                    companion_words=frozenset(raw.get("companion_words") or ()),
                    not_companion_words=frozenset(raw.get("not_companion_words") or ()))


@dataclass
class Delegation:
    country: str | None
    members: list[int] = field(default_factory=list)  # cluster indexes
    evidence: list[tuple[int, int]] = field(default_factory=list)

    def add(self, members: list[int], sent: Span | tuple[int, int]) -> None:
        self.members.extend(m for m in members if m not in self.members)
        span = (sent.start_char, sent.end_char) if isinstance(sent, Span) else sent
        if span not in self.evidence:
            self.evidence.append(span)


def find(doc: Doc, marks: Marks, person_at_char: list[tuple[int, int, int]], home: str | None,
         person_country: dict[int, str | None]) -> list[Delegation]:
    """person_at_char: (start_char, end_char, cluster) of every person mention, in text order."""
    rx = patterns(doc.lang_)
    found: list[Delegation] = []
    last: Delegation | None = None
    traveller: list[int] = []
    text_all = text_of(doc)  # Doc.text is rebuilt from the tokens on every access
    travel_news = rx.travel_news.search(text_all) is not None
    for sent in doc.sents:
        text = sent.text
        m = rx.presents.search(text)
        if m:
            members = _between(person_at_char, sent.start_char + m.start(), sent.end_char)
            if members and not rx.led.search(text):
                members = traveller + members  # "X will travel to Y. The delegation will include Z."
            last = _side(found, _country_before(doc, marks, sent, m, home), members, sent)
            continue
        t = rx.travels.search(text)
        if t:
            traveller = _between(person_at_char, sent.start_char, sent.start_char + t.start())[:2]
        m = rx.leads.search(text)
        if m:
            members = _between(person_at_char, sent.start_char, sent.start_char + m.start())
            last = _side(found, _country_in(doc, marks, sent, m, home), members, sent)
            continue
        m = rx.accompanied.search(text)
        if m and travel_news and not text.rstrip().endswith("?") and not rx.negated.search(text):
            d = _accompanied(found, doc, sent, m, person_at_char, traveller, home, person_country)
            if d is not None:
                last = d
                continue
        if last is not None and rx.also_attended.search(text):
            for c in _between(person_at_char, sent.start_char, sent.end_char):
                side = next((d for d in found if d.country and d.country == person_country.get(c)), last)
                side.add([c], sent)
    for m in rx.members_header.finditer(text_all):
        end = rx.document_end.search(text_all, m.end())
        stop = end.start() if end else len(text_all)
        members = _between(person_at_char, m.end(), stop)
        _side(found, home, members, (m.start(), stop))  # the Presidential Delegation: the issuer's
    return [d for d in _merged(found, home, person_country) if d.members]


def _accompanied(found: list[Delegation], doc: Doc, sent: Span, m: re.Match[str],
                 person_at_char: list[tuple[int, int, int]], traveller: list[int], home: str | None,
                 person_country: dict[int, str | None]) -> Delegation | None:
    """ "Assistant Secretary Leaf will be accompanied by X and Y": the traveller's delegation, when it names
    companions of the traveller's side (not a foreign minister the Secretary "will be joined by")."""
    at = sent.start_char + m.end()
    stop = patterns(doc.lang_).companions_end.search(sent.text, m.end())
    companions = _between(person_at_char, at, sent.start_char + stop.start() if stop else sent.end_char)
    lead = _between(person_at_char, sent.start_char, sent.start_char + m.start()) or traveller[:1]
    country = next((c for k in lead if (c := person_country.get(k))), None) or home
    companions = [k for k in companions if person_country.get(k) in (None, country) and k not in lead]
    said = set(re.findall(r"\w+", sent.text[m.end():stop.start() if stop else None].lower()))
    rx = patterns(doc.lang_)
    unnamed = not companions and bool(said & rx.companion_words) and not said & rx.not_companion_words
    if not (companions or unnamed) or not lead:
        return None
    return _side(found, country, lead + companions, sent)


def _between(person_at_char: list[tuple[int, int, int]], start: int, end: int) -> list[int]:
    out: list[int] = []
    for s, _, c in person_at_char:
        if start <= s < end and c not in out:
            out.append(c)
    return out


def _side(found: list[Delegation], country: str | None, members: list[int],
          sent: Span | tuple[int, int]) -> Delegation:
    d = next((d for d in found if d.country == country), None)
    if d is None:
        d = Delegation(country)
        found.append(d)
    d.add(members, sent)
    return d


def _country_before(doc: Doc, marks: Marks, sent: Span, m: re.Match[str], home: str | None) -> str | None:
    """The side named with "delegation": just before it in English ("The Mexican delegation", "the U.S.
    delegation"), right after it in Spanish ("la delegación mexicana", "una delegación del gobierno de los
    Estados Unidos")."""
    at, end = sent.start_char + m.start(), sent.start_char + m.end()
    window = [t for t in sent if t.idx < at][-6:]
    if patterns(doc.lang_).side_after_noun:
        found, country = _first_side((t for t in sent if at <= t.idx < end), marks, home)
        if found:
            return country
    found, country = _first_side(reversed(window), marks, home)
    return country if found else None


def _country_in(doc: Doc, marks: Marks, sent: Span, m: re.Match[str], home: str | None) -> str | None:
    s, e = sent.start_char + m.start(), sent.start_char + m.end()
    found, country = _first_side((t for t in sent if s <= t.idx < e), marks, home)
    return country if found else home


def _first_side(tokens: Iterable[Token], marks: Marks, home: str | None) -> tuple[bool, str | None]:
    """The first token that names a side: a place's country, or "presidential" (the home government)."""
    for t in tokens:
        place = marks.place_at.get(t.i)
        if place is not None:
            return True, place.country
        if t.lower_ in patterns(t.doc.lang_).home_side_words:
            return True, home
    return False, None


def _merged(found: list[Delegation], home: str | None,
            person_country: dict[int, str | None]) -> list[Delegation]:
    """Delegations of an unknown side join the only known side when there is just one; with no
    known side, the side is the one its members serve, else the issuing government's
    ("The delegation will include ..." in a U.S. travel announcement)."""
    known = [d for d in found if d.country]
    unknown = [d for d in found if not d.country]
    if len(known) == 1:
        for d in unknown:
            known[0].add(d.members, d.evidence[0])
        return known
    if not known:
        for d in unknown:
            sides = Counter(c for m in d.members if (c := person_country.get(m)))
            d.country = sides.most_common(1)[0][0] if sides else home
    return found
