"""Named bodies: gazetteer agencies, spaCy ORG entities and "X of the Y" bodies, with acronyms linked.

Whole governments and countries ("the Government of Mexico"), job titles mistaken for bodies
("Advisor") and sub-units named only inside a title ("head of the North America Unit") are left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from readouts.extract.gazetteer import Agency, lexicon
from readouts.extract.marks import Marks, words_of

ORG_LABELS = frozenset({"ORG"})
OTHER_LABELS = frozenset({"FAC", "LAW", "WORK_OF_ART", "GPE", "EVENT", "PRODUCT"})


@dataclass
class OrgEntry:
    key: str
    name: str
    country: str | None
    kind: str
    acronym: str | None = None
    agency: Agency | None = None
    forms: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # token spans


@dataclass
class OrgTable:
    entries: dict[str, OrgEntry] = field(default_factory=dict)
    at: dict[int, str] = field(default_factory=dict)  # token index -> entry key

    def add(self, key: str, start: int, end: int, text: str) -> None:
        entry = self.entries[key]
        if any(i in self.at for i in range(start, end)):
            return
        entry.spans.append((start, end))
        if text not in entry.forms:
            entry.forms.append(text)
        for i in range(start, end):
            self.at[i] = key

    def ordered(self) -> list[OrgEntry]:
        return sorted((e for e in self.entries.values() if e.spans), key=lambda e: min(e.spans))

    def span_at(self, i: int) -> tuple[int, int] | None:
        key = self.at.get(i)
        if key is None:
            return None
        return next((s, e) for s, e in self.entries[key].spans if s <= i < e)


def gazetteer_orgs(doc: Doc, marks: Marks) -> tuple[OrgTable, list[tuple[int, int, str]]]:
    """Bodies the gazetteer names; generic names ("Foreign Ministry") are returned aside."""
    table = OrgTable()
    generic = []
    for s, e, key in marks.agency_spans:
        if key.startswith("generic:"):
            generic.append((s, e, key.partition(":")[2]))
            continue
        agency = marks.gaz.agencies[key]
        if key not in table.entries:
            table.entries[key] = OrgEntry(key, agency.name, agency.country, agency.kind, agency.acronym, agency)
        table.add(key, s, e, doc[s:e].text)
    return table, generic


def other_orgs(doc: Doc, marks: Marks, table: OrgTable, generic: list[tuple[int, int, str]],
               person_tokens: set[int]) -> OrgTable:
    for s, e, key in generic:
        # "the Foreign Ministry" is the one of the bodies that go by that name which the document names in full
        owners = marks.gaz.generic_owners.get(doc[s:e].text.lower(), (key,))
        named = next((k for k in owners if k in table.entries and table.entries[k].spans), None)
        if named is not None:
            table.add(named, s, e, doc[s:e].text)
        else:
            _add_candidate(doc, marks, table, s, e, person_tokens)
    for ent in doc.ents:
        if ent.label_ in ORG_LABELS or ent.label_ in OTHER_LABELS and _has_head(ent):
            end = _object_goes_on(doc, marks, table, ent, person_tokens)
            _add_candidate(doc, marks, table, ent.start, end, person_tokens)
    for tok in doc:
        if tok.is_title and tok.lower_ in lexicon(doc).org_heads and tok.i not in table.at and tok.i not in person_tokens:
            s, e = _grow_body(doc, marks, tok.i)
            if e - s >= 2:
                _add_candidate(doc, marks, table, s, e, person_tokens)
    _link_acronyms(doc, table)
    _merge_contained(table)
    return table


def _object_goes_on(doc: Doc, marks: Marks, table: OrgTable, ent: Span, person_tokens: set[int]) -> int:
    """ "the Bureau of East Asian | and Pacific Affairs": spaCy may end a body inside its "of" object."""
    e = ent.end
    if not any(t.lower_ in lexicon(doc).fw("of", "for") for t in ent) or e + 1 >= len(doc) \
            or doc[e].lower_ not in lexicon(doc).body_continues:
        return e
    k = e + 1
    while k < len(doc) and k - e <= 4 and doc[k].is_title and k not in person_tokens and k not in table.at \
            and k not in marks.place_at and not marks.title[k] and not _opens_title(doc, marks, k):
        k += 1
    return k if k > e + 1 else e


def _opens_title(doc: Doc, marks: Marks, k: int) -> bool:
    """ "Foreign Minister": a modifier that a title word follows."""
    return doc[k].lower_ in marks.gaz.title_modifiers and k + 1 < len(doc) and (
        marks.title[k + 1] or doc[k + 1].lower_ in marks.gaz.title_modifiers)


def _merge_contained(table: OrgTable) -> None:
    """ "the Working Group" after "the Working Group on Resettlement" is the same body."""
    found = [(k, set(k[2:].split())) for k, e in table.entries.items() if k.startswith("n:") and e.spans]
    for key, words in found:
        if len(words) < 2 or not table.entries[key].spans:
            continue
        longer = [k for k, w in found if k != key and words < w and table.entries[k].spans]
        if len(longer) == 1:
            _merge(table, key, longer[0])


def _has_head(span: Span) -> bool:
    return any(t.lower_ in lexicon(span.doc).org_heads and t.is_title for t in span)


def _grow_body(doc: Doc, marks: Marks, head: int) -> tuple[int, int]:
    """The capitalised body around an organisation word: "U.S. Embassy Tokyo", "Institute of Migration"."""
    s = head
    while s > 0 and s - head < 4 and (doc[s - 1].is_title or doc[s - 1].i in marks.place_at) \
            and not marks.title[s - 1] and not doc[s - 1].is_sent_start:
        s -= 1
    if s > 0 and doc[s - 1].text in ("U.S.", "US"):
        s -= 1
    e = head + 1
    while e < len(doc):
        t = doc[e]
        nxt = doc[e + 1] if e + 1 < len(doc) else None
        if t.is_title and not marks.title[e]:
            e += 1
        elif t.lower_ in lexicon(doc).fw("in") and doc[head].lower_ in lexicon(doc).located_body_heads \
                and e + 1 in marks.place_at and not marks.place_at[e + 1].demonym:
            e = marks.place_at[e + 1].end  # "the UN Mission in Colombia", "Embajada de Colombia en Panamá"
        elif t.text == "-" and not t.whitespace_ and not doc[e - 1].whitespace_ and nxt is not None and nxt.is_title:
            e += 2
        elif t.lower_ in lexicon(doc).fw("of", "for", "on", "and") and nxt is not None and (nxt.is_title or nxt.lower_ in lexicon(doc).fw("the")):
            e += 2 if nxt.lower_ not in lexicon(doc).fw("the") else 3
            if e > len(doc) or not doc[e - 1].is_title:
                e = t.i
                break
        else:
            break
    return s, e


def _trim(doc: Doc, s: int, e: int) -> tuple[int, int]:
    while s < e and (doc[s].lower_ in lexicon(doc).determiners or doc[s].is_punct):
        s += 1
    for i in range(s, e):
        if doc[i].text == "(" or "\n" in doc[i].text or i > s and "\n" in doc[i - 1].whitespace_:
            e = i
            break
    while e > s and (doc[e - 1].is_punct or doc[e - 1].lower_ in lexicon(doc).fw("’s", "'s", "s", "of", "for", "and", "the", "on")):
        e -= 1
    return s, e


def _add_candidate(doc: Doc, marks: Marks, table: OrgTable, s: int, e: int, person_tokens: set[int]) -> None:
    s, e = _trim(doc, s, e)
    owner = marks.place_at.get(s)
    if owner is not None and owner.start == s and owner.end + 1 < e and doc[owner.end].text in ("’s", "'s"):
        s = owner.end + 1  # "Japan’s National Security Secretariat" is the National Security Secretariat (JPN)
    else:
        owner = None
    while s > 0 and (s - 1) in marks.place_at and doc[s - 1].whitespace_ != "" and doc[s].is_title:
        s -= 1  # "U.S. Embassy Timor-Leste" where spaCy saw only "Embassy Timor-Leste"
    if e <= s or s in person_tokens or any(i in table.at for i in range(s, e)):
        return
    span = doc[s:e]
    if any(i in person_tokens for i in range(s, e)) and not _has_head(doc[s:min(person_tokens & set(range(s, e)))]):
        return  # "Spokesperson Ned Price", "Honorable Paloma Adams-Allen"
    if not _acceptable(doc, marks, span):
        return
    key = "n:" + " ".join(t.lower_ for t in span)
    if key not in table.entries:
        country = _country(marks, span) or (owner.country if owner else None)
        table.entries[key] = OrgEntry(key, span.text, country, _kind(span))
    table.add(key, s, e, span.text)


def _acceptable(doc: Doc, marks: Marks, span: Span) -> bool:
    words = [t for t in span if not t.is_punct]
    if not words or not span[0].text[0].isupper():
        return False
    if span.text.lower() in marks.gaz.not_bodies:
        return False  # "White House", "Indo-Pacific": a building, a region
    if any(t.lower_ in lexicon(doc).not_body_words or marks.honorific[t.i] for t in span):
        return False  # events, relationships and documents are not bodies
    if any("-" in t.text and any(marks.gaz.country_of(p) for p in t.text.split("-")) for t in span) or any(
            t.text == "-" and (t.i - 1) in marks.place_at and t.i not in marks.place_at for t in span):
        return False  # "U.S.-Philippine Alliance": a relationship
    if any(t.lower_ in lexicon(doc).government_words for t in span):
        return False  # "the Government of Mexico", "the Biden-Harris Administration" are states
    if all(t.i in marks.place_at or t.lower_ in lexicon(doc).fw("the", "of", "republic", "kingdom") for t in span):
        return False
    if marks.title[span[-1].i] or all(marks.title[t.i] or t.lower_ in marks.gaz.title_modifiers for t in words):
        return False  # "Advisor", "Senior Migration Advisor"
    if marks.title[words[0].i] and not _has_head(span[:1]):
        return False  # "Secretario de Gobernación": an office, named by its title
    has_head = _has_head(span)
    acronym = len(words) == 1 and _looks_acronym(words[0].text)
    if acronym and _shouted_word(marks, words[0]):
        return False  # "EMBAJADA DE CUBA EN CANADÁ", "SE REUNIÓ": words in capitals, not acronyms
    if len(words) == 1 and not (acronym and len(words[0]) >= 3):
        return False  # "Alliance", "Customs": a lone capitalised word; "TX", "ED": too short to tell
    if len(words) >= 2 and not has_head:
        return False  # "Build Back Better World", "Call to Action": programmes and slogans
    in_title = _inside_title(doc, marks, span.start)
    if in_title and any(t.lower_ in lexicon(doc).sub_unit_heads for t in span):
        return False  # "head of the North America Unit": part of the title
    if not has_head and not acronym and in_title:
        return False  # "Director for Regional Protection"
    # "Special Assistant to the President for Economic Agency Personnel": a title, not a body
    return not (in_title and span[-1].lower_ not in lexicon(doc).org_heads and not any(t.lower_ in lexicon(doc).fw("of", "for", "on") for t in span))


def _inside_title(doc: Doc, marks: Marks, start: int) -> bool:
    """Is this body the object of a title ("head of the ...", "Director for X and ...")?"""
    i = start - 1
    linked = False
    while i >= 0 and start - i <= 8:
        t = doc[i]
        if marks.title[i]:
            return linked
        if t.lower_ in lexicon(doc).fw("of", "for") or t.text == "," and i > 0 and marks.title[i - 1]:
            linked = True
        elif not (t.is_title or t.lower_ in lexicon(doc).fw("the", "and", ",")):
            return False
        i -= 1
    return False


def _country(marks: Marks, span: Span) -> str | None:
    for t in span:
        place = marks.place_at.get(t.i)
        if place:
            if t.i > span.start and span.doc[t.i - 1].lower_ in lexicon(span.doc).fw("in"):
                return None  # "the UN Mission in Colombia" works in Colombia; it is not Colombia's
            return place.country
    return None


def _kind(span: Span) -> str:
    kind_by_head = lexicon(span.doc).kind_by_head
    heads = [t.lower_ for t in span if t.lower_ in kind_by_head]
    return kind_by_head[heads[-1]] if heads else "other"


def _link_acronyms(doc: Doc, table: OrgTable) -> None:
    """"Long Form (ACR" defines ACR for the long form; ACR elsewhere is a mention of it."""
    by_acronym: dict[str, str] = {e.acronym: k for k, e in table.entries.items() if e.acronym and e.spans}
    for key, entry in list(table.entries.items()):
        for s, e in list(entry.spans):
            if e + 2 < len(doc) and doc[e].text == "(" and _looks_acronym(doc[e + 1].text) \
                    and doc[e + 2].text in (")", ","):
                acr = doc[e + 1].text
                if not _initials_fit(acr, doc[s:e]):
                    continue
                owner = table.at.get(e + 1)
                if owner is not None and owner != key:
                    _merge(table, owner, key)
                entry.acronym = acr
                by_acronym[acr] = key
                table.add(key, e + 1, e + 2, acr)
    if not by_acronym:
        return
    for key, entry in list(table.entries.items()):
        target = by_acronym.get(entry.name)
        if target is not None and target != key and entry.spans:
            _merge(table, key, target)  # "(DoS)" seen on its own before "Department of State (DoS"
    for i, word in enumerate(words_of(doc)):
        found = by_acronym.get(word)
        if found is not None and i not in table.at:
            table.add(found, i, i + 1, word)


def _shouted_word(marks: Marks, tok: Token) -> bool:
    """An ordinary word written in capitals: a country, city or demonym, a body's head noun, a title, a verb."""
    word = tok.text[:1] + tok.text[1:].lower()
    return bool(marks.gaz.country_of(word) or word in marks.gaz.cities or tok.lower_ in lexicon(tok.doc).org_heads
                or tok.lower_ in marks.gaz.title_words or tok.pos_ in ("VERB", "AUX"))


