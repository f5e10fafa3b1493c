"""`readouts extract` on real documents and on bad input."""
from __future__ import annotations

import json

from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "readouts-sample.jsonl"


def test_jsonl_keeps_input_ids_and_offsets_point_into_text(cli):
    r = cli("extract", str(SAMPLE), "--format", "jsonl")
    assert r.exit_code == 0, r.output
    records = [json.loads(line) for line in r.stdout.splitlines()]
    ids = [json.loads(line)["id"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert [rec["document"]["id"] for rec in records] == ids
    for rec in records:
        text = rec["document"]["text"]
        for p in rec["persons"]:
            for s, e in p["mentions"]:
                assert 0 <= s < e <= len(text)


def test_txt_gets_a_content_hash_id(cli, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Secretary of State Antony J. Blinken met today with Mexican Foreign Secretary Marcelo Ebrard.")
    r = cli("extract", str(f))
    rec = json.loads(r.stdout)
    assert rec["document"]["id"].startswith("sha256:")
    assert any("Blinken" in p["name"] for p in rec["persons"])


def test_stdin(cli):
    r = cli("extract", "-", "--format", "jsonl", input="President Joseph R. Biden, Jr. met today with President Emmanuel Macron of France.")
    assert r.exit_code == 0
    assert len(r.stdout.splitlines()) == 1


def test_bad_input_is_reported_and_the_batch_goes_on(cli, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Secretary Blinken spoke today with Foreign Minister Dmytro Kuleba of Ukraine.")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Canciller Ebrard se reunió en México".encode("latin-1"))
    (tmp_path / "huge.txt").write_text("word " * 2_100_000)  # 10 MB
    (tmp_path / "broken.jsonl").write_text('{"id": "ok", "text": "President Biden met Prime Minister Kishida."}\n'
                                           '{"id": "bad", "text": \n' '[1, 2]\n')
    r = cli("extract", str(tmp_path), "--format", "jsonl")
    assert r.exit_code == 1
    out_ids = [json.loads(line)["document"]["id"] for line in r.stdout.splitlines()]
    assert "ok" in out_ids and len(out_ids) == 2
    err = r.stderr
    for name, reason in [("empty.txt", "no text"), ("binary.txt", "binary"), ("latin1.txt", "UTF-8"),
                         ("huge.txt", "over the limit"), ("broken.jsonl:2", "not a JSON object"),
                         ("broken.jsonl:3", "expected a JSON object")]:
        line = next((ln for ln in err.splitlines() if name in ln), "")
        assert reason in line, f"{name}: {err}"
    assert "5 failed" in err or "failed" in err
