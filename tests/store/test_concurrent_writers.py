"""Two `readouts ingest` processes writing into one real PostgreSQL store at once give the store a
sequential run gives: no person, organization or event twice (readouts.store.write.one_writer_at_a_time)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from readouts.store import open_store
from readouts.store import schema as t
from readouts.store.stats import shape

ROOT = Path(__file__).resolve().parents[2]
# Two halves with no text in common but the same officials (Blinken, Ebrard, Mayorkas, Sullivan ...).
HALF_A = ["usstate-eb18ed0003e3", "usstate-bc64a53eea9b", "usstate-067ddf44b186", "uswh-f51ce8f4a2a3",
          "usstate-69e7cfe7d1de", "uswh-bf283a485ecc"]
HALF_B = ["usstate-52aa1f2d5942", "usstate-44762061f7c4", "usstate-1d8ed8adc534", "usstate-a5380a4c0f6c",
          "usstate-93f8981ef4f5", "usstate-bffd89ef7d2d"]


def _write(path: Path, corpus: dict, ids: list[str]) -> Path:
    path.write_text("".join(json.dumps(corpus[i]) + "\n" for i in ids), encoding="utf-8")
    return path


def _ingest(db: str, src: Path, *options: str) -> subprocess.Popen:
    exe = str(Path(sys.executable).parent / "readouts")
    return subprocess.Popen([exe, "--db", db, "ingest", str(src), "--json", "--no-progress", *options], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _shape(db: str) -> dict[str, str]:
    """What must not depend on who wrote first: persons, organizations and events as groups of mentions."""
    with open_store(db) as store, store.session() as s:
        return shape(s)


@pytest.mark.postgres
def test_two_concurrent_ingests_equal_a_sequential_run(postgres_server, corpus, tmp_path):
    import psycopg

    urls = {}
    for name in ("sequential", "concurrent"):
        db = f"t_{name}_{tmp_path.name[-8:].lower().replace('-', '_')}"
        with psycopg.connect(postgres_server + "/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {db}")
        urls[name] = f"{postgres_server}/{db}"
        open_store(urls[name]).close()  # migrate first: the two writers then only ingest
    # short State Department readouts, alternately to each writer: the same bodies (the Department of
    # State, the Office of the Spokesperson) and officials arrive in both at once
    short = sorted(i for i, d in corpus.items() if i.startswith("usstate-") and len(d["text"]) < 1500)[:40]
    a = _write(tmp_path / "a.jsonl", corpus, HALF_A + short[0::2])
    b = _write(tmp_path / "b.jsonl", corpus, HALF_B + short[1::2])
    for src in (a, b):
        done = _ingest(urls["sequential"], src)
        assert done.wait(timeout=300) == 0, done.stderr.read()
    # one of them with two extraction workers, its writes in batched transactions
    both = [_ingest(urls["concurrent"], a), _ingest(urls["concurrent"], b, "--workers", "2")]
    for p in both:
        assert p.wait(timeout=300) == 0, p.stderr.read()
    assert _shape(urls["concurrent"]) == _shape(urls["sequential"])


@pytest.mark.postgres
def test_a_writer_waits_for_the_one_before_it_to_commit(postgres_url, corpus):
    """Deterministically, the race two ingests run into: writer A has stored Ebrard but not committed when
    writer B stores him too. B must wait for A's commit and find him, not create him a second time."""
    import threading
    import time

    from readouts.model import document_id
    from readouts.store.write import store_record
    from tests.store.conftest import make_record

    first = make_record(corpus["usstate-eb18ed0003e3"], [("Marcelo Ebrard", "MEX", ["Foreign Secretary"])])
    second = make_record(corpus["usstate-bc64a53eea9b"], [("Marcelo Ebrard", "MEX", ["Foreign Secretary"])])
    store = open_store(postgres_url)
    a_stored, b_done = threading.Event(), threading.Event()

    def writer_a() -> None:
        with store.session() as s:
            store_record(s, first, doc_hash=document_id(first.document.text))
            a_stored.set()
            time.sleep(1.5)  # B starts meanwhile; A commits on leaving the block

    def writer_b() -> None:
        a_stored.wait(10)
        with store.session() as s:
            store_record(s, second, doc_hash=document_id(second.document.text))
        b_done.set()

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for th in threads:
        th.start()
    time.sleep(0.5)
    assert not b_done.is_set()  # B is waiting for A's transaction
    for th in threads:
        th.join(30)
    with store.session() as s:
        ebrards = s.execute(sa.select(sa.func.count(sa.distinct(t.PersonMention.person_id)))
                            .where(t.PersonMention.name == "Marcelo Ebrard")).scalar_one()
    store.close()
    assert ebrards == 1
