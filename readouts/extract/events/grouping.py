"""Which event a mention belongs to: one occurrence told in several sentences is one event; a trip to three
cities is three visits."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span

from readouts.extract.events import dates, header, places
from readouts.extract.events.drafts import ELABORATION_REACH, Draft, Index, Parties
from readouts.extract.events.lexicon import Triggers, country_code, triggers
from readouts.extract.events.mentions import GROUP, Mention
from readouts.extract.events.places import Place
from readouts.extract.events.sentences import BLANK_LINE
from readouts.extract.events.when_where import destinations, event_date, event_place
from readouts.model import Record


def antecedent(m: Mention, parties: Parties, drafts: list[Draft], main: Draft | None) -> Draft | None:
    """ "At the meeting, …", "Participants in the call included …": the event already recorded."""
    if m.anchored and m.anchor is not m.trigger and not m.definite:
        return None
    if not m.definite or m.trigger.pos_ == "VERB":
        return None
    if parties.named() and not _points_back(m):
        return None
    for d in reversed(drafts):
        if d.type == m.type or (GROUP[d.type] == GROUP[m.type] and d is main):
            return d
    return None


def _points_back(m: Mention) -> bool:
    """The noun phrase itself names no one: its parties come from the clause around it. "The ninth
    meeting of the Turkish-Dutch Wittenburg Conference" names an occurrence of its own (an ordinal, or
    a named gathering it is a meeting of), however definite."""
    kids = list(m.trigger.children)
    if any(c.ent_type_ == "ORDINAL" for c in kids):
        return False
    if any(c.dep_ == "prep" and c.lower_ == "of" and any(g.pos_ == "PROPN" for g in c.children) for c in kids):
        return False
    return not any(t.ent_type_ in ("PERSON", "GPE", "ORG") for t in m.trigger.subtree)


def lists_participants(sent: Span, lex: Triggers) -> bool:
    return any(t.lower_ in lex.participant_list_cues for t in sent)


def drafts_for(m: Mention, parties: Parties, idx: Index, record: Record, doc: Doc, si: int) -> list[Draft]:
    date = event_date(m, doc, record.document.date)
    status = m.status or "happened"
    base = record.document.date
    if status == "happened" and date and base and date > base and m.anchor.tag_ not in ("VBD", "VBN"):
        status = "planned"
    word = _first_relative(m)
    if status == "planned" and date is None and m.anchored and word:
        date = dates.resolve(word, base, future=True)
    dests = destinations(m, doc) if m.type == "visit" else []
    place = None if dests else event_place(m, doc)
    if place is None and parties.beside is not None:
        near = destinations(parties.beside, doc) if parties.beside.type == "visit" else []
        place = near[0] if near else event_place(parties.beside, doc)
    if dests:  # a city the tagger took for a person ("Yerevan") is where, not who
        inside = {pid for pid in parties.persons for start, x in idx.persons_in(dests[0].start, dests[-1].end) if x == pid}
        parties = replace(parties, persons=[x for x in parties.persons if x not in inside])
    if m.type == "visit" and not dests and place is None and m.trigger.lemma_.lower() == "delegation":
        return []  # "led the delegation, which met with …": no trip said
    out = []
    for p in dests or [place]:  # type: ignore[list-item]  # one event with no place at all
        d = Draft(type=m.type, status=status, sents=[m.sent], date=date, place=p, multilateral=m.multilateral,
                  same_sentence_key=si, actor=parties.actor or (parties.persons[0] if parties.persons else None))
        d.add_parties(parties)
        out.append(d)
    return out


def _first_relative(m: Mention) -> str | None:
    return next((t.text for t in m.sent if t.lower_ in ("tomorrow",) and m.in_scope(t.i)), None)


def merge_visits(ds: list[Draft]) -> list[Draft]:
    """Visits in one sentence by the same parties to a city and a country are one visit ("Dili, Timor-Leste")."""
    visits = [d for d in ds if d.type == "visit" and d.place is not None]
    out = [d for d in ds if d not in visits]
    by_parties: dict[frozenset[str], list[Draft]] = {}
    for d in visits:
        by_parties.setdefault(frozenset(d.parties()), []).append(d)
    for group in by_parties.values():
        countries = [d for d in group if d.place and d.place.is_country]
        cities = [d for d in group if d not in countries]
        if len(countries) == 1 and len(cities) == 1:
            c, city = countries[0], cities[0]
            assert city.place and c.place
            city.place = Place(city.place.start, city.place.end, f"{city.place.text}, {c.place.text}",
                               city.place.country or c.place.country)
            city.date = min(filter(None, [city.date, c.date]), default=None)
            group = [city]
        merged: list[Draft] = []
        for d in group:
            same = next((x for x in merged if x.place and d.place and _same_place(x.place.text, d.place.text)), None)
            if same:
                same.date = min(filter(None, [same.date, d.date]), default=None)
            else:
                merged.append(d)
        out.extend(merged)
    placed = [d for d in out if d.type == "visit" and d.place is not None]
    for d in ds:
        if d.type == "visit" and d.place is None:
            twin = next((x for x in placed if x.parties() == d.parties() and x.status == d.status), None)
            if twin is None:
                out.append(d)  # "his first trip … when he travels to San Jose": one visit
            else:
                twin.date = twin.date or d.date
    return out


def _same_place(a: str, b: str) -> bool:
    ta, tb = set(words_of(a)), set(words_of(b))
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def words_of(text: str) -> list[str]:
    return [w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if w != "the"]


def duplicate(d: Draft, drafts: list[Draft]) -> Draft | None:
    """An event stated again ("X met Y … X and Y also met on …") with the same parties."""
    for o in reversed(drafts):
        if o.type != d.type or o.status != d.status:
            continue
        a, b = o.parties(), d.parties()
        same_sentence = any(s.start == d.sents[0].start for s in o.sents) and a == b
        same_trip = (d.type == "visit" and o.place is not None and d.place is not None and bool(a & b)
                     and (a <= b or b <= a) and _same_place(o.place.text, d.place.text))
        if not (same_sentence or same_trip) and (len(a & b) < 2 or len(a & b) / len(a | b) < 0.5):
            continue  # one shared party is the actor's next engagement, not the same one
        if o.date and d.date and o.date != d.date:
            continue
        if o.place and d.place and not _same_place(o.place.text, d.place.text):
            continue
        if d.type == "visit" and (o.place is None) != (d.place is None):
            continue
        return o
    return None


def elaborates(sent: Span, si: int, last: int, idx: Index, main: Draft) -> bool:
    """A sentence with no event of its own goes on about the last one ("They discussed …")."""
    text = sent.text.strip().lower()
    if len(text) < 20 or any(b in text for b in triggers().boilerplate) or si - last > ELABORATION_REACH:
        return False
    if text.endswith(":"):
        return False  # "Members of the Presidential Delegation:"
    others = {pid for _, pid in idx.persons_in(sent.start_char, sent.end_char)} - set(main.persons)
    if len(others) >= 2:
        return False  # a list of people, not the event's story
    if main.place is None:
        main.place = _held_in(sent)
    return True


def _held_in(sent: Span) -> Place | None:
    """ "The Working Group is being held in Denver, Colorado": where an event already found takes place."""
    lex = triggers()
    for tok in sent:
        if tok.lower_ == "in" and tok.dep_ == "prep" and tok.head.lemma_.lower() in lex.light_verbs | {"take"}:
            got = places.list_after(sent.doc, tok.i + 1, sent.end)
            if got:
                return got[0]
    return None



def merge_country_and_city_visits(drafts: list[Draft]) -> list[Draft]:
    """ "will travel to Germany and France …" then "On May 14, the Secretary will travel to Berlin": one
    visit per destination, when the document itself places the city in the country ("Berlin, Germany")."""
    visits = [d for d in drafts if d.type == "visit" and d.place]
    in_country = {words_of(d.place.text)[0]: d.place.country for d in visits if d.place and "," in d.place.text
                  and d.place.country}
    for d in drafts:
        if d.place and "," in d.place.text and d.place.country:
            in_country.setdefault(words_of(d.place.text)[0], d.place.country)
    gone: set[int] = set()
    for c in visits:
        if not (c.place and c.place.is_country):
            continue
        for city in visits:
            if city is c or id(city) in gone or not city.place or city.place.is_country or city.status != c.status:
                continue
            if in_country.get(words_of(city.place.text)[0]) == c.place.country and set(c.persons) <= set(city.persons):
                if "," not in city.place.text:
                    city.place = Place(city.place.start, city.place.end, f"{city.place.text}, {c.place.text}",
                                       c.place.country)
                city.date = city.date or c.date
                for s in c.sents:
                    city.add_sent(s)
                gone.add(id(c))
                break
    return [d for d in drafts if id(d) not in gone]


def places_of_stops(drafts: list[Draft], sents: list[Span], doc: Doc, going: dict[int, list[Place]]) -> None:
    """A meeting during a trip is where the traveler is at that point: the one place a visit in its sentence
    goes to ("will travel to Cairo to meet with …"), or a stop set earlier in its paragraph ("In Amman, he
    will …", "While in Panama City, …", "He will first travel to Jerusalem … He will also meet …")."""
    travelers = {p for d in drafts if d.type == "visit" and d.status != "referenced" for p in d.persons + d.delegations}
    if not travelers:
        return
    stops = _stops(sents, doc, going)
    named = [d.place for d in drafts if d.type == "visit" and d.place is not None]
    for d in drafts:
        if d.type != "meeting" or d.place is not None or d.status == "referenced" or d.multilateral and not d.persons:
            continue
        stop = stops.get(d.same_sentence_key)
        if stop is not None and travelers & set(d.persons + d.delegations):
            # the fullest name the document gives the stop ("San José, Costa Rica" for "San José")
            d.place = max((p for p in named if _same_place(p.text, stop.text)), key=lambda p: len(p.text), default=stop)


def _stops(sents: list[Span], doc: Doc, going: dict[int, list[Place]]) -> dict[int, Place]:
    """Sentence index -> where the traveler is in it, carried on to the end of the paragraph."""
    text = places.text_of(doc)
    out: dict[int, Place] = {}
    here: Place | None = None
    for si, sent in enumerate(sents):
        if si and BLANK_LINE.search(text[sents[si - 1].end_char - 1:sent.start_char + 1]) and not _there(sent):
            here = None
        lead = _leading_place(sent, doc)
        if lead is not None:
            here = lead
        elif len(going.get(si, [])) == 1:
            here = going[si][0]
        elif len(going.get(si, [])) > 1:
            here = None  # the trip's overview: no one stop
        if here is not None:
            out[si] = here
    return out


def _there(sent: Span) -> bool:
    words = [t.lower_ for t in sent[:3]]
    return "there" in words[:2] and words[0] in ("there", "while")


def _leading_place(sent: Span, doc: Doc) -> Place | None:
    """ "In Jerusalem, the Secretary …", "While in Rabat, …": a sentence set in a place."""
    i = sent.start
    if doc[i].lower_ in ("while", "then", "later", "once"):
        i += 1
    if i >= sent.end or doc[i].lower_ not in ("in", "at"):
        return None
    got = places.list_after(doc, i + 1, sent.end)
    if len(got) != 1:
        return None
    return got[0] if places.text_of(doc)[got[0].end:got[0].end + 1] == "," else None


def borrow_places(drafts: list[Draft]) -> None:
    """Meetings held (or to be held) during the document's one trip take its place ("the delegation's
    visit to Washington", "will travel to Santiago … will also meet with civil society")."""
    for status in ("happened", "planned"):
        trips = [d for d in drafts if d.type == "visit" and d.status == status and d.place and d.place.is_settlement]
        first = trips[0].place if trips else None
        if first is None or not all(_same_place(t.place.text, first.text) for t in trips if t.place):
            continue
        trip = trips[0]
        for d in drafts:
            if d.place is None and d.type == "meeting" and d.status == status:
                d.place = trip.place


def header_meeting(record: Record, drafts: list[Draft]) -> list[Draft]:
    """A transcript "… Before Their Meeting" whose header lists the speakers, or whose title names them, is
    their meeting (header); the body's mentions of a meeting among them alone that day ("our meeting today") are the same one."""
    h = header.meeting(record) or header.title_meeting(record)
    if h is None:
        return drafts
    text = record.document.text
    place = None
    if h.place is not None:
        ps, pe = h.place
        place_text = text[ps:pe]
        country = country_code(place_text.rsplit(",", 1)[-1].strip()) or country_code(place_text)
        place = Place(ps, pe, place_text, country)
    # a meeting held by video is a call, as the readouts of the same meeting call it
    kind = "call" if getattr(h, "virtual", False) else "meeting"
    meeting = Draft(type=kind, status="happened", sents=[], persons=list(h.persons), date=h.date,
                    place=place, header=h.evidence)
    known = set(h.persons)
    sides = h.sides | {p.country for p in record.persons if p.id in known and p.country}
    kept = []
    for d in drafts:
        if (d.type in ("meeting", kind) and d.status != "referenced" and d.persons and set(d.persons) <= known
                and not d.organizations and not d.delegations and set(d.countries) <= sides
                and d.date in (None, h.date)):
            for sent in d.sents:
                meeting.add_sent(sent)
        else:
            kept.append(d)
    return [meeting, *kept]
