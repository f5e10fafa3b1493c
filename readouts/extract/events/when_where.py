"""When and where an event happened, and what it was about."""
from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable

from spacy.tokens import Doc, Span

from readouts.extract.events import dates, places
from readouts.extract.events.lexicon import topic_patterns, triggers
from readouts.extract.events.mentions import Mention, venue_of
from readouts.extract.events.places import Place
from readouts.extract.gazetteer import lexicon as lexicon_of
from readouts.model import Record


def event_date(m: Mention, doc: Doc, base: str | None) -> str | None:
    """The date phrase nearest the trigger, preferring those the event's own verb governs
    ("announced today … to attend the inauguration on June 30": June 30)."""
    a, b = m.scope
    own = (m.anchor.left_edge.i, m.anchor.right_edge.i + 1)
    best: tuple[int, int, int, str] | None = None
    lex = triggers()
    saying = lex.announce_verbs | lex.reporting_verbs
    for ent in places.ents_between(doc, a, b):
        if ent.label_ not in ("DATE", "TIME") or not m.in_scope(ent.start):
            continue
        said = ent.root.head
        if said is not m.anchor and said.lemma_.lower() in saying:
            continue  # "Biden today announced the designation of a delegation to …": the day of the news
        iso = dates.resolve(ent.text, base, future=m.status == "planned")
        if iso:
            # "today (Saturday, 17 November 2012)": a date or a day relative to the release's beats a weekday
            # alone, which is read as the last such day
            explicit = 0 if any(ch.isdigit() for ch in ent.text) or ent.text.lower().split()[0] in (
                "today", "yesterday", "tomorrow", "tonight", "this") else 1
            rank = (0 if own[0] <= ent.start < own[1] else 1, explicit, abs(ent.start - m.trigger.i))
            if best is None or rank < best[:3]:
                best = (*rank, iso)
    if best is None:  # "Today, Speaker Pelosi … met", "spoke … this evening": a day the tagger did not mark
        # ... or one the verb above a noun trigger governs ("following up on the meeting ... yesterday")
        verb = next((x for x in m.trigger.ancestors if x.pos_ in ("VERB", "AUX")), None) if not m.anchored else None
        near = [*doc[own[0]:own[1]], *(c for c in (verb.children if verb is not None else ())
                                       if c.dep_ == "npadvmod")]
        words = [t for t in near if t.lower_ in ("today", "yesterday", "tomorrow", "tonight")
                 or t.lower_ == "this" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("morning", "afternoon", "evening")]
        return dates.resolve(doc[words[0].i:words[0].i + 2].text, base) if words else None
    return best[3]


def destinations(m: Mention, doc: Doc) -> list[Place]:
    heads = [m.trigger] + ([m.anchor] if m.anchor is not m.trigger else [])
    a, b = m.scope
    for h in heads:
        for p in h.children:
            if p.dep_ == "prep" and p.lower_ in ("to", "in", "at") and m.in_scope(p.i):
                got = places.list_after(doc, p.i + 1, b)
                if got:
                    return got
        if h.lemma_.lower() in ("visit", "tour") and h.pos_ == "VERB":
            for o in h.children:
                if o.dep_ == "dobj":
                    got = places.list_after(doc, o.left_edge.i, b)
                    if got:
                        return got
    if not m.anchored and b < m.sent.end and doc[b].lower_ == "to":  # "the visit of Pope Francis | to Iraq"
        got = places.list_after(doc, b + 1, m.sent.end)
        if got:
            return got
    inside = [t for t in doc[a:b] if m.in_scope(t.i)]
    for p in inside:
        if p.lower_ == "in" and p.dep_ == "prep" and any(h in p.ancestors for h in heads):
            got = places.list_after(doc, p.i + 1, b)
            if got:
                return got[:1]
    for p in inside:
        if p.lower_ == "to" and p.dep_ == "prep":
            got = places.list_after(doc, p.i + 1, b)
            if got:
                return got
    return []


