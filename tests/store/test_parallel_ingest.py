"""Ingest fanned out to worker processes (readouts.store.parallel): the store is the same whatever the
number of workers, and a worker killed mid-run loses nothing and duplicates nothing — with local
processes (a broken pool is replaced) and on a real Dask LocalCluster (the scheduler reruns the task).

The documents are the bundled samples (48 real releases); partitions of one document, so that a
worker killed after the first write still has plenty of work in flight."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from readouts.store import open_store
from readouts.store.pipeline import ingest
from readouts.store.stats import shape

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
N_SAMPLES = 48


def _shape(url: str) -> dict[str, str]:
    with open_store(url) as store, store.session() as s:
        return shape(s)


@pytest.fixture(scope="module")
def serial_shape(tmp_path_factory) -> dict[str, str]:
    """The store one process makes of the samples: what every parallel run must equal."""
    url = f"sqlite:///{tmp_path_factory.mktemp('serial') / 'serial.db'}"
    with open_store(url) as store:
        report = ingest(store, [SAMPLES])
    assert report.stored == N_SAMPLES and not report.failed
    return _shape(url)


def _documents(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def _wait_for_first_write(db: Path, alive, timeout: float = 180) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while _documents(db) == 0:
        assert alive(), "the ingest ended before writing anything"
        assert time.monotonic() < deadline, "nothing written in time"
        time.sleep(0.05)


def _busy_worker(client, alive, timeout: float = 60) -> str:  # type: ignore[no-untyped-def]
    """A worker extracting a partition now. Between two partitions none may be (under load the first
    write can land in such a gap), so this waits for one rather than reading the moment once."""
    deadline = time.monotonic() + timeout
    while not (busy := [w for w, tasks in client.processing().items() if tasks]):
        assert alive(), "the ingest ended before a worker could be killed"
        assert time.monotonic() < deadline, "no worker took a partition in time"
        time.sleep(0.02)
    return busy[0]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_the_same_store_whatever_the_number_of_workers(serial_shape, tmp_path, workers):
    url = f"sqlite:///{tmp_path / 'parallel.db'}"
    with open_store(url) as store:
        report = ingest(store, [SAMPLES], workers=workers)
    assert report.stored == N_SAMPLES and not report.failed
    assert len(report.workers) == workers and all(0 < mb < 1024 for mb in report.workers.values())
    assert _shape(url) == serial_shape


@pytest.mark.slow
def test_a_local_worker_killed_mid_run_loses_nothing(serial_shape, tmp_path):
    import psutil

    db = tmp_path / "killed.db"
    exe = str(Path(sys.executable).parent / "readouts")
    proc = subprocess.Popen([exe, "--db", f"sqlite:///{db}", "ingest", str(SAMPLES), "--workers", "2",
                             "--json", "--no-progress"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "READOUTS_PARTITION_DOCS": "1"})
    _wait_for_first_write(db, lambda: proc.poll() is None)
    workers = [c for c in psutil.Process(proc.pid).children(recursive=True)
               if "spawn_main" in " ".join(c.cmdline())]
    assert len(workers) == 2
    os.kill(workers[0].pid, signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    report = json.loads(out)
    assert report["stored"] == N_SAMPLES and report["failed"] == 0
    assert len(report["workers"]) > 2  # a fresh pool took over the lost partitions
    assert _documents(db) == N_SAMPLES
    assert _shape(f"sqlite:///{db}") == serial_shape


@pytest.mark.slow
def test_a_dask_worker_killed_mid_run_loses_nothing(serial_shape, tmp_path, monkeypatch):
    from distributed import Client, LocalCluster

    monkeypatch.setenv("READOUTS_PARTITION_DOCS", "1")
    db = tmp_path / "dask.db"
    url = f"sqlite:///{db}"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        result: dict = {}

        def run() -> None:
            with open_store(url) as store:
                result["report"] = ingest(store, [SAMPLES], dask=cluster.scheduler_address)

        thread = threading.Thread(target=run)
        thread.start()
        _wait_for_first_write(db, thread.is_alive)
        busy = _busy_worker(client, thread.is_alive)
        os.kill(client.run(os.getpid, workers=[busy])[busy], signal.SIGKILL)
        thread.join(300)
        assert not thread.is_alive()
        assert busy not in client.run(os.getpid)  # it died (its nanny started another, at a new address)
    report = result["report"]
    assert report.stored == N_SAMPLES and not report.failed
    assert _documents(db) == N_SAMPLES
    assert _shape(url) == serial_shape


def test_sqlite_takes_one_writer_at_a_time(cli, tmp_path):
    """A second writer into one SQLite file is refused at once, saying why and what to do."""
    url = f"sqlite:///{tmp_path / 'one.db'}"
    with open_store(url) as store, store.one_writer():
        result = cli("--db", url, "ingest", str(SAMPLES / "mexico-sre-working-visit-washington.txt"),
                     "--no-progress")
    assert result.exit_code == 1
    assert "SQLite takes one writer at a time" in result.output and "PostgreSQL" in result.output
    assert cli("--db", url, "ingest", str(SAMPLES / "mexico-sre-working-visit-washington.txt"),
               "--no-progress").exit_code == 0


def test_a_slurm_cluster_runs_one_single_threaded_worker_per_job_in_this_virtualenv(monkeypatch):
    """The job script dask-jobqueue would submit for ``--dask slurm`` (no SLURM here to submit it to):
    this Python, one thread, the memory the dask configuration gives or 2 GB."""
    from readouts.store.parallel import jobqueue_cluster

    with jobqueue_cluster("slurm") as cluster:
        script = cluster.job_script()
    assert "#SBATCH --mem=2G" in script and "--nthreads 1" in script
    assert f"{sys.executable} -m distributed.cli.dask_worker" in script
    assert "export DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False" in script
    monkeypatch.setenv("DASK_JOBQUEUE__SLURM__MEMORY", "6GB")
    import dask.config
    dask.config.refresh()
    with jobqueue_cluster("slurm") as cluster:
        assert "#SBATCH --mem=6G" in cluster.job_script()
    monkeypatch.delenv("DASK_JOBQUEUE__SLURM__MEMORY")
    dask.config.refresh()


def _profiling() -> bool:
    import dask.config
    return bool(dask.config.get("distributed.worker.profile.enabled"))


def test_a_local_dask_cluster_runs_its_workers_without_the_profiler():
    """Dask's profiler samples a worker's stack every 10 ms, taking the GIL from the extraction (6 % of a
    worker's throughput measured here); a LocalCluster that ingest starts turns it off in its workers."""
    from readouts.store.parallel import DaskCluster

    cluster = DaskCluster("local", workers=1)
    try:
        assert list(cluster.client.run(_profiling).values()) == [False]
    finally:
        cluster.close()
    assert _profiling()  # the setting was this cluster's, not the process's


def _child_peaks() -> tuple[float, float]:
    import resource

    from readouts.memory import peak_mb
    return peak_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")
def test_a_workers_peak_memory_is_its_own_not_its_parents():
    """A spawned worker's ru_maxrss counts the parent's memory at the fork that started it; the figure ingest
    reports (and checks against 1 GB) is the worker's own."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ballast = bytearray(400 * 2**20)  # a parent of at least 400 MB resident
    ballast[::4096] = b"x" * len(ballast[::4096])
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        own, maxrss = pool.submit(_child_peaks).result(timeout=120)
    del ballast
    assert maxrss > 400  # what the worker used to report
    assert own < 200


@pytest.mark.slow
def test_the_parent_of_a_parallel_ingest_never_loads_spacy(tmp_path):
    """The parent reads, writes and resolves; only workers extract. spaCy in the parent cost it about
    2 s and 100 MB, taken from the cores the workers share with it."""
    two = tmp_path / "two.jsonl"  # two of the samples: resolution runs over their persons too
    two.write_text("".join((SAMPLES / "readouts-sample.jsonl").read_text(encoding="utf-8").splitlines(True)[:2]),
                   encoding="utf-8")
    probe = ("import sys\n"
             "from readouts.store import open_store\n"
             "from readouts.store.pipeline import ingest\n"
             f"with open_store('sqlite:///{tmp_path / 'p.db'}') as store:\n"
             f"    report = ingest(store, [{str(two)!r}], workers=1)\n"
             "print(report.stored, 'spacy' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.split() == ["2", "False"]
