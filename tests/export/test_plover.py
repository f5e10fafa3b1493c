"""PLOVER export: JSON Lines that DuckDB reads, with the manual's required fields and true offsets."""
from __future__ import annotations

import json

import pytest

from tests.export.conftest import db_rows

FIELDS = ("id", "date", "actor", "recipient", "event", "mode", "context", "event_loc", "text_info", "cite_info")


@pytest.fixture(scope="module")
def records(exported):
    return [json.loads(line) for line in exported("plover").read_text(encoding="utf-8").splitlines()]


def test_every_record_has_the_fields(records):
    assert records
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert all(f in r for f in FIELDS), r
        assert isinstance(r["actor"], list) and isinstance(r["event"], list)
        assert r["has_event"] == bool(r["event"])
        assert r["date"] is None or len(r["date"]) == 10


def test_most_records_are_coded_with_a_date_and_two_sides(records):
    coded = [r for r in records if r["event"]]
    assert len(coded) >= len(records) * 0.8
    assert all(e in {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID", "YIELD", "DEMAND", "ACCUSE", "REJECT",
                     "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"} for r in coded for e in r["event"])
    assert sum(1 for r in records if r["date"]) >= len(records) * 0.5


def test_text_info_offsets_point_at_the_sentence(records, store):
    checked = 0
    for r in records:
        ti = r["text_info"]
        if not ti:
            continue
        (text,) = db_rows(store, "SELECT d.text FROM documents d JOIN event_reports er ON er.document_id = d.id "
                                 "WHERE er.id = :rid", rid=int(r["id"].removeprefix("readouts-r")))[0:1]
        sentences = [text[0][s:e] for s, e in ti["spans"]]
        assert ti["sentence"] == " ".join(sentences)
        assert ti["start"] == ti["spans"][0][0] and ti["end"] == ti["spans"][-1][1]
        checked += 1
    assert checked >= len(records) * 0.8


def test_the_known_call(records):
    call = [r for r in records if r["date"] == "2021-07-14" and r["event"] == ["CONSULT"] and r["mode"] == ["phone"]
            and r["cite_info"]["url"] and "blinkens-call" in r["cite_info"]["url"]]
    assert len(call) == 1
    sides = {e["code"] for e in call[0]["actor"]} | {e["code"] for e in call[0]["recipient"]}
    assert sides == {"USA", "MEX"}
    assert {e["code"] for e in call[0]["actor"]} != {e["code"] for e in call[0]["recipient"]}
    assert call[0]["cite_info"]["publication"] == "U.S. Department of State"
    assert call[0]["context"] == ["migration", "security"]


def test_duckdb_reads_the_lines(exported, records):
    duckdb = pytest.importorskip("duckdb")
    path = exported("plover")
    ((n, with_actor),) = duckdb.connect().execute(
        f"SELECT count(*), count(actor) FROM read_json_auto('{path}', format='newline_delimited')").fetchall()
    assert n == len(records) and with_actor == n
