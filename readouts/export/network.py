"""The who-met-whom graph shared by the GEXF and GraphML exports.

Nodes are ``person/<id>``, ``organization/<id>`` and ``country/<ISO3>`` with ``label``, ``kind``,
``country`` and ``n_events``. Two parties that took part in the same event are joined by a
``met`` edge whose ``weight`` is the number of events they shared, with their ``first_date``,
``last_date``, every ``dates`` and ``event_ids`` (";"-separated) and the event ``types``. A
person or organization is also joined to the country it serves by a ``represents`` edge
(weight 1), so that countries are hubs of their people.

The graph grows with the number of entities and links; the events that build it are read a
page at a time.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from readouts.export.source import EventRow, Source

if TYPE_CHECKING:
    import networkx as nx


@dataclass
class _Link:
    events: set[int] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)


def parties(e: EventRow) -> list[str]:
    """The nodes an event joins: its persons (delegation members included), organizations, and
    countries that took part with no named party standing for them."""
    out = [f"person/{pid}" for pid in e.person_ids()]
    out += [f"organization/{p.organization_id}" for p in e.participants if p.organization_id is not None]
    out += [f"country/{p.country}" for p in e.participants if p.country and (
        p.kind == "country" or (p.kind == "delegation" and not e.members.get(p.delegation_id or -1)))]
    return list(dict.fromkeys(out))


def build_graph(source: Source) -> nx.Graph:
    import networkx as nx

    links: dict[tuple[str, str], _Link] = defaultdict(_Link)
    n_events: Counter[str] = Counter()
    for e in source.events(with_evidence=False):
        nodes = parties(e)
        n_events.update(nodes)
        for a, b in combinations(sorted(nodes), 2):
            link = links[(a, b)]
            link.events.add(e.id)
            link.types.add(e.type)
            if date := e.first_date():
                link.dates.add(date)
    g = nx.Graph(name="readouts: who met whom")
    _add_nodes(g, source, n_events)
    for (a, b), link in links.items():
        dates = sorted(link.dates)
        g.add_edge(a, b, kind="met", weight=len(link.events), first_date=dates[0] if dates else "",
                   last_date=dates[-1] if dates else "", dates=";".join(dates),
                   event_ids=";".join(map(str, sorted(link.events))), types=";".join(sorted(link.types)))
    return g


def _add_nodes(g: nx.Graph, source: Source, n_events: Counter[str]) -> None:
    """Every person and organization of the export (met someone or not), and their countries."""
    for p in source.person_briefs():
        _node(g, f"person/{p.id}", p.name, "person", p.country, n_events)
    for o in source.organization_briefs():
        label = f"{o.name} ({o.acronym})" if o.acronym and o.acronym not in o.name else o.name
        _node(g, f"organization/{o.id}", label, "organization", o.country, n_events, org_kind=o.kind)
    for node in [n for n in n_events if n.startswith("country/")]:
        _country(g, node[8:], n_events)


def _node(g: nx.Graph, node: str, label: str, kind: str, country: str | None, n_events: Counter[str],
          **extra: str) -> None:
    g.add_node(node, label=label, kind=kind, country=country or "", n_events=n_events[node], **extra)
    if country:
        _country(g, country, n_events)
        g.add_edge(node, f"country/{country}", kind="represents", weight=1, first_date="", last_date="",
                   dates="", event_ids="", types="")


def _country(g: nx.Graph, code: str, n_events: Counter[str]) -> None:
    node = f"country/{code}"
    if node not in g:
        g.add_node(node, label=code, kind="country", country=code, n_events=n_events[node])
