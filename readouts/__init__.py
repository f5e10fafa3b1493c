"""readouts: structured records of diplomatic engagements from press releases and readouts."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Delegation", "Document", "Event", "Organization", "Person", "Record", "__version__", "extract"]

if TYPE_CHECKING:
    from readouts.extract import extract
    from readouts.model import Delegation, Document, Event, Organization, Person, Record


def __getattr__(name: str) -> Any:
    # Lazy: importing readouts must not load spaCy until extraction is asked for.
    if name == "extract":
        from readouts.extract import extract
        return extract
    if name in {"Record", "Document", "Person", "Organization", "Delegation", "Event"}:
        from readouts import model
        return getattr(model, name)
    raise AttributeError(name)
