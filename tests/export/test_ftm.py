"""FtM export: every line is an entity that followthemoney re-validates value by value."""
from __future__ import annotations

import json
from collections import Counter

import pytest

followthemoney = pytest.importorskip("followthemoney")


@pytest.fixture(scope="module")
def entities(exported):
    from followthemoney import model

    out = []
    for line in exported("ftm").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        strict = model.get_proxy(data, cleaned=False)  # re-cleans every value from scratch
        assert strict.to_dict()["properties"] == data["properties"], f"a value did not survive cleaning: {data}"
        strict.schema.validate(data)
        out.append(strict)
    return out


def test_every_kind_of_entity_is_there(entities):
    kinds = Counter(e.schema.name for e in entities)
    for schema in ("Person", "PublicBody", "Position", "Occupancy", "Membership", "Event"):
        assert kinds[schema] > 0, kinds
    assert kinds["Organization"] > 0  # named bodies of other kinds, and delegations


def test_ids_are_unique_and_references_resolve(entities):
    ids = [e.id for e in entities]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for e in entities:
        for prop, value in e.itervalues():
            if prop.type.name == "entity":
                assert value in known, f"{e.schema.name}.{prop.name} points at a missing entity"


def test_blinken_ebrard_call(entities):
    by_id = {e.id: e for e in entities}
    calls = [e for e in entities if e.schema.name == "Event" and "2021-07-14" in e.get("date")
             and {"Antony J. Blinken", "Marcelo Ebrard Casaubon"} <= {by_id[i].caption for i in e.get("involved")}]
    assert calls, "the known call is not exported"
    call = calls[0]
    assert "mx" in call.get("country") and "us" in call.get("country")
    assert any(url.startswith("https://www.state.gov/") for url in call.get("sourceUrl"))
    assert call.get("publisher") and "Blinken" in call.first("summary")


def test_occupancy_spans_first_to_last_seen(entities):
    by_id = {e.id: e for e in entities}
    occ = [e for e in entities if e.schema.name == "Occupancy"
           and by_id[e.first("holder")].caption == "Antony J. Blinken"
           and by_id[e.first("post")].caption.startswith("Secretary of State")]
    assert occ
    assert all(o.first("startDate") <= o.first("endDate") for o in occ if o.has("startDate"))


def test_delegation_membership(entities):
    by_id = {e.id: e for e in entities}
    members = {by_id[m.first("member")].caption for m in entities if m.schema.name == "Membership"
               and by_id[m.first("organization")].first("classification") == "delegation"
               and by_id[m.first("organization")].first("country") == "mx"}
    assert {"Marcelo Ebrard Casaubon", "Roberto Velasco Álvarez"} <= members


def test_every_entity_from_a_web_document_carries_its_source(entities):
    persons = [e for e in entities if e.schema.name == "Person"]
    assert sum(1 for p in persons if p.has("sourceUrl") and p.has("publisher")) >= len(persons) // 2
