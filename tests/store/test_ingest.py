"""Ingest end to end through spaCy: idempotence, bad input, kill -9, reprocessing, merge/split."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

import readouts.extract
from readouts.store import open_store
from readouts.store import schema as t
from readouts.store.pipeline import ingest
from readouts.store.stats import stats
from tests.conftest import ROOT

EBRARD_DOCS = ["usstate-eb18ed0003e3", "usstate-bc64a53eea9b", "usstate-067ddf44b186", "usstate-18e3c0c2a0a6"]


def _write_jsonl(path, docs):
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")
    return path


def _counts(store) -> dict:
    with store.session() as s:
        figures = stats(s)
    return {k: v for k, v in figures.items() if isinstance(v, int)}


def test_reingest_changes_nothing_and_ebrard_is_one_person(db_url, corpus, dev_dir, tmp_path):
    src = _write_jsonl(tmp_path / "ebrard.jsonl.gz", [corpus[i] for i in EBRARD_DOCS])
    with open_store(db_url) as store:
        first = ingest(store, [src, dev_dir / "seed-000.txt"])
        assert (first.stored, first.skipped, first.failed) == (5, 0, [])
        before = _counts(store)
        again = ingest(store, [src, dev_dir / "seed-000.txt"])
        assert (again.stored, again.skipped) == (0, 5)
        assert _counts(store) == before
        with store.session() as s:
            rows = s.execute(sa.select(t.PersonMention.person_id, t.PersonMention.document_id, t.PersonMention.spans,
                                       t.Document.text)
                             .join(t.Document).where(t.PersonMention.name_key.like("marcelo ebrard%"))).all()
            assert len({r.document_id for r in rows}) >= 4
            assert len({r.person_id for r in rows}) == 1
            for r in rows:  # every fact points into its document's text
                assert all(0 <= a < b <= len(r.text) for a, b in r.spans)
                assert any("Ebrard" in r.text[a:b] for a, b in r.spans)


def _bad_inputs(tmp_path, good_text):
    from pypdf import PdfWriter
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text(good_text, encoding="utf-8")
    (d / "empty.txt").write_text("  \n\n")
    (d / "latin1.txt").write_bytes("Canciller Ebrard se reunió con el Secretario Blinken".encode("latin-1"))
    (d / "broken.html").write_bytes(b"<html><head><title>x</title></head><body><div><p")
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt("secret")
    w.write(d / "locked.pdf")
    with open(d / "huge.txt", "wb") as fh:  # 50 MB
        fh.write(b"The Secretary met the Minister. " * (50 * 1024 * 1024 // 32))
    missing = tmp_path / "gone.txt"
    missing.symlink_to(tmp_path / "nowhere.txt")
    return d, missing


def test_bad_input_is_reported_per_document_and_nothing_else_is_lost(db_url, corpus, tmp_path):
    folder, missing = _bad_inputs(tmp_path, corpus["usstate-bc64a53eea9b"]["text"])
    with open_store(db_url) as store:
        report = ingest(store, [folder, missing])
        assert report.stored == 1
        reasons = {os.path.basename(f.name): f.reason for f in report.failed}
        assert set(reasons) == {"empty.txt", "latin1.txt", "broken.html", "locked.pdf", "huge.txt", "gone.txt"}
        assert "no text" in reasons["empty.txt"]
        assert "UTF-8" in reasons["latin1.txt"]
        assert "HTML" in reasons["broken.html"]
        assert "encrypted" in reasons["locked.pdf"]
        assert "over the limit" in reasons["huge.txt"]
        assert "cannot read" in reasons["gone.txt"]
        with store.session() as s:
            assert s.execute(sa.select(sa.func.count()).select_from(t.PersonMention)).scalar_one() > 0


def test_cli_ingest_json_summary_and_stats(db_url, corpus, tmp_path, cli):
    folder, _ = _bad_inputs(tmp_path, corpus["usstate-bc64a53eea9b"]["text"])
    r = cli("--db", db_url, "ingest", str(folder), "--json", "--no-progress")
    assert r.exit_code == 1
    summary = json.loads(r.stdout)
    assert summary["stored"] == 1 and summary["failed"] == 5
    assert {os.path.basename(f["name"]) for f in summary["failures"]} >= {"locked.pdf", "huge.txt"}
    r = cli("--db", db_url, "stats", "--json")
    assert json.loads(r.stdout)["documents"] == 1
    r = cli("--db", db_url, "resolve", "--json")
    figures = json.loads(r.stdout)
    assert r.exit_code == 0 and figures["documents"] == 1 and figures["persons_changed"] == 0
    assert figures["mentions"] > 0 and figures["persons"] > 0


def test_kill_9_mid_ingest_leaves_whole_documents_and_a_rerun_completes(db_url, corpus, tmp_path):
    docs = [d for d in corpus.values() if d["id"].startswith("usstate-")][:30]
    src = _write_jsonl(tmp_path / "part.jsonl.gz", docs)
    exe = str(Path(sys.executable).parent / "readouts")
    open_store(db_url).close()  # migrate first, so the child only ingests
    child = subprocess.Popen([exe, "--db", db_url, "ingest", str(src), "--batch-size", "4", "--no-progress"],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    store = open_store(db_url)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and _n_docs(store) < 6:
            assert child.poll() is None, child.stderr.read().decode()
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        killed_at = _n_docs(store)
        assert 6 <= killed_at < len(docs)
        assert _n_pending(store) == killed_at  # killed before its resolution step: all left pending
        # The same code, in a process of its own, says what each document's facts are.
        out = subprocess.run([exe, "extract", str(src), "--format", "jsonl"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
        expected = {r["document"]["id"]: (len(r["persons"]), len(r["organizations"]))
                    for r in map(json.loads, out.splitlines())}
        _assert_whole(store, expected)
        rerun = subprocess.run([exe, "--db", db_url, "ingest", str(src), "--json", "--no-progress"], cwd=ROOT,
                               capture_output=True, text=True, check=False)
        report = json.loads(rerun.stdout)
        assert report["skipped"] == killed_at and report["stored"] == len(docs) - killed_at
        assert _n_docs(store) == len(docs)
        _assert_whole(store, expected)
        assert _n_pending(store) == 0 and report["resolution"]["documents"] == len(docs)  # its own and the killed run's
    finally:
        store.close()


def _n_pending(store) -> int:
    with store.session() as s:
        return s.execute(sa.select(sa.func.count()).select_from(t.Document)
                         .where(t.Document.resolved_at.is_(None))).scalar_one()


def _n_docs(store) -> int:
    with store.session() as s:
        return s.execute(sa.select(sa.func.count()).select_from(t.Document)).scalar_one()


def _assert_whole(store, expected) -> None:
    with store.session() as s:
        rows = s.execute(sa.select(
            t.Document.external_id,
            sa.select(sa.func.count()).where(t.PersonMention.document_id == t.Document.id).scalar_subquery(),
            sa.select(sa.func.count()).where(t.OrgMention.document_id == t.Document.id).scalar_subquery(),
            sa.select(sa.func.count()).where(t.ExtractionRun.document_id == t.Document.id).scalar_subquery(),
        )).all()
    for ext_id, n_persons, n_orgs, n_runs in rows:
        assert (n_persons, n_orgs, n_runs) == (*expected[ext_id], 1), ext_id


def test_reprocess_replaces_facts_keeps_history_and_manual_corrections(db_url, corpus, tmp_path, cli, monkeypatch):
    src = _write_jsonl(tmp_path / "e.jsonl.gz", [corpus[i] for i in EBRARD_DOCS[:2]])
    assert cli("--db", db_url, "ingest", str(src), "--no-progress").exit_code == 0
    with open_store(db_url) as store, store.session() as s:
        blinken = s.execute(sa.select(t.PersonMention.person_id).where(
            t.PersonMention.name == "Antony J. Blinken")).scalars().first()
        ebrard = s.execute(sa.select(t.PersonMention.person_id).where(
            t.PersonMention.name_key == "marcelo ebrard")).scalars().first()
        assert blinken and ebrard and blinken != ebrard
        before = _counts(store)
    # A deliberately wrong merge, then a split of one document's mention back out: both recorded.
    assert cli("--db", db_url, "merge", str(ebrard), str(blinken)).exit_code == 0
    r = cli("--db", db_url, "split", str(ebrard), "--document", EBRARD_DOCS[0], "--name", "Antony J. Blinken",
            "--json")
    assert r.exit_code == 0, r.output
    split_off = json.loads(r.stdout)["new_person"]

    first_version = readouts.extract.EXTRACTOR_VERSION
    monkeypatch.setattr("readouts.extract.EXTRACTOR_VERSION", "9.9.9-test")
    monkeypatch.setattr("readouts.extract.pipeline.EXTRACTOR_VERSION", "9.9.9-test")
    r = cli("--db", db_url, "reprocess", "--json", "--no-progress")
    assert json.loads(r.stdout)["stored"] == 2
    with open_store(db_url) as store, store.session() as s:
        after = _counts(store)
        assert after["documents"] == before["documents"] and after["extraction_runs"] == 2 * before["documents"]
        assert after["person_mentions"] == before["person_mentions"]
        versions = s.execute(sa.select(t.ExtractionRun.extractor_version)).scalars().all()
        assert sorted(set(versions)) == sorted([first_version, "9.9.9-test"])
        doc0 = s.execute(sa.select(t.Document.id).where(t.Document.external_id == EBRARD_DOCS[0])).scalar_one()
        doc1 = s.execute(sa.select(t.Document.id).where(t.Document.external_id == EBRARD_DOCS[1])).scalar_one()

        def who(doc, name):
            return s.execute(sa.select(t.PersonMention.person_id).where(
                t.PersonMention.document_id == doc, t.PersonMention.name == name)).scalar_one()
        # merge re-applied: Blinken of doc1 is Ebrard's person; split re-applied: Blinken of doc0 is not
        assert who(doc1, "Antony J. Blinken") == who(doc1, "Marcelo Ebrard")
        assert who(doc0, "Antony J. Blinken") != who(doc0, "Marcelo Ebrard")
        assert split_off  # the split person row may be replaced; the separation is what must hold