def event_place(m: Mention, doc: Doc) -> Place | None:
    """ "met … in Manila, the Philippines": a place said of the event, not of something discussed."""
    a, b = m.scope
    own = {m.anchor.i, m.trigger.i}
    preps = [p for p in doc[a:b] if p.lower_ in ("in", "at") and p.dep_ == "prep" and m.in_scope(p.i)]
    found: list[tuple[bool, Place]] = []
    for p in preps:
        head = p.head
        party = head.pos_ == "PROPN" or head.lemma_.lower() in triggers().party_words or head.lower_ in triggers().party_words
        event_noun = head.lower_ in triggers().nouns or head.lemma_.lower() in triggers().nouns
        if head.i not in own and not event_noun and (m.type == "call" or head.pos_ in ("VERB", "AUX") or not party):
            continue  # "the case of a journalist detained in Burma", "the situation in Ukraine"
        got = places.list_after(doc, p.i + 1, b)
        if got:
            found.append((head.i in own, got[0]))
    body = venue_of(m.trigger) if triggers().verbs.get(m.trigger.lemma_.lower(), {}).get("needs") == "venue" else None
    if not found and body is not None:
        found.append((True, places.Place(body.start_char, body.end_char, body.text, None)))
    if not found and m.type != "call":
        # a named room, hall or palace wherever the clause puts it ("met with representatives from think tanks
        # and universities in the Miranda Room of the headquarters ..."): people do not live in rooms
        venue = next((v for p in doc[a:b] if p.lower_ in ("in", "at") and m.in_scope(p.i)
                      for v in _venue_after(doc, p.i + 1, b)), None)
        if venue is not None:
            found.append((True, venue))
    # said of the event itself first, then a place known to lie in a country ("Melbourne, Australia", not "the Quad")
    found.sort(key=lambda f: (not f[0], f[1].country is None))
    return found[0][1] if found else None


def _venue_after(doc: Doc, start: int, stop: int) -> list[places.Place]:
    """ "met … in the Miranda Room of the headquarters ...": a named room, hall or palace is where a meeting
    was, though no country or city is named with it."""
    i = start + (start < stop and doc[start].lower_ in lexicon_of(doc).determiners)
    j = i
    while j < stop and doc[j].is_title and not doc[j].is_sent_start:
        j += 1
    if j - i < 2 or doc[j - 1].lower_ not in lexicon_of(doc).venue_heads:
        return []
    return [places.Place(doc[i].idx, doc[j - 1].idx + len(doc[j - 1]), doc[i:j].text, None)]


def topics_of(sents: list[Span], record: Record) -> list[str]:
    """Labels whose words are in the evidence as something talked about: not inside a name ("the Election
    Commission", "Minister of Health"), not in a sentence that congratulates someone on an "election"."""
    inside_name = _name_spans(record)
    out: list[str] = []
    for sent in sents:
        for label, hits in _topic_hits(sent):
            if label in out:
                continue
            if any(not inside_name(a, b) for a, b in hits):
                out.append(label)
    return out


def _topic_hits(sent: Span) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each topic pattern's matches in the sentence, as document offsets (none if it congratulates
    someone): once per sentence of the document, however many events share it."""
    seen = sent.doc.user_data.setdefault("readouts.topic_hits", {})
    found = seen.get((sent.start, sent.end))
    if found is None:
        found = seen[sent.start, sent.end] = [] if any(
            t.lemma_.lower().startswith("congratulat") for t in sent) else _hits(sent.start_char, sent.text)
    return found  # type: ignore[no-any-return]


def _hits(base: int, text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    out = []
    for label, rx in topic_patterns():
        spans = [(base + m.start(), base + m.end()) for m in rx.finditer(text)]
        if spans:
            out.append((label, spans))
    return out


def _name_spans(record: Record) -> Callable[[int, int], bool]:
    """Does the text from a to b touch a person's or a body's name? (bisected: a transcript names hundreds)"""
    spans = sorted((int(s), int(e)) for x in [*record.persons, *record.organizations]
                   for s, e in x.mentions)  # type: ignore[attr-defined]
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))  # the furthest end of the spans so far

    def touches(a: int, b: int) -> bool:
        k = bisect.bisect_left(starts, b)  # the spans that start before b
        return k > 0 and reach[k - 1] > a
    return touches
