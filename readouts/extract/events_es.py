"""Events of Spanish documents (placeholder until the Spanish patterns land)."""
from __future__ import annotations

from spacy.tokens import Doc

from readouts.model import Record


def fill(record: Record, doc: Doc) -> None:
    return None
