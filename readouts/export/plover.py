"""PLOVER event records, one JSON object per line (PLOVER manual, chapter 6, "Data fields").

One record per *report* of an event: PLOVER codes what a text says, so the same call told by
the White House and by the State Department gives two records that share ``link`` (the
canonical event). Fields:

    id          "readouts-r<report id>"
    date        the date the report gives the event, else its document's date
    actor       entity objects of the first side named: code (ISO3), sector, entity_text,
    recipient   identifier_id; the recipient is every other side
    event       [PLOVER category] as the extractor coded it; [] with ``has_event: false`` when it did not
    mode        [mode] when there is one
    context     the event's topics
    event_loc   {"extracted_place": …}
    text_info   start/end offsets of the evidence into the document text, every span, the sentence(s)
    cite_info   url, title, language, publication, citation (the source's own id), coder, codebook
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from readouts.export.registry import exporter
from readouts.export.source import EventRow, Participant, Report, Source
from readouts.export.target import Target

SECTORS = {"ministry": "GOV", "agency": "GOV", "embassy": "GOV", "council": "GOV", "legislature": "LEG",
           "party": "PTY", "ngo": "NGO", "think_tank": "NGO", "international": "IGO", "company": "BUS"}
CODEBOOK = "plover-0.8"


def coder() -> str:
    from readouts import __version__

    return f"readouts {__version__}"


@exporter("plover", description="PLOVER event records (JSON Lines)", suffix=".plover.jsonl",
          open_with="pandas (`pd.read_json(path, lines=True)`), R (`jsonlite::stream_in`), PLOVER/OEDA tools")
def write_plover(source: Source, target: Target) -> dict[str, int]:
    n = 0
    with target.binary() as out:
        for record in records(source):
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            n += 1
    return {"events": n}


def records(source: Source) -> Iterator[dict[str, Any]]:
    for event in source.events():
        for report in event.reports:
            yield record(event, report)


def record(event: EventRow, report: Report) -> dict[str, Any]:
    actor, recipient = sides([p for p in event.participants if p.report_id == report.id], event)
    code = report.plover or {}
    doc = report.document
    return {
        "id": f"readouts-r{report.id}",
        "date": report.date or doc.date or event.date,
        "actor": actor,
        "recipient": recipient,
        "has_event": bool(code.get("event")),
        "event": [code["event"]] if code.get("event") else [],
        "mode": [code["mode"]] if code.get("mode") else [],
        "context": report.topics or event.topics,
        "event_loc": {"extracted_place": report.location} if report.location else None,
        "event_text": report.evidence,
        "text_info": _text_info(report),
        "cite_info": {"url": doc.url, "title": doc.title, "language": doc.language, "publication": doc.publisher,
                      "citation": doc.external_id or doc.hash, "coder": coder(), "codebook": CODEBOOK},
        "link": f"readouts-e{event.id}",
        "type": report.type,
        "status": report.status,
        "coder": coder(),
    }


def _text_info(report: Report) -> dict[str, Any] | None:
    if not report.spans:
        return None
    return {"start": report.spans[0][0], "end": report.spans[-1][1], "spans": [list(s) for s in report.spans],
            "sentence": " ".join(report.evidence) or None}


def sides(parts: list[Participant], event: EventRow) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Actor and recipient: the actor is the side (country) of the first party named, in the order the
    text names them; every other party is a recipient."""
    entities = [e for p in parts for e in _entities(p, event)]
    first = next((e["code"] for e in entities if e.get("code")), None)
    actor = [e for e in entities if e.get("code") == first] if first else entities[:1]
    recipient = [e for e in entities if e not in actor]
    return actor, recipient


def _entities(p: Participant, event: EventRow) -> list[dict[str, Any]]:
    if p.kind == "country":
        return [{"code": p.country}]
    if p.kind == "delegation":
        members = event.members.get(p.delegation_id or -1, [])
        return [_entity(m.country or p.country, m.name, f"readouts:person:{m.person_id}" if m.person_id else None)
                for m in members] or [_entity(p.country, f"{p.country or 'unidentified'} delegation", None)]
    if p.kind == "organization":
        e = _entity(p.country, p.name, f"readouts:organization:{p.organization_id}" if p.organization_id else None)
        if sector := SECTORS.get(p.organization_kind or ""):
            e["sector"] = sector
        return [e]
    return [_entity(p.country, p.name, f"readouts:person:{p.person_id}" if p.person_id else None)]


def _entity(code: str | None, text: str | None, identifier: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"code": code, "entity_text": text}
    if identifier:
        out["identifier_id"] = identifier
    return out
