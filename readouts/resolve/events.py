"""Are two event reports one event? Same type, dates within a day, the same parties.

Parties are compared after person resolution (canonical person ids). The sides (countries)
must be the same, unless one report names a single side that the other has. Two reports stay
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


def _one_sided(a: frozenset[str], b: frozenset[str]) -> bool:
    """One report names a single side and the other report has it too: a remark or a briefing that
    names only the visitor ("He met virtually with Prime Minister Modi") is not another meeting."""
    short, long = sorted((a, b), key=len)
    return len(short) == 1 and short <= long


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
    if a.countries and b.countries and a.countries != b.countries and not _one_sided(a.countries, b.countries):
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


@dataclass(frozen=True)
class ReportFacts:
    """One event report as event resolution sees it."""

    id: int
    document: int
    doc_key: str  # the document's content hash: an order independent of ingest order
    local_id: str
    facts: EventFacts


@dataclass(eq=False)  # identity: one mutable group
class ReportGroup:
    reports: list[ReportFacts] = field(default_factory=list)
    facts: EventFacts | None = None
    reasons: dict[int, tuple[str, float]] = field(default_factory=dict)


def cluster_reports(reports: list[ReportFacts]) -> list[ReportGroup]:
    """Group reports into events: each report, in date and content order, joins the group whose
    reports together are :func:`same_event` with it (the best overlap), never a group that already
    holds a report of its own document (one document's reports are distinct events)."""
    groups: list[ReportGroup] = []
    by_day: dict[tuple[str, date], list[ReportGroup]] = {}
    for r in sorted(reports, key=lambda r: (r.facts.date or date.max, r.doc_key, r.local_id)):
        f = r.facts
        best: tuple[float, ReportGroup, str] | None = None
        why: list[str] = []
        if f.date is not None:
            near = [g for d in range(-MAX_DAYS_APART, MAX_DAYS_APART + 1)
                    for g in by_day.get((f.type, f.date.fromordinal(f.date.toordinal() + d)), ())]
            for g in dict.fromkeys(near):
                if any(x.document == r.document for x in g.reports):
                    continue
                assert g.facts is not None
                same, reason, score = same_event(f, g.facts)
                if same and (best is None or score > best[0]):
                    best = (score, g, reason)
                elif not same:
                    why.append(reason)
        if best is None:
            g = ReportGroup()
            groups.append(g)
            g.reasons[r.id] = ("new event" + (f" ({'; '.join(why[:5])})" if why else "")
                               if f.date else "new event (no date to match on)", 1.0)
        else:
            g = best[1]
            g.reasons[r.id] = (best[2], best[0])
        g.reports.append(r)
        g.facts = union([x.facts for x in g.reports])
        if f.date is not None:
            by_day.setdefault((f.type, f.date), []).append(g)
    return groups
