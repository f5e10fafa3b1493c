"""Popolo export: one JSON object whose items validate against the Popolo JSON Schemas."""
from __future__ import annotations

import json

import pytest

from tests.conftest import SHARED

POPOLO = SHARED / "reference" / "popolo"
SCHEMA_OF = {"persons": "person", "organizations": "organization", "posts": "post",
             "memberships": "membership", "events": "event"}


@pytest.fixture(scope="module")
def validators():
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    if not POPOLO.is_dir():
        pytest.skip(f"Popolo schemas not present at {POPOLO}")
    schemas = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in POPOLO.glob("*.json")}
    registry = Registry().with_resources(
        (s["id"].rstrip("#"), Resource.from_contents(s, default_specification=DRAFT3)) for s in schemas.values())
    return {name: jsonschema.Draft3Validator(schemas[name], registry=registry,
                                             format_checker=jsonschema.Draft3Validator.FORMAT_CHECKER)
            for name in SCHEMA_OF.values()}


@pytest.fixture(scope="module")
def popolo(exported):
    return json.loads(exported("popolo").read_text(encoding="utf-8"))


def test_every_item_validates_against_its_schema(popolo, validators):
    assert set(popolo) == set(SCHEMA_OF)
    for key, schema in SCHEMA_OF.items():
        assert popolo[key], f"no {key}"
        for item in popolo[key]:
            errors = list(validators[schema].iter_errors(item))
            assert not errors, f"{key} {item.get('id')}: {errors[0].message}"


def test_the_validator_rejects_a_bad_item(validators):
    assert list(validators["membership"].iter_errors({"id": "m", "start_date": "14 July 2021"}))
    assert list(validators["person"].iter_errors({"id": "p", "sources": [{"note": "no url"}]}))
    assert list(validators["person"].iter_errors({"id": "p", "other_names": [{"name": 5}]}))  # via $ref


def test_references_resolve(popolo):
    ids = {item["id"] for key in SCHEMA_OF for item in popolo[key]}
    for m in popolo["memberships"]:
        for ref in ("person_id", "organization_id", "post_id"):
            assert m.get(ref) is None or m[ref] in ids, (ref, m)
    for e in popolo["events"]:
        assert all(a["id"] in ids for a in e["attendees"])


def test_blinken_and_ebrard_attend_the_call(popolo):
    calls = [e for e in popolo["events"] if e["classification"] == "call" and e["start_date"] == "2021-07-14"]
    names = {a["name"] for e in calls for a in e["attendees"]}
    assert {"Antony J. Blinken", "Marcelo Ebrard Casaubon"} <= names
    assert any(s["url"].startswith("https://www.state.gov/") for e in calls for s in e["sources"])


def test_delegation_members_are_memberships(popolo):
    delegations = {o["id"] for o in popolo["organizations"] if o["classification"] == "delegation"}
    assert delegations
    assert any(m["organization_id"] in delegations and m["role"] == "delegation member"
               for m in popolo["memberships"])
