"""Events of Spanish releases: sentences that state an engagement (Matcher patterns in data/es/events.yaml),
their participants (the persons the entity stage found in the sentence, or the release's principal),
date (stated, or the dateline's, or the release's own), place and status.

Spanish releases are short and say one engagement a sentence or two ("El canciller X sostuvo una llamada
telefónica con su homólogo Y"), so the sentence is the unit; mentions of one type whose persons overlap
are one event.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import spacy
import yaml
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from readouts.extract import gazetteer
from readouts.extract.events.lexicon import topic_patterns
from readouts.extract.events.plover import code as plover_code
from readouts.extract.languages import data_file
from readouts.extract.marks import text_of
from readouts.model import Event, Participants, Record

TYPES_IN_ORDER = ("call", "signing", "visit", "meeting")  # a "reunión telefónica" is a call, not a meeting
BILATERAL_TYPES = ("call", "meeting", "signing")  # one named person and the release's principal are the two sides
DATELINE_CHARS = 400


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    return dict(yaml.safe_load(data_file("es", "events.yaml").read_text(encoding="utf-8")))


_MATCHERS: dict[int, tuple[Matcher, PhraseMatcher]] = {}


def _matcher(vocab: Vocab) -> tuple[Matcher, PhraseMatcher]:
    """The trigger patterns of data/es/events.yaml, compiled once per vocabulary. A pattern of words and word
    lists only is matched as the phrases it spells out, which a PhraseMatcher finds several times faster than a
    Matcher tries word lists on every token; any other pattern goes to a Matcher. Every pattern is checked by
    spaCy's Matcher first, so a malformed one fails here."""
    found = _MATCHERS.get(id(vocab))
    if found is None:
        check, matcher, phrases = Matcher(vocab), Matcher(vocab), PhraseMatcher(vocab, attr="LOWER")
        make_doc = spacy.blank("es", vocab=vocab).make_doc
        for kind, patterns in _lexicon()["patterns"].items():
            check.add(kind, patterns)  # raises MatchPatternError
            for pattern in patterns:
                spelled = _spelled_out(pattern)
                if spelled is None:
                    matcher.add(kind, [pattern])
                else:
                    phrases.add(kind, [make_doc(" ".join(words)) for words in spelled])
        found = _MATCHERS[id(vocab)] = (matcher, phrases)
    return found


def _spelled_out(pattern: list[dict[str, Any]]) -> list[tuple[str, ...]] | None:
    """The word sequences a token pattern of exact words and word lists (OP "?" allowed) matches, or None."""
    choices: list[list[str]] = []
    for token in pattern:
        if set(token) - {"LOWER", "OP"} or token.get("OP", "?") != "?":
            return None
        lower = token["LOWER"]
        words = [lower] if isinstance(lower, str) else list(lower["IN"]) if set(lower) == {"IN"} else None
        if words is None:
            return None
        choices.append(words + ([""] if "OP" in token else []))
    return [tuple(w for w in combo if w) for combo in itertools.product(*choices)]


def _matches(doc: Doc) -> list[tuple[int, int, int]]:
    matcher, phrases = _matcher(doc.vocab)
    return list(phrases(doc)) + (list(matcher(doc)) if len(matcher) else [])  # type: ignore[arg-type]


@dataclass
class Mention:
    type: str
    sent: Span
    persons: list[str]
    countries: list[str]
    status: str
    date: str | None
    place: str | None
    place_country: str | None = None
    anaphoric: bool = False  # "la reunión", "este encuentro": the event last told of
    stated_date: bool = False  # the sentence itself dates it ("El 6 de marzo, ... se reunió también con")


@dataclass
class Draft:
    type: str
    status: str
    persons: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    date: str | None = None
    place: str | None = None
    place_country: str | None = None
    sents: list[Span] = field(default_factory=list)
    delegations: list[str] = field(default_factory=list)


def fill(record: Record, doc: Doc) -> None:
    lex = _lexicon()
    dateline_date, dateline_place = _dateline(text_of(doc)[:DATELINE_CHARS], lex)
    base = record.document.date or dateline_date
    person_at = _person_spans(record)
    principal = _principal(record)
    hits: dict[int, tuple[str, int]] = {}  # sentence start -> (type, trigger token)
    for match_id, s, _ in _matches(doc):
        kind = doc.vocab.strings[match_id]
        first = doc[s].sent.start
        if first not in hits or TYPES_IN_ORDER.index(kind) < TYPES_IN_ORDER.index(hits[first][0]):
            hits[first] = (kind, s)
    mentions: list[Mention] = []
    for start, (kind, trigger) in sorted(hits.items()):
        sent = doc[start].sent
        persons = [p for p, spans in person_at.items() if any(sent.start_char <= a < sent.end_char for a, _ in spans)]
        if principal is not None and principal not in persons and (
                not persons or len(persons) == 1 and kind in BILATERAL_TYPES):
            # "Durante la reunión, ambos ...", "La primera conversación telefónica fue con el jeque X": the
            # release's own principal is the other side
            persons = [principal, *persons]
        countries = [] if persons else _countries(doc, sent)
        if not persons and not countries:
            continue
        status = "planned" if _planned(sent, lex) else "happened"
        stated = _date(sent.text, base, lex, forward=status == "planned")
        date = stated or (dateline_date if status == "happened" else None) \
            or (record.document.date if status == "happened" else None)
        place, place_country = _place(doc, sent, kind, lex)
        anaphoric = trigger > 0 and doc[trigger - 1].lower_ in lex["anaphoric_determiners"]
        mentions.append(Mention(kind, sent, persons, countries, status, date, place, place_country, anaphoric,
                                stated_date=stated is not None))
    drafts = _merge(mentions, principal)
    _places_from_context(drafts, dateline_place)
    _delegations(drafts, record)
    record.events = [_event(n + 1, d, record) for n, d in enumerate(drafts)]


