"""The who-met-whom network as GraphML (see :mod:`readouts.export.network`)."""
from __future__ import annotations

from readouts.export.network import build_graph
from readouts.export.registry import exporter
from readouts.export.source import Source
from readouts.export.target import Target


@exporter("graphml", description="who-met-whom network (GraphML)", suffix=".graphml",
          open_with="Gephi, Cytoscape, yEd, networkx (`nx.read_graphml`), igraph (`Graph.Read_GraphML`)")
def write_graphml(source: Source, target: Target) -> dict[str, int]:
    import networkx as nx

    g = build_graph(source)
    with target.binary() as out:
        nx.write_graphml(g, out)
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
