"""Events (calls, meetings, visits, signings) found in a parsed document.

Sentence by sentence, trigger words (data/en/events_triggers.yaml) give mentions with a type and a
status (mentions). Each mention takes its parties from the record's persons,
organizations and delegations named in the tokens it governs, its date from a date phrase
there (dates) and its place from "in X" / "to X" (places). Then mentions of one
occurrence become one event: "the meeting" points back, a trip to three cities is three visits,
and the sentences that follow a readout's first line are its evidence until another event
starts.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from readouts.extract import budget
from readouts.extract.events.document import (
    dateline,
    headline,
    opening_date,
    round_of_calls,
    same_day_as_before,
)
from readouts.extract.events.drafts import Draft, Index
from readouts.extract.events.grouping import (
    antecedent,
    borrow_places,
    drafts_for,
    duplicate,
    elaborates,
    header_meeting,
    lists_participants,
    merge_country_and_city_visits,
    merge_visits,
    places_of_stops,
    words_of,
)
from readouts.extract.events.lexicon import triggers
from readouts.extract.events.mentions import candidates, find
from readouts.extract.events.parties import borrow_parties, parties_of
from readouts.extract.events.places import Place
from readouts.extract.events.plover import code as plover_code
from readouts.extract.events.sentences import by_sentence, sentences_of
from readouts.extract.events.when_where import destinations, topics_of
from readouts.model import Event, Participants, Record


def fill(record: Record, doc: Doc) -> None:
    if record.document.date is None:
        # a release with no date given states it at its top ("Wednesday, 11 December 2019", "New York, 4
        # December 2013"): that is the day "today" means and the day of what happened with no date of its own
        record.document.date = opening_date(record.document.text)
    lex = triggers()
    idx = Index(record, doc)
    drafts: list[Draft] = []
    main: Draft | None = None          # the last event that happened or is planned
    last_sent_of: dict[int, int] = {}  # id(draft) -> index of its last sentence
    sents = sentences_of(doc)
    at = by_sentence(candidates(doc), [s.start for s in sents])
    going: dict[int, list[Place]] = {}  # sentence index -> where a trip said in it goes
    for si, sent in enumerate(sents):
        budget.check("events")
        mentions = [m for m in find(sent, at.get(si, [])) if m.absorbed_by is None and m.status is not None]
        for m in mentions:
            if m.type == "visit" and m.status != "referenced":
                going.setdefault(si, []).extend(p for p in destinations(m, doc) if p.is_settlement)
        if not mentions:
            if main is not None and elaborates(sent, si, last_sent_of.get(id(main), -99), idx, main):
                main.add_sent(sent)
            continue
        new_here: list[Draft] = []
        found = [(m, parties_of(m, idx, lex, drafts, main)) for m in mentions]
        borrow_parties(found)
        for m, parties in found:
            target = antecedent(m, parties, drafts, main)
            if target is not None:
                target.add_sent(sent)
                if lists_participants(sent, lex):  # "Participants in the call included …"
                    target.add_parties(parties_of(replace(m, anchored=True, holes=[]), idx, lex, drafts, main))
                last_sent_of[id(target)] = si
                continue
            new_here.extend(drafts_for(m, parties, idx, record, doc, si))
        new_here = merge_visits(new_here)
        for d in new_here:
            if not d.parties():
                continue
            same = duplicate(d, drafts)
            if same is not None:
                same.add_parties(d)
                same.add_sent(sent)
                same.date = same.date or d.date
                if d.place and (same.place is None or len(words_of(d.place.text)) > len(words_of(same.place.text))):
                    same.place = d.place  # "Chisinau, Moldova" says more than "Moldova"
                d = same
            else:
                drafts.append(d)
            last_sent_of[id(d)] = si
            if d.status != "referenced":
                main = d
    drafts = merge_country_and_city_visits(drafts)
    places_of_stops(drafts, sents, doc, going)
    borrow_places(drafts)
    drafts = header_meeting(record, drafts)
    same_day_as_before(drafts)
    dateline(record, drafts)
    drafts = round_of_calls(record, drafts)
    drafts = headline(record, drafts)
    record.events = [_event(i, d, record) for i, d in enumerate(drafts, 1)]




def _event(n: int, d: Draft, record: Record) -> Event:
    sents = sorted(d.sents, key=lambda s: s.start)
    topics = topics_of(sents, record)
    ev = Event(id=f"e{n}", type=d.type, status=d.status, date=d.date,  # type: ignore[arg-type]
               location=d.place.text if d.place else None,
               participants=Participants(persons=d.persons, organizations=d.organizations,
                                         delegations=d.delegations, countries=d.countries),
               topics=topics,
               evidence=[*d.header, *((s.start_char, s.end_char) for s in sents)])
    ev.plover = plover_code(ev, record, place_country=d.place.country if d.place else None,
                            multilateral=d.multilateral)
    return ev
