"""Per-document token marks from the gazetteer matchers: one pass of each matcher per Doc.

Every later rule asks these arrays ("is token i a title word? a country? inside an honorific?")
instead of re-matching, which keeps the entity stage linear in the document's length.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Token

from readouts.extract.gazetteer import Gazetteer


@dataclass
class Place:
    start: int
    end: int
    country: str
    demonym: bool


@dataclass
class Marks:
    doc: Doc
    gaz: Gazetteer
    title: list[bool]
    honorific: list[bool]
    place_at: dict[int, Place]
    places: list[Place]
    agency_spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, agency key)
    city_at: dict[int, Place] = field(default_factory=dict)  # "Cairo", "San Salvador": where, not who
    org_tokens: set[int] = field(default_factory=set)  # filled once bodies are known

    @classmethod
    def of(cls, doc: Doc, gaz: Gazetteer) -> Marks:
        m = gaz.matchers_for(doc.vocab)
        n = len(doc)
        title = [False] * n
        for _, s, e in m.titles(doc):
            for i in range(s, e):
                title[i] = True
        honorific = [False] * n
        for _, s, e in m.honorifics(doc):
            if not any(title[s:e]):  # "Crown Prince" is a title; "Prince Faisal" is a royal style
                for i in range(s, e):
                    honorific[i] = True
        places: list[Place] = []
        for match_id, s, e in _longest(m.places(doc)):
            kind, _, text = doc.vocab.strings[match_id].partition(":")
            code = gaz.demonyms[text] if kind == "demonym" else gaz.countries[text]
            places.append(Place(s, e, code, kind == "demonym"))
        place_at = {i: p for p in places for i in range(p.start, p.end)}
        agencies = [(s, e, doc.vocab.strings[k]) for k, s, e in
                    _longest(list(m.agency_names(doc)) + list(m.agency_acronyms(doc)))]
        city_at: dict[int, Place] = {}
        for match_id, s, e in _longest(m.cities(doc)):
            if s not in place_at:
                city = Place(s, e, gaz.cities[doc.vocab.strings[match_id].partition(":")[2]], False)
                city_at.update((i, city) for i in range(s, e))
        return cls(doc, gaz, title, honorific, place_at, places, agencies, city_at=city_at)

    def name_like(self, tok: Token) -> bool:
        """Could this token be part of a personal name?"""
        text = tok.text
        if not text or not text[0].isupper() or tok.like_num:
            return False
        if text.isupper() and not (len(text) == 2 and text.endswith(".")) and not self.family_name_first(tok):
            return False  # acronyms (NSC, DHS) and bare letters (a transcript's "Q"); initials like "J." pass
        if self.title[tok.i] or self.honorific[tok.i] or tok.i in self.place_at or tok.i in self.city_at:
            return False
        low = tok.lower_
        return (low not in self.gaz.words.not_name_words and low not in self.gaz.title_words and low not in self.gaz.words.org_heads
                and low not in self.gaz.title_modifiers and low not in self.gaz.not_name_words)

    def family_name_first(self, tok: Token) -> bool:
        """ "Mr. KISHIDA Fumio", "H.E. Mr. HAYASHI Yoshimasa": Japan's house style writes the family name in
        capitals before the given name. A capitalised word counts as a name there, between an honorific or
        a title and a given name in title case; an acronym (NSC, DHS) never stands like that."""
        i, doc = tok.i, tok.doc
        return (len(tok.text) >= 2 and tok.is_alpha and 0 < i < len(doc) - 1
                and (self.honorific[i - 1] or self.title[i - 1]) and doc[i + 1].is_title and doc[i + 1].is_alpha
                and "\n" not in tok.whitespace_)


def _longest(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Non-overlapping matches, longest first."""
    taken: set[int] = set()
    out = []
    for k, s, e in sorted(matches, key=lambda t: (t[1] - t[2], t[1])):
        if any(i in taken for i in range(s, e)):
            continue
        taken.update(range(s, e))
        out.append((k, s, e))
    return sorted(out, key=lambda t: t[1])


def words_of(doc: Doc) -> list[str]:
    """Each token's text, cut from the document's text by the token offsets: no Token object per word
    (a scan over ``doc`` makes one for each)."""
    cached = doc.user_data.get("readouts.words")
    if cached is None:
        text = text_of(doc)
        cached = doc.user_data["readouts.words"] = [
            text[start:start + length] for start, length in zip(doc.to_array(IDX).tolist(),
                                                                doc.to_array(LENGTH).tolist(), strict=True)]
    return cached  # type: ignore[no-any-return]


def text_of(doc: Doc) -> str:
    """The doc's text, joined once per document (``Doc.text`` joins every token on each access)."""
    cached = doc.user_data.get("readouts.text")
    if cached is None:
        cached = doc.user_data["readouts.text"] = doc.text
    return cached  # type: ignore[no-any-return]
