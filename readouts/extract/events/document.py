"""Rules over the whole release: its dateline, its title line's event, a round of calls, "later that day"."""
from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import replace

from spacy.tokens import Span

from readouts.extract.events import dates, places
from readouts.extract.events.drafts import Draft
from readouts.extract.events.grouping import words_of
from readouts.extract.events.lexicon import country_code, triggers
from readouts.extract.events.places import Place
from readouts.model import Record

_DATELINE = re.compile(r"^[ \t]*([A-Z][A-Za-z.’' -]{1,40}?(?:, [A-Z][A-Za-z.’' -]{1,30})?),[ \t]+"
                       r"((?:[A-Z][a-z]+day, )?(?:\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+\.? \d{1,2}, \d{4}))[ \t]*$", re.MULTILINE)
DATELINE_REACH = 400  # characters from the start in which a dateline stands
_DATE_LINE = re.compile(r"^[ \t]*(?:[A-Z][a-z]+day,? )?(\d{1,2} [A-Z][a-z]+,? \d{4}|[A-Z][a-z]+\.? \d{1,2},? \d{4})[ \t]*$",
                        re.MULTILINE)


def opening_date(text: str) -> str | None:
    """The day a release gives at its top, on a line of its own or in a dateline (ISO), if any."""
    m = _DATE_LINE.search(text, 0, DATELINE_REACH)
    if m is not None:
        return dates.resolve(m.group(1), None)
    m = _DATELINE.search(text, 0, DATELINE_REACH)
    return dates.resolve(m.group(2), None) if m is not None else None


def dateline(record: Record, drafts: list[Draft]) -> None:
    """ "New York, 4 December 2013", "Islamabad, August 24, 2021": a dateline gives its day to the happened
    events that state none, and its place to the meetings that state none (a call has no place, a visit
    its destination)."""
    text = record.document.text
    m = _DATELINE.search(text, 0, DATELINE_REACH)
    if m is None:
        return
    name = m.group(1).strip()
    country = country_code(name.rsplit(",", 1)[-1].strip()) or places.city_country(name.split(",")[0])
    iso = dates.resolve(m.group(2), None)
    if iso is None or country is None:
        return  # "High Level Political Talks, 19 October 2017" is a heading, not a place
    place = Place(m.start(1), m.end(1), name, country)
    for d in drafts:
        if d.status != "happened":
            continue
        touched = False
        if d.date is None:
            d.date, touched = iso, True
        if d.place is None and d.type == "meeting" and d.date == iso:
            d.place, touched = place, True
        if touched and (m.start(1), m.end(2)) not in d.header:
            d.header.append((m.start(1), m.end(2)))


def same_day_as_before(drafts: list[Draft]) -> None:
    """ "Later he spoke with ...", "Then, Minister Çavuşoğlu attended ...": an undated event that the text
    sets right after the one before it took place on that one's day."""
    for prev, d in itertools.pairwise(drafts):
        if d.date is None and prev.date and d.sents and prev.status == d.status == "happened":
            first = next((t for t in d.sents[0] if not t.is_space), None)
            if first is not None and first.lower_ in triggers().sequence_words:
                d.date = prev.date


def round_of_calls(record: Record, drafts: list[Draft]) -> list[Draft]:
    """ "Prime Minister Netanyahu spoke with German Chancellor Merkel, Italian Prime Minister Monti and Greek
    Prime Minister Samaras": one caller, one counterpart from each of several governments, no word of a
    joint call — a round of telephone calls, one call each, as the readouts of the counterparts report them."""
    out: list[Draft] = []
    # the caller is the one the release follows: in the most events ("Later he spoke with ..."), else the first
    seen = Counter(pid for d in drafts for pid in d.persons)
    for d in drafts:
        sides: dict[str | None, list[str]] = {}
        for pid in d.persons:
            p = record.person(pid)
            sides.setdefault(p.country if p else None, []).append(pid)
        if (d.type != "call" or d.multilateral or d.organizations or d.delegations or len(sides) < 3
                or None in sides or any(len(ps) != 1 for ps in sides.values())
                or any(w in words_of(" ".join(s.text for s in d.sents)) for w in triggers().joint_call_words)
                or any(t.pos_ == "NOUN" and t.lemma_.lower() in triggers().joint_call_words for t in d.sents[0])):
            out.append(d)
            continue
        caller = max(d.persons, key=lambda pid: (seen[pid], -d.persons.index(pid)))
        for pid in d.persons:
            if pid != caller:
                out.append(replace(d, persons=[caller, pid], countries=[], sents=list(d.sents), header=list(d.header)))
    return out


