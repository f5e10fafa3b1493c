"""Golden fragments: real sentences from the corpus and the seed release, with the record part they must yield.

Each tests/golden/entities/*.json holds {"text": ..., "expect": {...}} (and the release's "url" where its
address names the issuing government). The expected persons,
organizations and delegations must be contained in the extractor's record (extra entries are
allowed); "only_positions" lists every title a person may have; names under "not_persons" / "not_organizations" must not appear at all.
"""
from __future__ import annotations

import json
import re

import pytest

from readouts.extract import extract
from readouts.model import Record
from tests.conftest import GOLDEN

CASES = sorted((GOLDEN / "entities").glob("*.json"))


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.stem)
def case(request) -> tuple[dict, Record]:
    data = json.loads(request.param.read_text(encoding="utf-8"))
    return data["expect"], extract(data["text"], source=data.get("url"))  # the address, when it names the issuer


def _person(record: Record, name: str):
    found = [p for p in record.persons if p.name == name]
    assert found, f"no person {name!r}; got {[p.name for p in record.persons]}"
    return found[0]


def _org_name(record: Record, oid: str | None) -> str | None:
    org = record.organization(oid) if oid else None
    return org.name if org else None


def _states(expect: dict, *keys: str) -> None:
    """A check runs only on a golden file that states what it checks: no vacuous passes."""
    if not any(k in expect for k in keys):
        pytest.skip(f"the golden file states no {' / '.join(keys)}")


def test_persons(case):
    expect, record = case
    _states(expect, "persons")
    for want in expect.get("persons", []):
        got = _person(record, want["name"])
        assert set(want.get("aliases", [])) <= set(got.aliases), got.aliases
        if "country" in want:
            assert got.country == want["country"], f"{got.name}: {got.country}"
        have = [(pos.title.lower(), _org_name(record, pos.organization)) for pos in got.positions]
        if "only_positions" in want:
            assert sorted(t for t, _ in have) == sorted(t.lower() for t in want["only_positions"]), have
        for pos in want.get("positions", []):
            assert any(t == pos["title"].lower() and ("organization" not in pos or o == pos["organization"])
                       for t, o in have), f"{got.name}: {pos} not in {have}"


def test_organizations(case):
    expect, record = case
    _states(expect, "organizations")
    for want in expect.get("organizations", []):
        found = [o for o in record.organizations if o.name == want["name"] or want["name"] in o.aliases]
        assert found, f"no organization {want['name']!r}; got {[o.name for o in record.organizations]}"
        for key in ("acronym", "country"):
            if key in want:
                assert getattr(found[0], key) == want[key], f"{want['name']}: {key}"


def test_delegations(case):
    expect, record = case
    _states(expect, "delegations")
    for want in expect.get("delegations", []):
        side = [d for d in record.delegations if d.country == want["country"]]
        assert side, f"no {want['country']} delegation; got {[d.country for d in record.delegations]}"
        members = {record.person(m).name for m in side[0].members}  # type: ignore[union-attr]
        assert set(want["members"]) <= members, members


def test_nothing_wrong(case):
    expect, record = case
    _states(expect, "not_persons", "not_organizations")
    names = {p.name for p in record.persons} | {a for p in record.persons for a in p.aliases}
    orgs = {o.name for o in record.organizations} | {a for o in record.organizations for a in o.aliases}
    assert not names & set(expect.get("not_persons", []))
    assert not orgs & set(expect.get("not_organizations", []))


def test_mentions_quote_the_name(case):
    _, record = case
    text = record.document.text
    for p in record.persons:
        forms = {p.name, *p.aliases}
        for s, e in p.mentions:
            assert text[s:e] in forms, (p.name, text[s:e])


def test_position_evidence_states_the_title(case):
    _, record = case
    text = record.document.text
    for p in record.persons:
        for pos in p.positions:
            assert pos.evidence, (p.name, pos.title)
            for s, e in pos.evidence:
                assert 0 <= s < e <= len(text)
                stated = set(re.findall(r"\w+", text[s:e].lower()))
                assert set(re.findall(r"\w+", pos.title.lower())) <= stated, (p.name, pos.title, text[s:e])