def _looks_acronym(text: str) -> bool:
    return 2 <= len(text) <= 10 and text[0].isupper() and sum(c.isupper() for c in text) >= 2 and text.isalpha()


def _initials_fit(acronym: str, span: Span) -> bool:
    """The acronym's capitals appear, in order, among the initials of the long form; or it is built
    from word beginnings ("SOUTHCOM"); or a Spanish/French acronym uses the same initials reordered
    ("INM" for National Institute of Migration)."""
    initials = [t.text[0].upper() for t in span if t.text[:1].isupper()]
    letters = [c for c in acronym if c.isupper()]
    if _from_prefixes(acronym.lower(), [t.text.lower().replace(".", "") for t in span if t.text[:1].isalnum()]):
        return True
    if not initials or letters[0] != initials[0]:
        return len(initials) >= 3 and all(letters.count(c) <= initials.count(c) for c in set(letters))
    k = 0
    for c in letters:
        while k < len(initials) and initials[k] != c:
            k += 1
        if k == len(initials):
            return False
        k += 1
    return True


def _from_prefixes(acronym: str, words: list[str]) -> bool:
    """Is the acronym a run of word beginnings, in order, of the long form ("south"+"com")?"""
    @cache
    def fits(i: int, j: int) -> bool:
        if i == len(acronym):
            return True
        if j == len(words):
            return False
        w = words[j]
        return any(fits(i + k, j + 1) for k in range(len(w), 0, -1) if acronym.startswith(w[:k], i)) \
            or fits(i, j + 1)
    return len(acronym) >= 4 and fits(0, 0)


def _merge(table: OrgTable, source: str, target: str) -> None:
    """Fold one entry into another: an acronym found by the gazetteer defined here for a long form."""
    src, dst = table.entries[source], table.entries[target]
    if src.agency and not dst.agency:
        dst.agency, dst.name, dst.country, dst.kind = src.agency, src.agency.name, src.country, src.kind
    for span in src.spans:
        dst.spans.append(span)
        for i in range(*span):
            table.at[i] = target
    dst.forms.extend(f for f in src.forms if f not in dst.forms)
    src.spans.clear()
