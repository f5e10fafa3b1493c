"""Are two event reports one event? Same type, dates within a day, the same parties.

Parties are compared after person resolution (canonical person ids). Two reports stay
apart when another party takes part in one of them: the same visitor received by two
officials on consecutive days, a bilateral and a trilateral meeting on one day, or a
call and a meeting between the same two people are separate events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

MAX_DAYS_APART = 1
MIN_OVERLAP = 0.5  # Jaccard of the participant sets


@dataclass(frozen=True)
class EventFacts:
    type: str
    date: date | None
    persons: frozenset[int] = field(default_factory=frozenset)
    organizations: frozenset[int] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def same_event(a: EventFacts, b: EventFacts) -> tuple[bool, str, float]:
    """(one event?, why, score)."""
    if a.type != b.type:
        return False, f"different types ({a.type} vs {b.type})", 0.0
    if a.date is None or b.date is None:
        return False, "a date is unknown", 0.0
    days = abs((a.date - b.date).days)
    if days > MAX_DAYS_APART:
        return False, f"{days} days apart", 0.0
    if a.countries and b.countries and a.countries != b.countries:
        return False, f"different countries ({sorted(a.countries)} vs {sorted(b.countries)})", 0.0
    if a.persons and b.persons:
        overlap = _jaccard(a.persons, b.persons)
        what = "persons"
    elif a.organizations and b.organizations and not (a.persons or b.persons):
        overlap = _jaccard(a.organizations, b.organizations)
        what = "organizations"
    else:
        return False, "no named participants to compare", 0.0
    if overlap < MIN_OVERLAP:
        return False, f"different participants ({what} overlap {overlap:.2f})", overlap
    return True, f"same {a.type}, {days} day(s) apart, {what} overlap {overlap:.2f}", overlap


def union(facts: list[EventFacts]) -> EventFacts:
    """What all reports of one event say together."""
    first = facts[0]
    return EventFacts(
        type=first.type,
        date=min((f.date for f in facts if f.date), default=None),
        persons=frozenset().union(*(f.persons for f in facts)),
        organizations=frozenset().union(*(f.organizations for f in facts)),
        countries=frozenset().union(*(f.countries for f in facts)),
    )