def _person_spans(record: Record) -> dict[str, list[tuple[int, int]]]:
    return {p.id: [(int(a), int(b)) for a, b in p.mentions] for p in record.persons}  # type: ignore[attr-defined]


def _principal(record: Record) -> str | None:
    """The first person the release names: the one its sentences with no named subject are about."""
    first = min(((min(int(a) for a, _ in p.mentions), p.id) for p in record.persons if p.mentions),  # type: ignore[attr-defined]
                default=None)
    return first[1] if first else None


def _countries(doc: Doc, sent: Span) -> list[str]:
    gaz = gazetteer.load("es")
    found: list[str] = []
    for tok in sent:
        code = gaz.countries.get(tok.text) or gaz.demonyms.get(tok.text)
        if code and code not in found:
            found.append(code)
    return found


def _planned(sent: Span, lex: dict[str, Any]) -> bool:
    words = set(lex["planned_words"])
    return any(t.lower_ in words or "Tense=Fut" in str(t.morph) for t in sent)


def _date(text: str, base: str | None, lex: dict[str, Any], *, forward: bool = False) -> str | None:
    """ "12 de julio de 2021", "el 12 de julio", "hoy", "ayer", "el pasado martes", "este lunes", "el viernes
    16"; a weekday is the one before the release's date, or after it for what is planned (``forward``)."""
    months = lex["months"]
    low = text.lower()
    m = re.search(r"\b(\d{1,2})\s+de\s+(" + "|".join(months) + r")(?:\s+(?:de|del)\s+(\d{4}))?", low)
    if m:
        year = int(m.group(3)) if m.group(3) else (int(base[:4]) if base else None)
        if year is None:
            return None
        try:
            return dt.date(year, months[m.group(2)], int(m.group(1))).isoformat()
        except ValueError:
            return None
    if base is None or len(base) < 10:
        return None
    try:
        day = dt.date.fromisoformat(base[:10])
    except ValueError:
        return None
    for word, offset in lex["relative_days"].items():
        if re.search(rf"\b{word}\b", low):
            return (day + dt.timedelta(days=offset)).isoformat()
    # "mañana" is tomorrow, except as the morning ("esta mañana", "de la mañana", "por la mañana")
    if re.search(r"(?<!\bla )(?<!\besta )(?<!\besa )(?<!\bpasado )\bmañana\b", low):
        return (day + dt.timedelta(days=1)).isoformat()
    for word, weekday in lex["weekdays"].items():
        if m := re.search(rf"\b{word}\s+(\d{{1,2}})\b", low):  # "el viernes 16": the 16th, on or after the base
            month = day.replace(day=1)
            for _ in range(2):
                try:
                    found = month.replace(day=int(m.group(1)))
                except ValueError:
                    break
                if found >= day - dt.timedelta(days=7 if not forward else 0):
                    return found.isoformat()
                month = (month + dt.timedelta(days=32)).replace(day=1)
        if m := re.search(rf"\b(el\s+pasado|pasado|este|el|próximo|el\s+próximo)\s+{word}\b", low):
            ahead = forward or "próximo" in m.group(1)
            if ahead:
                return (day + dt.timedelta(days=(weekday - day.weekday()) % 7 or 7)).isoformat()
            return (day - dt.timedelta(days=(day.weekday() - weekday) % 7)).isoformat()
    return None


def _dateline(head: str, lex: dict[str, Any]) -> tuple[str | None, str | None]:
    """ "Asunción, 12 de marzo de 2021" at the top of a release: its date and place."""
    months = "|".join(lex["months"])
    m = re.search(rf"^[ \t]*([A-ZÁÉÍÓÚÑ][\wáéíóúñ. ]{{1,40}}?),\s+(\d{{1,2}})\s+de\s+({months})\s+de\s+(\d{{4}})",
                  head, re.MULTILINE | re.IGNORECASE)
    if not m:
        return None, None
    try:
        day = dt.date(int(m.group(4)), lex["months"][m.group(3).lower()], int(m.group(2)))
    except ValueError:
        return None, m.group(1).strip()
    return day.isoformat(), m.group(1).strip()


