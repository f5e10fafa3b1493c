"""Golden files: real corpus sentences and the event fragments the extractor must find in them.

Each tests/golden/events/<name>.json holds the text (with its corpus id as `source`), the
document date (and its title, when the title matters), and `expect`: event fragments (type, status, date, location, participant names or
countries, PLOVER) that some event must match; `count` pins how many events of a type there are.
Names are matched leniently (a participant whose name contains the expected one) because the
entity stage that fills persons evolves on its own.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from readouts.extract.pipeline import extract
from readouts.model import Event, Record

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "events"
CASES = sorted(GOLDEN.glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _names(record: Record, ev: Event) -> list[str]:
    names = []
    for pid in ev.participants.persons:
        p = record.person(pid)
        if p:
            names += [p.name, *p.aliases]
    for d in record.delegations:
        if d.id in ev.participants.delegations:
            names += [n for m in d.members if (p := record.person(m)) for n in [p.name, *p.aliases]]
    return names


def _matches(record: Record, ev: Event, want: dict) -> list[str]:
    """What differs between an event and an expected fragment (empty: it matches)."""
    diffs = []
    for key in ("type", "status", "date"):
        if key in want and getattr(ev, key) != want[key]:
            diffs.append(f"{key} {getattr(ev, key)!r} != {want[key]!r}")
    if "location" in want:
        loc = (ev.location or "").lower()
        if not all(w in loc for w in want["location"].lower().replace(",", " ").split()):
            diffs.append(f"location {ev.location!r} lacks {want['location']!r}")
    names = _names(record, ev)
    for person in want.get("persons", []):
        if not any(person.lower() in n.lower() or n.lower() in person.lower() for n in names):
            diffs.append(f"no participant {person!r} in {names}")
    for c in want.get("countries", []):
        if c not in ev.participants.countries:
            diffs.append(f"no country {c} in {ev.participants.countries}")
    if "plover" in want and (ev.plover is None or ev.plover.model_dump() != want["plover"]):
        diffs.append(f"plover {ev.plover} != {want['plover']}")
    if "evidence_sentences" in want and len(ev.evidence) != want["evidence_sentences"]:
        diffs.append(f"{len(ev.evidence)} evidence sentences, not {want['evidence_sentences']}")
    return diffs


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    cases = {p.stem: _load(p) for p in CASES}
    return {k: extract(c["text"], date=c["date"], title=c.get("title")) for k, c in cases.items()}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_events(path: Path, records: dict[str, Record]) -> None:
    case, record = _load(path), records[path.stem]
    unmatched = list(record.events)
    for want in case["expect"]:
        tried = {ev.id: _matches(record, ev, want) for ev in unmatched}
        hit = next((i for i, d in tried.items() if not d), None)
        assert hit is not None, f"{case['name']}: no event like {want}; closest: {tried}"
        unmatched = [ev for ev in unmatched if ev.id != hit]
    for kind, n in case.get("count", {}).items():
        got = [ev for ev in record.events if ev.type == kind]
        assert len(got) == n, f"{case['name']}: {len(got)} {kind} events, expected {n}: {got}"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_evidence_points_into_text(path: Path, records: dict[str, Record]) -> None:
    record = records[path.stem]
    text = record.document.text
    for ev in record.events:
        assert ev.evidence, ev
        for s, e in ev.evidence:
            assert 0 <= s < e <= len(text) and text[s:e].strip()
