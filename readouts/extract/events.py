"""Events (calls, meetings, visits, signings) found in a parsed document. Placeholder: none yet."""
from __future__ import annotations

from spacy.tokens import Doc

from readouts.model import Record


def fill(record: Record, doc: Doc) -> None:
    record.events = []
