"""Is this person mention one of these canonical persons? Never two people who share a surname.

Names are compared as token sequences (see :func:`readouts.resolve.names.name_tokens`):
the given names must agree, and the shorter surname sequence must be the start of the
longer one, so "Marcelo Ebrard" = "Marcelo Ebrard Casaubon" but "Juan González" ≠
"Ana González Barrera", and "Juan González López" ≠ "Juan González Barrera".

Extracted countries are noisy (a U.S. Secretary of State quoted in a Mexican release may come
out Mexican), so a country conflict alone does not keep one full name apart: a compound name
("Marcelo Ebrard Casaubon") outweighs it, and so does the exact same full name of two or more
tokens — the mention joins the candidate most mentions agree with, whose country is the
majority one — unless the titles stated for the two clearly differ (no word in common).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from readouts.model import Person, Record
from readouts.resolve.names import fold, name_tokens
from readouts.resolve.variants import same_token


@dataclass
class Candidate:
    """A canonical person as the store knows it: every distinct name form linked to it."""

    id: int
    names: list[tuple[str, ...]]
    country: str | None = None
    mentions: int = 0
    countries: set[str] = field(default_factory=set)  # every country its mentions were given
    titles: set[str] = field(default_factory=set)  # every title stated for it

    def known_countries(self) -> set[str]:
        return self.countries | ({self.country} if self.country else set())


@dataclass
class Decision:
    person_id: int | None  # None: start a new canonical person
    reason: str
    score: float = 1.0
    rejected: list[str] = field(default_factory=list)


def compatible_names(a: Sequence[str], b: Sequence[str]) -> bool:
    """Same given name, and one surname sequence starts the other."""
    if len(a) < 2 or len(b) < 2 or not same_token(a[0], b[0]):
        return False
    short, long = sorted((a[1:], b[1:]), key=len)
    return all(same_token(x, y) for x, y in zip(short, long))


_TITLE_STOP = frozenset({"of", "the", "for", "and", "on", "in", "to", "at", "de", "la", "del", "y"})


def title_words(titles: Iterable[str]) -> set[str]:
    return {w for t in titles for w in re.findall(r"\w+", fold(t)) if w not in _TITLE_STOP and len(w) > 1}


def titles_differ(a: Iterable[str], b: Iterable[str]) -> bool:
    """Both have stated titles and they share no word: "Foreign Minister" vs "Senior Director"."""
    wa, wb = title_words(a), title_words(b)
    return bool(wa and wb and not wa & wb)


def choose_person(tokens: Sequence[str], country: str | None, candidates: Iterable[Candidate],
                  titles: Sequence[str] = ()) -> Decision:
    """The candidate this name is, or None with the reason none fits; ``titles`` are the mention's."""
    fitting: list[Candidate] = []
    rejected: list[str] = []
    outvoted: dict[int, str] = {}
    for c in candidates:
        clash = next((n for n in c.names if not compatible_names(tokens, n)), None)
        if clash is not None:
            rejected.append(f"#{c.id}: name {' '.join(clash)!r} differs")
        elif country and c.known_countries() and country not in c.known_countries():
            if len(tokens) >= 3 or any(len(n) >= 3 for n in c.names):
                fitting.append(c)
            elif tuple(tokens) in c.names and not titles_differ(titles, c.titles):
                fitting.append(c)
                outvoted[c.id] = (f"; country {country} conflicts with "
                                  f"{'/'.join(sorted(c.known_countries()))}: same full name, joins the majority")
            else:
                why = "titles differ" if tuple(tokens) in c.names else "not the same full name"
                rejected.append(f"#{c.id}: country {'/'.join(sorted(c.known_countries()))} ≠ {country}, {why}")
        else:
            fitting.append(c)
    if not fitting:
        return Decision(None, "new person" + (f" ({'; '.join(rejected)})" if rejected else ""), 1.0, rejected)
    key = " ".join(tokens)
    best = max(fitting, key=lambda c: (tuple(tokens) in c.names, c.mentions, -c.id))
    how = "same name" if tuple(tokens) in best.names else "name variant"
    extra = " and country" if country and country in best.known_countries() else ""
    score = 1.0 if how == "same name" else 0.9
    if len(fitting) > 1:
        score -= 0.2
        how += f", chosen among {len(fitting)} candidates by mentions"
    reason = f"{how}{extra}: {key!r} ~ {' '.join(max((len(n), n) for n in best.names)[1])!r}{outvoted.get(best.id, '')}"
    return Decision(best.id, reason, score, rejected)


def local_aliases(record: Record) -> dict[str, str]:
    """Person ids of this record that are a surname alone ("Blinken"), mapped to the one fuller
    person of the same record it stands for. Ambiguous or unmatched surnames map to nothing:
    a bare surname never links across documents."""
    full = [(p.id, name_tokens(p.name)) for p in record.persons]
    out: dict[str, str] = {}
    for pid, toks in full:
        if len(toks) != 1:
            continue
        owners = {other for other, ot in full if len(ot) >= 2 and toks[0] in ot[1:]}
        if len(owners) == 1:
            out[pid] = owners.pop()
    return out


def fullest(names: Iterable[str]) -> str:
    """The fullest form of a name: most name tokens, then longest."""
    return max(names, key=lambda n: (len(name_tokens(n)), len(n)))


def person_names(person: Person) -> list[str]:
    return [person.name, *person.aliases]
