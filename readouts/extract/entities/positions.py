"""Titles around a person's name, split into title, organization and country.

Three places hold a title: right before the name ("Mexican Foreign Secretary Marcelo Ebrard"),
in an apposition after it ("Katie Tobin, Advisor to the President and Senior Director of the
National Security Council (NSC);") and in one before it ("the commissioner of the National
Institute of Migration (INM), Francisco Garduño Yáñez"). The phrase then gives up its country
adjective, the organization it names at either end, and what is left is the title as stated.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from readouts.extract.entities.organizations import OrgTable
from readouts.extract.entities.persons import Mention
from readouts.extract.gazetteer import lexicon
from readouts.extract.marks import Marks

MAX_TITLE_TOKENS = 22
STOP_POS = frozenset({"VERB", "AUX", "PRON", "SCONJ", "ADV", "NUM", "INTJ", "SYM"})
BREAKS = frozenset({";", ":", "(", ")", "\n", "—", "–", '"', "“", "”"})


@dataclass
class Found:
    title: str
    org: str | None
    country: str | None
    evidence: list[tuple[int, int]] = field(default_factory=list)  # character spans stating the title


def titles_for(doc: Doc, marks: Marks, orgs: OrgTable, m: Mention, person_at: dict[int, int]) -> list[Found]:
    around = {i: span for i in range(max(0, m.start - MAX_TITLE_TOKENS), m.start)
              if (span := orgs.span_at(i)) is not None}
    phrases = [_before(doc, marks, m.start, person_at, around), _after(doc, marks, orgs, m.end, person_at),
               _apposed_before(doc, marks, m.start, person_at)]
    out = []
    for k, p in enumerate(phrases):
        for part in _offices(doc, marks, p) if p is not None else ():
            found = _split(doc, marks, orgs, *part)
            if found is not None:
                if k == 0:
                    _named_in_front(doc, marks, orgs, m.end, part[0], found)
                elif k == 2 and found.org is None:
                    found.org = _body_led(doc, orgs, part[0])  # "..., which is led by the Special Representative, X"
                out.extend(split_joined(doc, marks, found))
    return out


def _named_in_front(doc: Doc, marks: Marks, orgs: OrgTable, end: int, start: int, found: Found) -> None:
    """A title said before the name may take its body from after the name ("Director Kari Johnstone of
    the Office …") or from an acronym in parentheses just before it ("UN World Food Program (WFP)
    Executive Director David Beasley"), and its state from the name the acronym stands after
    ("Republic of Korea (ROK) First Vice Foreign Minister Cho Hyun-dong")."""
    if found.org is None:
        _body_after_name(doc, orgs, end, found)
    if found.org is None:
        found.org = _body_led(doc, orgs, start)
    inner = _acronym_closed_at(doc, start - 1)
    if inner is None:
        return
    if found.org is None:
        found.org = orgs.at.get(inner)
    place = marks.place_at.get(inner - 2)
    if found.country is None and place is not None:
        found.country = place.country


def _body_led(doc: Doc, orgs: OrgTable, start: int) -> str | None:
    """ "the UN Mission in Colombia, which is led by the Special Representative ..., Jean Arnault": the body a
    title is said to lead, named right before "led by" (data/<lang>/words.yaml led_by)."""
    i = start - 1
    while i >= 0 and doc[i].lower_ in lexicon(doc).fw("the"):
        i -= 1
    for phrase in lexicon(doc).led_by:
        words = phrase.split()
        k = i - len(words) + 1
        if k < 1 or [t.lower_ for t in doc[k:i + 1]] != words:
            continue
        j = k - 1
        while j >= 0 and (doc[j].lower_ in lexicon(doc).relative_words or doc[j].text == ","):
            j -= 1  # ", which is", ", que es"
        span = orgs.span_at(j) if j >= 0 else None
        return orgs.at[span[0]] if span is not None and span[1] == j + 1 else None
    return None


def _acronym_closed_at(doc: Doc, close: int) -> int | None:
    """The one token inside "( … )" when ``close`` is that ")": an acronym after the name it abbreviates."""
    if close >= 2 and doc[close].text == ")" and doc[close - 2].text == "(":
        return close - 1
    return None


def _offices(doc: Doc, marks: Marks, phrase: tuple[int, int]) -> list[tuple[int, int]]:
    """ "Under Secretary for Nuclear Security of the U.S. Department of Energy and Administrator of the
    National Nuclear Security Administration": an office that ends with its body, "and", another office."""
    s, e = phrase
    for k in range(s + 2, e - 1):
        if doc[k].lower_ in lexicon(doc).fw("and") and (k - 1) in marks.org_tokens and marks.title[k + 1] \
                and any(marks.title[j] for j in range(s, k - 1)):
            return [(s, k), *_offices(doc, marks, (k + 1, e))]
    return [phrase]


def _body_after_name(doc: Doc, orgs: OrgTable, end: int, found: Found) -> None:
    """ "Acting Director Kari Johnstone of the Office to Monitor and Combat Trafficking in Persons",
    "Special Advisor Judd Devermont from the National Security Council": the title's body."""
    i = end
    if i + 1 >= len(doc) or doc[i].lower_ not in lexicon(doc).fw("of", "from"):
        return
    i += 2 if doc[i + 1].lower_ in lexicon(doc).fw("the") else 1
    span = orgs.span_at(i)
    if span is not None and span[0] == i:
        found.org = orgs.at[i]
        last = doc[span[1] - 1]
        found.evidence = [(s, max(e, last.idx + len(last))) for s, e in found.evidence]


def country_after(doc: Doc, marks: Marks, end: int) -> str | None:
    """ "President Emmanuel Macron of France": the post-modifier names the country."""
    i = end
    if i < len(doc) and doc[i].lower_ in lexicon(doc).fw("of"):
        i += 1
        if i < len(doc) and doc[i].lower_ in lexicon(doc).fw("the"):
            i += 1
        place = marks.place_at.get(i)
        if place is not None and not place.demonym:
            return place.country
    return None


def _allowed(doc: Doc, marks: Marks, i: int, person_at: dict[int, int], loose: bool = False) -> bool:
    """May token i stand inside a title? ``loose`` also lets lower-case nouns in (appositions)."""
    t = doc[i]
    if i in person_at or t.text in BREAKS or "\n" in t.text:
        return False
    if t.lower_ in lexicon(doc).loose_ok or t.text == "." and i > 0 and doc[i - 1].lower_ == "a.i":
        return True
    if loose and t.is_lower and t.pos_ in ("NOUN", "ADJ"):
        return True
    if marks.title[i] or marks.honorific[i] or i in marks.place_at or i in marks.org_tokens:
        return True
    if t.is_punct:
        return t.text in ("-", "’s", "'s", "’")
    if t.lower_ in lexicon(doc).connectors or t.lower_ in lexicon(doc).fw("’s", "'s"):
        return True
    if t.lower_ in lexicon(doc).fw("with") and 0 < i < len(doc) - 1:  # "Secretary for Relations with States", not "in Washington with"
        return doc[i - 1].is_title and doc[i + 1].is_title and (i - 1) not in marks.place_at \
            and (i - 1) not in marks.city_at
    if t.is_lower:
        return t.lower_ in marks.gaz.title_modifiers or t.lower_ in lexicon(doc).fw("incoming", "outgoing", "former", "acting")
    return t.pos_ not in STOP_POS and t.pos_ != "ADP" and t.pos_ != "DET"


def _before(doc: Doc, marks: Marks, start: int, person_at: dict[int, int],
            orgs_around: dict[int, tuple[int, int]]) -> tuple[int, int] | None:
    e = start
    while e > 0 and marks.honorific[e - 1]:
        e -= 1
    s = e
    while s > 0 and e - s < MAX_TITLE_TOKENS:
        if (opened := _acronym_in_parens(doc, marks, s - 1)) is not None:
            s = opened  # "Administrator of the National Nuclear Security Administration (NNSA) Jill Hruby"
            continue
        if not (_allowed(doc, marks, s - 1, person_at) or _enumerated(doc, marks, s - 1, person_at)):
            break
        prev = doc[s - 1]
        posted = prev.lower_ in lexicon(doc).posted_to and (s - 2) in marks.place_at  # "de Colombia en Indonesia"
        if prev.lower_ in lexicon(doc).fw("and") and s >= 2 and (s - 1) not in marks.org_tokens and (
                (s - 2) in person_at or (s - 2) in marks.org_tokens and not marks.title[s]) \
                or prev.lower_ in lexicon(doc).fw("in", "at") and not posted:
            break  # "... from the National Security Council and U.S. Air Force Major General X"
        span = orgs_around.get(s - 1)
        if span is not None and span[1] >= start and (span[1] > start or any(marks.title[j] for j in range(*span))):
            break  # "Office of Vice President Harris": the title belongs to the body, not the person
        s -= 1
    e = _before_rank(doc, marks, s, e)
    return _tidy(doc, marks, s, e)


def _acronym_in_parens(doc: Doc, marks: Marks, close: int) -> int | None:
    """Where "(" opens, if ``close`` is the ")" of a body's acronym written right after a title's body
    ("Administrator of the National Nuclear Security Administration (NNSA)"); a body standing in front
    of the title ("Bureau of Population, Refugees, and Migration (PRM) Senior Bureau Official") is not."""
    inner = _acronym_closed_at(doc, close)
    if inner is None or inner < 2:
        return None
    opened = inner - 1

    def named(i: int) -> bool:  # a body or a state ("for the Democratic People’s Republic of Korea (DPRK)")
        return i in marks.org_tokens or i in marks.place_at

    if not named(inner) or not named(opened - 1):
        return None
    start = opened - 1
    while start > 0 and named(start - 1):
        start -= 1
    if start > 0 and doc[start - 1].lower_ in lexicon(doc).fw("the"):
        start -= 1
    linked = start > 1 and doc[start - 1].lower_ in lexicon(doc).fw("of", "for") and marks.title[start - 2]
    return opened if linked else None


def _before_rank(doc: Doc, marks: Marks, s: int, e: int) -> int:
    """ "Secretary of State Cardinal Pietro Parolin": the rank goes, the office stays."""
    for k in range(max(s + 1, e - 2), e):
        if doc[k - 1].text == "-" or f"{doc[k - 1].lower_} {doc[k].lower_}" in marks.gaz.title_heads:
            continue  # "Director-General", "Secretary General": one office, not an office and a rank
        if " ".join(t.lower_ for t in doc[k:e]) in marks.gaz.ranks:
            # the longest rank decides: "Major General" is one rank, not "Major" and a "General";
            # an office must stand before it ("Deputy Ambassador" is one office)
            office = any(marks.title[j] and doc[j].lower_ not in marks.gaz.title_modifiers for j in range(s, k))
            return k if office else e
    return e


def _enumerated(doc: Doc, marks: Marks, i: int, person_at: dict[int, int]) -> bool:
    """A comma inside a title's object: "Under Secretary for Civilian Security, Democracy, and Human Rights"."""
    if doc[i].text != "," or i + 1 >= len(doc) or not (doc[i + 1].is_title or doc[i + 1].lower_ in lexicon(doc).fw("and")):
        return False
    for j in range(i - 1, max(0, i - 9), -1):
        t = doc[j]
        if t.lower_ in lexicon(doc).fw("for", "of"):
            return j > 0 and (marks.title[j - 1] or doc[j - 1].is_title and j - 1 not in person_at)
        if j in person_at or not (t.is_title or t.lower_ in lexicon(doc).fw("and", "the", ",")):
            return False
    return False


def _apposed_before(doc: Doc, marks: Marks, start: int, person_at: dict[int, int]) -> tuple[int, int] | None:
    while start > 0 and marks.honorific[start - 1]:
        start -= 1  # "the Ambassador of Uruguay, Amb. Jorge Delgado": the form of address is not between them
    if start < 2 or doc[start - 1].text != ",":
        return None
    e = start - 1
    s = e
    depth = 0
    while s > 0 and e - s < MAX_TITLE_TOKENS:
        t = doc[s - 1]
        if t.text == ")":
            depth += 1
        elif t.text == "(":
            depth -= 1
        elif depth == 0 and (_opens(doc, s - 1) or not _allowed(doc, marks, s - 1, person_at, True)
                             or t.lower_ in lexicon(doc).fw("and") and s >= 2 and (s - 2) in person_at):
            break
        s -= 1
    if depth != 0 or s == e:
        return None
    lead = doc[s - 1] if s > 0 else None
    opened = lead is None or lead.lower_ in lexicon(doc).apposition_starts or lead.text in (";", ":", "\n", ",") \
        or lead.lower_ in lexicon(doc).fw("and", "with", "by") and doc[s].lower_ in lexicon(doc).apposition_starts \
        or lead.is_sent_end or doc[s].is_sent_start
    if not opened:
        return None
    return _tidy(doc, marks, s, e)


def _opens(doc: Doc, i: int) -> bool:
    """A determiner that opens a noun phrase, not one inside a title ("Ambassador to the United States")."""
    return doc[i].lower_ in lexicon(doc).apposition_starts and not (i > 0 and doc[i - 1].lower_ in lexicon(doc).connectors)


def _after(doc: Doc, marks: Marks, orgs: OrgTable, end: int, person_at: dict[int, int]) -> tuple[int, int] | None:
    n = len(doc)
    if end >= n - 1 or doc[end].text != ",":
        return None
    s = end + 1
    if doc[s].lower_ in lexicon(doc).apposition_starts:
        s += 1
    after_place = marks.place_at[s].end if s in marks.place_at else s  # "…, Republic of Cyprus Foreign Minister"
    if s >= n or not (marks.title[s] or doc[s].lower_ in marks.gaz.title_modifiers
                      or doc[s].is_title and _title_soon(marks, after_place)):
        return None
    e = s
    while e < n and e - s < MAX_TITLE_TOKENS:
        t = doc[e]
        if t.text == "(":
            close = next((j for j in range(e + 1, min(n, e + 12)) if doc[j].text == ")"), None)
            if close is None:
                break
            inner = orgs.at.get(e + 1)
            if inner is not None:
                e = close + 1
            break
        span = orgs.span_at(e)
        if span is not None and span[0] == e:
            e = span[1]  # a body named inside the apposition may hold a name: "Office of Vice President Harris"
            continue
        if t.text == "," and _enumerated(doc, marks, e, person_at):
            e += 1  # "Director of Strategy, Engagement, and Programs, U.S. Africa Command"
            continue
        if t.text == "," and e + 1 < n:
            unit = _sub_unit(doc, e + 1)
            span = orgs.span_at(unit + 1 if unit else e + 1)
            if span is not None and (span[1] >= n or doc[span[1]].text in (",", ";", ".", "(")
                                     or "\n" in doc[span[1]].text or "\n" in doc[span[1] - 1].whitespace_):
                e = span[1]
                continue
            break
        if not _allowed(doc, marks, e, person_at, True):
            break
        if t.text == "." and doc[e - 1].lower_ != "a.i" and (e + 1 >= n or doc[e + 1].is_sent_start):
            break
        e += 1
    if e < n and e in person_at and doc[e - 1].text not in (",", ";"):
        # "Rivlin, Prime Minister Benjamin Netanyahu": the title is the next name's; but in "Phil Chicola, director
        # of Andean Affairs, and Major General Gary Speer" only what follows the last comma is
        comma = next((j for j in range(e - 1, s, -1) if doc[j].text == ","), None)
        if comma is None:
            return None
        e = comma
    return _tidy(doc, marks, s, e)




def _sub_unit(doc: Doc, i: int) -> int | None:
    """ "…, Environment and Natural Resources Division, Department of Justice": the comma after the unit."""
    for j in range(i, min(len(doc) - 1, i + 8)):
        t = doc[j]
        if t.text == ",":
            return j if j > i and doc[j - 1].lower_ in lexicon(doc).sub_unit_words else None
        if not (t.is_title or t.lower_ in lexicon(doc).fw("and", "of", "the", "for", "&")):
            return None
    return None


def _title_soon(marks: Marks, s: int) -> bool:
    return any(marks.title[j] for j in range(s, min(s + 3, len(marks.title))))


def _tidy(doc: Doc, marks: Marks, s: int, e: int) -> tuple[int, int] | None:
    while s < e and (doc[s].lower_ in lexicon(doc).connectors or doc[s].lower_ in lexicon(doc).apposition_starts or doc[s].is_punct):
        s += 1
    while e > s and (doc[e - 1].lower_ in lexicon(doc).connectors or doc[e - 1].text in (",", "-", "’", "’s", "'s")):
        e -= 1
    if e <= s or not any(marks.title[i] for i in range(s, e)):
        return None
    if lexicon(doc).title_opens_with_head:
        # Spanish puts nothing of the office before its head ("el Viceministro de Relaciones Exteriores", "ex
        # canciller"): capitalised words before it belong to the sentence ("en el Marco de la Visita de Trabajo a
        # Santiago del Viceministro ...")
        while s < e and not (marks.title[s] or doc[s].lower_ in marks.gaz.title_modifiers):
            s += 1
    return s, e


def _split(doc: Doc, marks: Marks, orgs: OrgTable, s: int, e: int) -> Found | None:
    country = None
    org = None
    stated_end = e
    # country adjective or name in front: "Mexican", "U.S.", "Japan's" (unless it opens a body's name)
    place = marks.place_at.get(s)
    front = orgs.span_at(s)
    if place is not None and place.start == s and not (front is not None and front[0] == s and front[1] < e):
        country = place.country
        s = place.end
        if s < e and doc[s].text in ("’s", "'s"):
            s += 1
    stated_start = s
    # a body in front: "Department of Foreign Affairs Under Secretary", "the SRE's head of ..."
    span = orgs.span_at(s)
    if span is not None and span[0] == s and span[1] < e:
        org = orgs.at[s]
        s = span[1]
        if s < e and doc[s].text in ("’s", "'s"):
            s += 1
    # a body at the end: "(NSC)", ", National Security Council", "of the Department of State"
    if e - 1 > s and doc[e - 1].text == ")":
        opening = next((j for j in range(e - 2, s, -1) if doc[j].text == "("), None)
        if opening is not None:
            org = org or orgs.at.get(opening + 1)
            e = opening
    for i in range(s + 1, e):
        span = orgs.span_at(i)
        if span is None or span[0] != i or not any(marks.title[k] for k in range(s, i)):
            continue
        j = i
        if doc[j - 1].text in ("’s", "'s") and (j - 2) in marks.place_at:
            j -= 1  # "Secretary General of Japan’s National Security Secretariat"
        if (place := marks.place_at.get(j - 1)) is not None:
            j = place.start  # "of the U.S. Department of Energy", the country said before the body's name
        if doc[j - 1].lower_ in lexicon(doc).fw("the"):
            j -= 1
        if doc[j - 1].lower_ in lexicon(doc).org_links or doc[j - 1].text == ",":
            org = org or orgs.at[i]
            e = j - 1
            break
    # "of France" at the end, but not the state an ambassador is sent to ("Ambassador to the Republic of Korea")
    if e - s > 2 and not any(t.lower_ in lexicon(doc).fw("to") for t in doc[s:e]):
        p = marks.place_at.get(e - 1)
        if p is not None and not p.demonym and p.end == e:
            j = p.start - (1 if doc[p.start - 1].lower_ in lexicon(doc).fw("the") else 0)
            if doc[j - 1].lower_ in lexicon(doc).fw("of"):
                country = country or p.country
                e = j - 1
    # the sending state between the office and the place it is held in: "Embajadora de Panamá en Colombia" is
    # Panama's "Embajadora en Colombia" ("Ambassador of Japan to the United States": Japan's)
    cut = _sending_state(doc, marks, s, e)
    if cut is not None:
        country = country or cut[2]
    # a country adjective after the office, as Spanish puts it: "la Canciller Federal Alemana", "el Ministro de
    # Relaciones Exteriores dominicano" (English never writes an adjective there)
    p = marks.place_at.get(e - 1)
    if p is not None and p.demonym and p.end == e and p.start > s and any(marks.title[i] for i in range(s, p.start)):
        country = country or p.country
        e = p.start
    s, e = _strip_ends(doc, marks, s, e)
    if e <= s or not any(marks.title[i] for i in range(s, e)):
        return None
    first, last = doc[min(s, stated_start)], doc[max(e, stated_end) - 1]
    evidence = [(first.idx, last.idx + len(last))]
    if doc[s:e].text.lower() in lexicon(doc).heads_needing_object and org is not None and e < stated_end:
        e = stated_end  # "the head of the Foreign Ministry": "head" alone states no office
        while e > s and doc[e - 1].text in (",", ")") or doc[e - 1].text == "(":
            e -= 1
    if cut is not None and s < cut[0] and cut[1] < e:
        title = _as_title(doc, s, cut[0]) + " " + doc[cut[1]:e].text
        return Found(title, org, country, evidence)
    return Found(_as_title(doc, s, e), org, country, evidence)


def _sending_state(doc: Doc, marks: Marks, s: int, e: int) -> tuple[int, int, str] | None:
    """Where "of <country>" stands between an office and the place it is held in ("Embajador de la República
    Oriental del Uruguay en México"): the tokens to leave out of the title, and the country."""
    for j in range(s + 2, e - 1):
        p = marks.place_at.get(j)
        if p is None or p.demonym or p.start != j or p.end >= e:
            continue
        k = j - 1 - (doc[j - 1].lower_ in lexicon(doc).fw("the"))
        if k > s and doc[k].lower_ in lexicon(doc).fw("of") and marks.title[k - 1] \
                and doc[p.end].lower_ in lexicon(doc).posted_to:
            return k, p.end, p.country
        return None
    return None




def _as_title(doc: Doc, s: int, e: int) -> str:
    """A title stated in lower case ("the legal consultant") is given capitalised, as titles are."""
    text = doc[s:e].text
    if not doc[s].is_lower:
        return text
    return "".join((t.text if t.lower_ in lexicon(doc).connectors or not t.is_lower else t.text[:1].upper() + t.text[1:])
                   + t.whitespace_
                   for t in doc[s:e]).strip()


def split_joined(doc: Doc, marks: Marks, found: Found) -> list[Found]:
    """ "Under Secretary for Civilian Security, Democracy, and Human Rights and U.S. Special Coordinator
    for Tibetan Issues": two offices joined by "and", each with its own object, become two titles;
    "Special Assistant to the President and Senior Director" (one White House office) stays one."""
    left, sep, right = found.title.rpartition(" and ")
    right = right.removeprefix("U.S. ")
    if not sep or not right[:1].isupper():
        return [found]
    words = right.lower().split()
    head = next((k for k in range(len(words)) if " ".join(words[:k + 1]) in marks.gaz.title_heads
                 or words[k] in marks.gaz.title_heads), None)
    objects = all(f" {w} " in f" {x} " for x, w in ((left, "for"), (right, "for")))
    if head is None or head > 2 or not objects:
        return [found]
    return [Found(left, None, found.country, list(found.evidence)),
            Found(right, found.org, found.country, list(found.evidence))]


def _strip_ends(doc: Doc, marks: Marks, s: int, e: int) -> tuple[int, int]:
    while s < e and (doc[s].lower_ in lexicon(doc).connectors or doc[s].is_punct or marks.honorific[s]):
        s += 1
    while e > s and (doc[e - 1].lower_ in lexicon(doc).connectors or doc[e - 1].text in (",", "-", "’", "’s", "'s", "(")):
        e -= 1
    return s, e
