"""The filters a user can put on events, shared by the CLI, the API and the exports."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventFilter:
    """Which events to take. Every field narrows; None means no limit on it.

    between:  two ISO alpha-3 codes; events with participants from both sides
    country:  ISO alpha-3; events with a participant from that country
    person:   a person's name (resolved like `readouts person NAME`) or canonical id
    topic:    a topic label ("migration")
    type:     call | meeting | visit | signing
    status:   happened | planned | referenced
    since, until: ISO dates, inclusive
    """

    between: tuple[str, str] | None = None
    country: str | None = None
    person: str | None = None
    topic: str | None = None
    type: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None
