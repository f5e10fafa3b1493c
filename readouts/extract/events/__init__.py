"""The event stage: calls, meetings, visits and signings, with their parties, date, place and status.

English documents go through ``english`` (dependency rules over spaCy's parse, with the triggers in
data/en/events_triggers.yaml); Spanish ones through ``spanish`` (spaCy Matcher patterns in
data/es/events.yaml). Both run after the entity stage: an event's participants are its entities' ids.
"""
from __future__ import annotations

from spacy.tokens import Doc

from readouts.model import Record


def fill(record: Record, doc: Doc) -> None:
    if doc.lang_ == "es":
        from readouts.extract.events import spanish
        spanish.fill(record, doc)
    else:
        from readouts.extract.events import english
        english.fill(record, doc)
