"""The who-met-whom network as GEXF 1.2 (see :mod:`readouts.export.network`), for Gephi."""
from __future__ import annotations

from readouts.export.network import build_graph
from readouts.export.registry import exporter
from readouts.export.source import Source
from readouts.export.target import Target


@exporter("gexf", description="who-met-whom network (GEXF)", suffix=".gexf",
          open_with="Gephi (File › Open), networkx (`nx.read_gexf`), sigma.js")
def write_gexf(source: Source, target: Target) -> dict[str, int]:
    import networkx as nx

    g = build_graph(source)
    with target.binary() as out:
        nx.write_gexf(g, out, version="1.2draft")
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
