"""``readouts search | person | events | network``: tables, --json, one-line errors."""
from __future__ import annotations

import json


def run(cli, dev_store, *args):
    return cli("--db", dev_store, *args)


def test_search_prints_a_table_and_json(cli, dev_store):
    r = run(cli, dev_store, "search", "Ebrard")
    assert r.exit_code == 0 and "Ebrard" in r.stdout and "Documents matching" in r.stdout
    data = json.loads(run(cli, dev_store, "search", "Ebrard", "--json").stdout)
    assert data["documents"]["total"] >= 2 and data["persons"]


def test_person_by_name_shows_counterparts(cli, dev_store):
    r = run(cli, dev_store, "person", "ebrard")
    assert r.exit_code == 0 and "Counterparts" in r.stdout and "Blinken" in r.stdout
    data = json.loads(run(cli, dev_store, "person", "EBRARD", "--json").stdout)
    assert "Ebrard" in data["name"] and data["counterparts"]


def test_unknown_person_is_a_one_line_error(cli, dev_store):
    r = run(cli, dev_store, "person", "Nobody Atall")
    assert r.exit_code == 1
    assert r.stderr.strip().startswith("error: no person named like") and r.stderr.strip().count("\n") == 0


def test_events_filters_and_json(cli, dev_store):
    data = json.loads(run(cli, dev_store, "events", "--type", "visit", "--json", "-n", "100").stdout)
    assert data["total"] >= 1 and {e["type"] for e in data["items"]} == {"visit"}
    r = run(cli, dev_store, "events", "--between", "MEX", "USA")
    assert r.exit_code == 0 and "Events" in r.stdout
    assert run(cli, dev_store, "events", "--since", "last week").exit_code == 1


def test_network_lists_pairs(cli, dev_store):
    data = json.loads(run(cli, dev_store, "network", "--json").stdout)
    assert data["edges"] and data["nodes"]
    r = run(cli, dev_store, "network", "-n", "3")
    assert r.exit_code == 0 and "Who met whom" in r.stdout


def test_person_ids_must_be_ascii_digits_in_range(cli, dev_store):
    for bad in ("²", "99999999999999999999"):
        r = cli("--db", dev_store, "person", bad)
        assert r.exit_code == 1 and "error:" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_serve_reads_the_token_from_a_file_not_the_command_line(cli, dev_store, tmp_path, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app))
    token = tmp_path / "token"
    token.write_text("s3cret\n", encoding="utf-8")
    r = cli("--db", dev_store, "serve", "--api-token-file", str(token))
    assert r.exit_code == 0 and seen["app"].state.api_token == "s3cret"
    r = cli("--db", dev_store, "serve", "--api-token-file", str(tmp_path / "missing"))
    assert r.exit_code == 1 and "cannot read the token file" in r.stderr
    assert "--api-token " not in cli("serve", "--help").stdout.replace("--api-token-file", "")
