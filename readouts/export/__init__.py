"""Exports of the store, one module per format, each registered by name.

    export(store, format="ftm", out="engagements.ftm.jsonl", filter=EventFilter(country="MEX"))

Every format streams: it reads the store a page at a time (see :mod:`readouts.export.source`)
and writes as it goes, so memory does not grow with the store. The network formats keep the
graph itself in memory, which grows with the number of entities, not of documents.

=========  =====================================================================================
ftm        FollowTheMoney entities, JSON Lines (Person, PublicBody/Organization, Position,
           Occupancy, Membership, Event)
popolo     one Popolo JSON object: persons, organizations, posts, memberships, events
plover     PLOVER event records, JSON Lines, one per report of an event
gexf       who-met-whom network, GEXF (Gephi)
graphml    who-met-whom network, GraphML
csv        a folder of CSV tables that join on their ids
parquet    the same tables as Parquet files
=========  =====================================================================================
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from readouts.export.registry import EXPORTERS, Exporter, exporter, exporters, get_exporter
from readouts.export.source import PAGE, Source
from readouts.export.target import Target
from readouts.filters import EventFilter
from readouts.store.db import Store

# The built-in formats register themselves on import, the same way a plugin does.
from readouts.export import csv, ftm, gexf, graphml, parquet, plover, popolo  # noqa: F401  isort: skip


@dataclass
class ExportReport:
    format: str
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def export(store: Store, *, format: str, out: str | Path | IO[bytes] | None = None,
           filter: EventFilter | None = None, page_size: int = PAGE) -> ExportReport:
    """Write the store (narrowed by ``filter``) in ``format`` to ``out``: a path, ``"-"``/None for
    standard output, or a binary stream. The table formats need a folder path."""
    fmt = get_exporter(format)
    target = Target.of(out)
    started = time.perf_counter()
    with store.session() as session, Source(session, filter, page_size=page_size) as source:
        counts = fmt.write(source, target)
    return ExportReport(fmt.name, target.name, counts, time.perf_counter() - started)


__all__ = ["EXPORTERS", "ExportReport", "Exporter", "Source", "Target", "export", "exporter", "exporters",
           "get_exporter"]
