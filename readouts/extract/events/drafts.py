"""What the English event stage builds as it reads: drafts of events, the parties a mention names, and
the record's entities indexed by where they are mentioned."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy
from spacy.tokens import Doc, Span, Token

from readouts.extract.events.mentions import Mention
from readouts.extract.events.places import Place
from readouts.extract.events.sentences import token_starts
from readouts.model import Record

ELABORATION_REACH = 6  # sentences after the last one that states an event that may still describe it


@dataclass
class Draft:
    type: str
    status: str
    sents: list[Span]
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    delegations: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    date: str | None = None
    place: Place | None = None
    multilateral: bool = False
    same_sentence_key: int = -1
    actor: str | None = None  # who the next "The Secretary …" or "He …" is
    header: list[tuple[int, int]] = field(default_factory=list)  # a transcript's speaker and place lines

    def parties(self) -> set[str]:
        return set(self.persons) | set(self.organizations) | set(self.delegations) | {"c:" + c for c in self.countries}

    def add_parties(self, other: Draft | Parties) -> None:
        for name in ("persons", "organizations", "delegations", "countries"):
            mine = getattr(self, name)
            mine.extend(x for x in getattr(other, name) if x not in mine)

    def add_sent(self, sent: Span) -> None:
        if all(s.start != sent.start for s in self.sents):
            self.sents.append(sent)


@dataclass
class Parties:
    actor: str | None = None
    beside: Mention | None = None  # the event whose parties a recalled signing took
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    delegations: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def named(self) -> bool:
        return bool(self.persons or self.organizations or self.delegations or self.countries)


class Index:
    """Record entities by the character where each mention starts."""

    def __init__(self, record: Record, doc: Doc):
        self.doc = doc
        self.record = record
        pm = sorted((s, p.id) for p in record.persons for s, _ in p.mentions)
        om = sorted((s, e, o.id) for o in record.organizations for s, e in o.mentions)
        self.p_starts, self.p_ids = [s for s, _ in pm], [i for _, i in pm]
        self.orgs = om
        self.o_starts = [s for s, _, _ in om]
        self.person_spans = sorted((s, e) for p in record.persons for s, e in p.mentions)
        self.starts = token_starts(doc)

    def persons_in(self, a: int, b: int) -> list[tuple[int, str]]:
        lo, hi = bisect.bisect_left(self.p_starts, a), bisect.bisect_left(self.p_starts, b)
        return list(zip(self.p_starts[lo:hi], self.p_ids[lo:hi]))

    def orgs_in(self, a: int, b: int) -> list[tuple[int, int, str]]:
        lo, hi = bisect.bisect_left(self.o_starts, a), bisect.bisect_left(self.o_starts, b)
        return self.orgs[lo:hi]

    def token(self, char: int) -> Token | None:
        """The token that starts at a character, or the one that covers it."""
        if not len(self.starts):
            return None
        i = int(numpy.searchsorted(self.starts, char, side="right")) - 1
        return self.doc[max(i, 0)]

    def inside_person(self, s: int, e: int) -> bool:
        k = bisect.bisect_right(self.person_spans, (s, 10**9)) - 1
        return k >= 0 and self.person_spans[k][0] <= s < self.person_spans[k][1] or any(
            ps < e and s < pe for ps, pe in self.person_spans[max(0, k - 1):k + 2])