def headline(record: Record, drafts: list[Draft]) -> list[Draft]:
    """An event the title line states ("Courtesy Call on Minister Kishida by U.S. Ambassador Kennedy",
    "Press release on Deputy Foreign Minister Ryabkov's meeting with US Ambassador Tefft") is the event the
    release reports, not one it recalls: it is the body's event of the same kind among the same people
    when there is one, else an event of the document's day. A title's noun phrase reads as definite
    ("the Secretary-General's meeting"), which alone would make it a recalled one."""
    end = _title_lines(record)  # the title line, and the lines that repeat it
    if end is None:
        return drafts
    out: list[Draft] = []
    # a headline names only the event's parties: everyone it names takes part, however the parser attached
    # them ("Press release on Deputy Foreign Minister Ryabkov's meeting with US Ambassador to Russia John Tefft")
    named = [p.id for p in record.persons if any(_within_chars(s, end) for s, _ in p.mentions)]
    absorbed: set[int] = set()
    for d in drafts:
        in_title = bool(d.sents) and all(_within(s, end) for s in d.sents) and not d.header
        if not in_title or d.status == "planned":
            out.append(d)
            continue
        if len(d.sents) == 1 and sum(1 for o in drafts if all(_within(s, end) for s in o.sents)) == 1:
            d.persons.extend(p for p in named if p not in d.persons)
        covering = [o for o in drafts if o is not d and o.type == d.type
                    and not all(_within(s, end) for s in o.sents) and set(d.persons) <= set(o.persons)]
        if len(covering) > 1:
            continue  # "PM Netanyahu speaks with world leaders": a headline over several calls the body reports
        body = covering[0] if covering and d.persons else None
        if body is not None:
            body.add_parties(d)
            for s in d.sents:
                body.add_sent(s)
            continue
        if any(o is not d and o.type == d.type and all(_within(s, end) for s in o.sents) for o in out):
            continue  # the title names it twice ("... meeting with ..." and "Meeting ...")
        # the body tells of it with fewer names ("Tefft was summoned to the Russian Foreign Ministry")
        partial = [o for o in drafts if o is not d and o.type == d.type and o.persons and not o.header
                   and not all(_within(s, end) for s in o.sents) and set(o.persons) <= set(d.persons)]
        if len(partial) == 1:
            body = partial[0]
            d.add_parties(body)
            for s in body.sents:
                d.add_sent(s)
            d.place, d.date = d.place or body.place, d.date or body.date
            absorbed.add(id(body))
        d.status = "happened"
        d.date = d.date or record.document.date
        out.append(d)
    return [d for d in out if id(d) not in absorbed]


TITLE_LINE_CHARS = 250  # a first line longer than this is a paragraph, not a title
TITLE_REPEAT_REACH = 800  # characters from the start in which a page may repeat its title line


def _within(sent: Span, lines: list[tuple[int, int]]) -> bool:
    return _within_chars(sent.start_char, lines)


def _within_chars(i: int, lines: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in lines)


def _title_lines(record: Record) -> list[tuple[int, int]] | None:
    """The document's title lines: its first line, when it is the given title or looks like one (short, no
    full stop at its end, a blank line after it), and the lines near the top that repeat it (pages often
    print the title twice, the second time with a note: "... President of Colombia [scroll down ...]")."""
    text = record.document.text
    first, sep, _ = text.partition("\n")
    line = first.strip()
    if not line or not sep or len(line) > TITLE_LINE_CHARS:
        return None
    title = " ".join((record.document.title or "").split())
    if title and " ".join(line.split()) != title:
        return None
    if not title and (line.endswith((".", ":", "?")) or text[len(first):len(first) + 2] != "\n\n"):
        return None
    lines = [(0, len(first))]
    head = line[:40]
    start = text.find(head, len(first))
    while 0 <= start < TITLE_REPEAT_REACH and (start == 0 or text[start - 1] == "\n"):
        stop = text.find("\n", start)
        lines.append((start, stop if stop >= 0 else len(text)))
        start = text.find(head, start + 1)
    return lines
