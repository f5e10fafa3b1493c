"""GEXF and GraphML exports load in networkx with the people, bodies and countries, and who met whom."""
from __future__ import annotations

import networkx as nx
import pytest

from tests.export.conftest import db_rows


@pytest.fixture(scope="module", params=["gexf", "graphml"])
def graph(request, exported):
    path = exported(request.param)
    return nx.read_gexf(path) if request.param == "gexf" else nx.read_graphml(path)


def _node(g, label):
    found = [n for n, d in g.nodes(data=True) if d.get("label") == label]
    assert len(found) == 1, (label, found)
    return found[0]


def test_blinken_met_ebrard(graph):
    blinken, ebrard = _node(graph, "Antony J. Blinken"), _node(graph, "Marcelo Ebrard Casaubon")
    assert graph.has_edge(blinken, ebrard)
    edge = graph.edges[blinken, ebrard]
    assert edge["kind"] == "met" and int(edge["weight"]) >= 1
    assert "2021-07-14" in edge["dates"].split(";")
    assert edge["first_date"] <= edge["last_date"]
    assert graph.nodes[blinken]["country"] == "USA" and graph.nodes[blinken]["kind"] == "person"


def test_nodes_are_the_stores_persons_organizations_and_countries(graph, store):
    kinds = {}
    for _, d in graph.nodes(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    (persons,), = db_rows(store, "SELECT count(*) FROM persons WHERE merged_into_id IS NULL")
    (orgs,), = db_rows(store, "SELECT count(*) FROM organizations")
    assert kinds["person"] == persons and kinds["organization"] == orgs and kinds["country"] >= 2


def test_countries_are_hubs_of_their_people(graph):
    mex = "country/MEX"
    assert graph.nodes[mex]["kind"] == "country"
    ebrard = _node(graph, "Marcelo Ebrard Casaubon")
    assert graph.edges[ebrard, mex]["kind"] in ("represents", "met")


def test_met_weights_count_shared_events(graph):
    for _, _, d in graph.edges(data=True):
        if d["kind"] == "met":
            assert int(d["weight"]) == len(d["event_ids"].split(";"))
