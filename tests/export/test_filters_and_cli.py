"""Filters narrow every format; the CLI writes files and standard output; formats are registered by name;
pagination does not change what is written."""
from __future__ import annotations

import json

import pytest

from readouts.filters import EventFilter


def _export(store, fmt, out, **filters):
    from readouts.export import export

    return export(store, format=fmt, out=out, filter=EventFilter(**filters) if filters else None)


def _plover(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_between_keeps_only_events_with_both_sides(store, tmp_path, exported):
    everything = _plover(exported("plover"))
    _export(store, "plover", tmp_path / "mex-usa.jsonl", between=("MEX", "USA"))
    narrowed = _plover(tmp_path / "mex-usa.jsonl")
    assert 0 < len(narrowed) < len(everything)
    links = {r["link"] for r in narrowed}
    for link in links:
        codes = {e["code"] for r in everything if r["link"] == link for e in r["actor"] + r["recipient"]}
        assert {"MEX", "USA"} <= codes, link


def test_type_and_dates_narrow_ftm(store, tmp_path):
    from readouts.export.ftm import read_entities

    _export(store, "ftm", tmp_path / "calls.jsonl", type="call", since="2021-07-01", until="2021-07-31")
    entities = list(read_entities(tmp_path.joinpath("calls.jsonl").read_text(encoding="utf-8").splitlines()))
    events = [e for e in entities if e.schema.name == "Event"]
    assert events
    assert all("call" in e.get("keywords") and "2021-07-01" <= e.first("date") <= "2021-07-31" for e in events)
    # The persons are the ones taking part, not the whole store.
    involved = {i for e in events for i in e.get("involved")}
    assert {e.id for e in entities if e.schema.name == "Person"} <= involved


def test_person_filter_narrows_tables(store, tmp_path, exported):
    duckdb = pytest.importorskip("duckdb")
    _export(store, "parquet", tmp_path / "blinken", person="Blinken")
    con = duckdb.connect()

    def count(folder, table):
        return con.execute(f"SELECT count(*) FROM read_parquet('{folder}/{table}.parquet')").fetchall()[0][0]
    assert 0 < count(tmp_path / "blinken", "events") < count(exported("parquet"), "events")
    without_blinken = con.execute(f"""
        SELECT count(*) FROM read_parquet('{tmp_path}/blinken/events.parquet') e
        WHERE NOT EXISTS (SELECT 1 FROM read_parquet('{tmp_path}/blinken/participants.parquet') p
                          JOIN read_parquet('{tmp_path}/blinken/persons.parquet') pe ON pe.id = p.person_id
                          WHERE p.event_id = e.id AND pe.name LIKE '%Blinken%')""").fetchall()[0][0]
    assert without_blinken == 0


def test_filtered_network_keeps_the_pair(store, tmp_path):
    import networkx as nx

    _export(store, "graphml", tmp_path / "mex.graphml", country="MEX", topic="migration")
    g = nx.read_graphml(tmp_path / "mex.graphml")
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert {"Antony J. Blinken", "Marcelo Ebrard Casaubon"} <= labels
    assert "country/MEX" in g


def test_pagination_does_not_change_the_output(store, tmp_path):
    from readouts.export import export

    for fmt in ("ftm", "popolo", "plover"):
        export(store, format=fmt, out=tmp_path / f"big.{fmt}", page_size=500)
        export(store, format=fmt, out=tmp_path / f"small.{fmt}", page_size=3)
        assert (tmp_path / f"big.{fmt}").read_bytes() == (tmp_path / f"small.{fmt}").read_bytes(), fmt


def test_cli_writes_stdout_and_files(cli, export_store, tmp_path):
    result = cli("--db", export_store, "export", "--format", "plover", "--between", "mex", "usa")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all("actor" in r for r in lines)
    result = cli("--db", export_store, "export", "-f", "csv", "-o", str(tmp_path / "tables"), "--country", "MEX")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tables" / "participants.csv").exists()
    assert not list(tmp_path.glob("**/*.partial"))


def test_cli_errors(cli, export_store, tmp_path):
    assert cli("--db", export_store, "export", "-f", "csv").exit_code == 2  # a folder is needed
    bad = cli("--db", export_store, "export", "-f", "xml", "-o", str(tmp_path / "x"))
    assert bad.exit_code == 1 and "ftm" in bad.output
    nobody = cli("--db", export_store, "export", "-f", "ftm", "-o", str(tmp_path / "x.jsonl"), "--person", "Zzyzx")
    assert nobody.exit_code == 1 and not (tmp_path / "x.jsonl").exists()


def test_a_format_registered_by_name_is_used_like_the_built_ins(store, cli, export_store, tmp_path):
    from readouts.export import EXPORTERS, exporter

    @exporter("count-events", description="how many events", suffix=".txt", open_with="cat")
    def write(source, target):
        n = sum(1 for _ in source.events(with_evidence=False))
        with target.text() as out:
            out.write(f"{n}\n")
        return {"events": n}

    try:
        result = cli("--db", export_store, "export", "-f", "count-events", "--type", "call")
        assert result.exit_code == 0 and int(result.stdout) > 0
    finally:
        del EXPORTERS["count-events"]
