"""PLOVER event type and mode of an event (mapping in data/plover.yaml, after the PLOVER manual)."""
from __future__ import annotations

from readouts.extract.events.lexicon import plover_table
from readouts.model import Event, Plover, Record


def code(ev: Event, record: Record, *, place_country: str | None, multilateral: bool) -> Plover | None:
    row = (plover_table().get(ev.type) or {}).get(ev.status)
    if not row:
        return None
    mode = row.get("mode")
    if mode == "auto":
        mode = _meeting_mode(ev, record, place_country, multilateral)
    return Plover(event=row["event"], mode=mode)


def _meeting_mode(ev: Event, record: Record, place_country: str | None, multilateral: bool) -> str | None:
    ps = ev.participants
    orgs = [record.organization(o) for o in ps.organizations]
    sides = set(ps.countries)
    sides |= {p.country for p in (record.person(i) for i in ps.persons) if p and p.country}
    sides |= {d.country for d in record.delegations if d.id in ps.delegations and d.country}
    for mode in plover_table().get("meeting_modes", []):
        if mode == "multilateral" and (multilateral or len(sides) >= 3 or
                                       any(o is not None and o.kind == "international" for o in orgs)):
            return mode
        if mode == "third-party" and place_country and len(sides) >= 2 and place_country not in sides:
            return mode
        if mode == "visit" and place_country and place_country in sides:
            return mode
    return None