def _place(doc: Doc, sent: Span, kind: str, lex: dict[str, Any]) -> tuple[str | None, str | None]:
    """The city, country or venue the sentence puts the event in ("en Asunción", "en el Palacio de San
    Carlos"); a visit's destination ("visita oficial a Panamá")."""
    gaz = gazetteer.load("es")
    preps = set(lex["place_prepositions"]) | (set(lex["destination_prepositions"]) if kind == "visit" else set())
    venues = set(lex["venue_heads"])
    for i in range(sent.start, sent.end - 1):
        if doc[i].lower_ not in preps:
            continue
        j = i + 1
        if doc[j].lower_ in ("el", "la", "los", "las") and j + 1 < sent.end:
            j += 1
        k = j
        while k < sent.end and (doc[k].is_title or doc[k].text[:1].isupper()
                                or doc[k].lower_ in ("de", "del", "la", "las", "los") and k + 1 < sent.end
                                and doc[k + 1].text[:1].isupper()):
            k += 1
        if k == j:
            continue
        name = doc[j:k].text
        code = gaz.cities.get(name) or gaz.countries.get(name)
        if code is not None:
            return name, code
        if doc[j].lower_ in venues:
            return name, None
    return None, None


def _places_from_context(drafts: list[Draft], dateline_place: str | None) -> None:
    """A meeting or signing that states no place happened where the release's visit went ("En el marco de
    su visita oficial a Portugal, ... se reunió con"), or else at the dateline; a call has no place."""
    visit = next((d for d in drafts if d.type == "visit" and d.place), None)
    for d in drafts:
        if d.place is None and d.type != "call" and d is not visit:
            if visit is not None:  # what is done or planned on a trip is done where the trip goes
                d.place, d.place_country = visit.place, visit.place_country
            elif d.status == "happened":
                d.place = dateline_place


def _delegations(drafts: list[Draft], record: Record) -> None:
    """A delegation presented in the sentence that states the event takes part in it ("sostendrá un encuentro
    con una delegación ..., encabezada por X")."""
    for d in drafts:
        for g in record.delegations:
            if any(a < s.end_char and s.start_char < b for a, b in g.evidence for s in d.sents):
                d.delegations.append(g.id)


def _merge(mentions: list[Mention], principal: str | None) -> list[Draft]:
    """Mentions of one type are one event when they share a person other than the release's principal
    (who takes part in all of a round of calls), or when one refers back ("la reunión")."""
    drafts: list[Draft] = []
    for m in mentions:
        others = set(m.persons) - {principal}
        # "Esta reunión fue presidida por X" goes on telling of the last meeting; but "La primera conversación
        # telefónica fue con X" opens one of a round of calls
        refers_back = m.anaphoric and (m.type != "call" or not others - {p for d in drafts for p in d.persons})
        same = next((d for d in reversed(drafts) if d.type == m.type), None) if refers_back else None
        same = same or next((d for d in drafts if d.type == m.type and d.status == m.status and (
            (set(d.persons) - {principal}) & others or set(d.persons) == set(m.persons)
            or set(d.countries) & set(m.countries)) and not (m.stated_date and d.date and d.date != m.date)), None)
        if same is None:
            same = Draft(type=m.type, status=m.status)
            drafts.append(same)
        same.persons += [p for p in m.persons if p not in same.persons]
        same.countries += [c for c in m.countries if c not in same.countries]
        same.date = same.date or m.date
        if same.place is None and m.place is not None:
            same.place, same.place_country = m.place, m.place_country
        same.sents.append(m.sent)
    return _principal_only_joined(drafts, principal)


def _principal_only_joined(drafts: list[Draft], principal: str | None) -> list[Draft]:
    """A mention that names no one but the release's principal ("El viceministro sostuvo una reunión") is
    the event of the same type that names the other side, when there is one."""
    out: list[Draft] = []
    for d in drafts:
        alone = set(d.persons) <= {principal} and not d.countries and not d.delegations
        other = next((o for o in drafts if o is not d and o.type == d.type and o.status == d.status
                      and set(o.persons) - {principal}), None) if alone else None
        if other is None:
            out.append(d)
            continue
        other.sents = sorted([*other.sents, *d.sents], key=lambda x: x.start)
        other.date = other.date or d.date
        if other.place is None:
            other.place, other.place_country = d.place, d.place_country
    return out


def _event(n: int, d: Draft, record: Record) -> Event:
    topics: list[str] = []
    for sent in d.sents:
        text = sent.text  # rebuilt from the tokens on every access
        for label, rx in topic_patterns("es"):
            if label not in topics and rx.search(text):
                topics.append(label)
    ev = Event(id=f"e{n}", type=d.type, status=d.status, date=d.date, location=d.place,  # type: ignore[arg-type]
               participants=Participants(persons=d.persons, delegations=d.delegations, countries=d.countries), topics=topics,
               evidence=[(s.start_char, s.end_char) for s in d.sents])
    ev.plover = plover_code(ev, record, place_country=d.place_country, multilateral=len(d.persons) > 2)
    return ev
