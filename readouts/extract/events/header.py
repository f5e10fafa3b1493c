"""The meeting a remarks transcript's header stands for.

State Department transcripts open with one line per speaker, then the place and maybe the room,
then the first turn::

    Antony J. Blinken, Secretary of State
    Marcelo Ebrard, Mexican Foreign Secretary
    Washington, D.C.
    Treaty Room
    SECRETARY BLINKEN: …

When the title says the speakers meet ("… Before Their Meeting", "… at a Joint Press Availability")
and the speakers are of two sides or more, the header is one meeting: its speakers, on the
document's date, at the place line. The body's own mentions of that meeting are the same event.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from readouts.extract.events.lexicon import country_code, triggers
from readouts.model import Person, Record

_TURN = re.compile(r"^[A-Z][A-Z.'’ -]*[A-Z.]:", re.MULTILINE)  # "SECRETARY BLINKEN:", "FOREIGN MINISTER EBRARD:"
_LINE = re.compile(r"[^\n]+")
HEADER_REACH = 1000  # characters: a header longer than this is not a list of speakers


@dataclass
class Header:
    persons: list[str]
    sides: set[str]
    place: tuple[int, int]
    date: str | None
    evidence: list[tuple[int, int]]


def meeting(record: Record) -> Header | None:
    """The header's meeting, or None when the document does not open with one (or its title does not say so)."""
    doc = record.document
    title = " ".join((doc.title or "").lower().split())
    if not title or not any(p in title for p in triggers().header_meeting_titles):
        return None
    turn = _TURN.search(doc.text, 0, HEADER_REACH)
    if turn is None:
        return None
    lines = [(m.start(), m.end()) for m in _LINE.finditer(doc.text, 0, turn.start()) if m.group().strip()]
    speakers: list[tuple[Person, str, tuple[int, int]]] = []
    for s, e in lines:
        got = _speaker(record, s, e)
        if got is None:
            break
        speakers.append((*got, (s, e)))
    rest = lines[len(speakers):]
    if len(speakers) < 2 or not 1 <= len(rest) <= 2:
        return None
    persons = list(dict.fromkeys(p.id for p, _, _ in speakers))
    sides = {_side(p, title_text) for p, title_text, _ in speakers} - {None}
    if len(persons) < 2 or len(sides) < 2:
        return None
    evidence = [_trim(doc.text, *span) for span in [*(span for _, _, span in speakers), rest[0]]]
    return Header(persons=persons, sides={x for x in sides if x}, place=evidence[-1], date=doc.date, evidence=evidence)


def _speaker(record: Record, s: int, e: int) -> tuple[Person, str] | None:
    """ "Marcelo Ebrard, Mexican Foreign Secretary" or "German Chancellor Angela Merkel": the person the
    record names in the line and their title there."""
    text = record.document.text
    line = text[s:e].rstrip()
    e = s + len(line)
    for p in record.persons:
        for ms, me in p.mentions:
            if not s <= ms < me <= e:
                continue
            before, after = text[s:ms], text[me:e]
            if "," not in before and after.startswith(", ") and after[2:].strip():
                return p, after[2:]  # Name, Title (an honorific may precede: "Dr. S. Jaishankar, …")
            if not after.strip() and before.strip() and "," not in before:
                return p, before  # Title Name
    # the entity stage may not have marked the name in the header: "Ioannis Kasoulides, …" for "Kasoulides"
    if ", " not in line:
        return None
    last = _words(line.split(", ", 1)[0])[-1:]
    for p in record.persons:
        if last and p.positions and any(_words(n)[-1:] == last for n in [p.name, *p.aliases]):
            return p, line.split(", ", 1)[1]
    return None


def _side(p: Person, title: str) -> str | None:
    """Whom a speaker speaks for: the country their header title names ("Mexican Foreign Secretary"), else the
    record's country or body of their position."""
    words = re.findall(r"[\w’'.-]+", title)
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            code = country_code(" ".join(words[i:i + n]))
            if code:
                return code
    if p.country:
        return p.country
    return next((f"org:{x.organization}" for x in p.positions if x.organization), None)


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if w not in ("jr", "sr", "dr")]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


_CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}\s*[AP]\.?M\.?", re.IGNORECASE)  # "11:24 A.M. EDT": a time line, not a place
VIRTUAL_REACH = 1500  # characters of the first turns in which "virtually" makes the meeting a video call


@dataclass
class TitleMeeting:
    persons: list[str]
    sides: set[str]
    place: tuple[int, int] | None
    date: str | None
    evidence: list[tuple[int, int]]
    virtual: bool


def title_meeting(record: Record) -> TitleMeeting | None:
    """The meeting a transcript's title names ("Remarks by President Biden and Prime Minister Modi of India
    Before Bilateral Meeting"): the record's persons the title names, when they are of two sides or more,
    met on the document's date, at the place line before the first turn (if there is one)."""
    doc = record.document
    title = " ".join((doc.title or "").split())
    low = title.lower()
    if not title or not any(p in low for p in triggers().title_meeting_titles):
        return None
    words = set(re.findall(r"[\w’'-]+", title))
    named = [p for p in record.persons if p.mentions and _named_in(p, words)]
    sides = {s for s in (_side(p, "") for p in named) if s}
    if len(named) < 2 or len(sides) < 2:
        return None
    text = doc.text
    turn = _TURN.search(text, 0, HEADER_REACH)
    place = None
    if turn is not None:
        lines = [(m.start(), m.end()) for m in _LINE.finditer(text, 0, turn.start()) if m.group().strip()]
        lines = [ln for ln in lines if not _CLOCK.match(text[ln[0]:ln[1]]) and not _speaker(record, *ln)]
        # "Tokyo, Japan" over "Akasaka Palace" or "Happoen": the line that names a city and its country
        placed = [ln for ln in lines if country_code(text[ln[0]:ln[1]].rsplit(",", 1)[-1].strip())]
        if placed or lines:
            place = _trim(text, *(placed or lines)[0])
    evidence = sorted({(min(p.mentions)[0], min(p.mentions)[1]) for p in named})  # where each party is first named
    head = text[:VIRTUAL_REACH].lower()
    virtual = any(re.search(r"\b" + re.escape(w) + r"\b", head) for w in triggers().virtual_words)
    return TitleMeeting(persons=[p.id for p in named], sides=sides, place=place, date=doc.date,
                        evidence=[*([place] if place else []), *evidence], virtual=virtual)


def _named_in(p: Person, words: set[str]) -> bool:
    """The title names this person: their surname (or family name, written first) is one of its words."""
    for n in [p.name, *p.aliases]:
        parts = [w for w in re.findall(r"[\w’'-]+", n) if w not in ("Jr", "Sr", "II", "III")]
        if parts and (parts[-1] in words or len(parts) == 2 and parts[0] in words and parts[0][0].isupper()):
            return True
    return False
