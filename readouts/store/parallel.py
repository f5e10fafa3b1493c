"""Extraction fanned out to worker processes: local ones (``--workers N``) or a Dask cluster
(``--dask ADDRESS|local``).

The parent reads the documents and drops the texts already stored, cuts the rest into partitions
and hands them out; each worker loads the spaCy pipeline once and returns the partition's records.
The parent alone writes them (readouts.store.pipeline), in input order, however the workers finish:
a slower partition holds back the writes after it, never their content, so the store is the same —
ids included — whatever the number of workers.

A worker that dies takes its partition with it: with local processes the pool breaks
(``BrokenProcessPool``) and every partition not yet returned goes to a fresh pool; Dask reschedules
the partition on another worker by itself. A partition lost ``MAX_ATTEMPTS`` times (a document that
kills any worker that reads it, say by exhausting memory) is reported as failed, document by
document, and the run goes on. Nothing is written before a partition comes back whole, so a retry
never writes twice.
"""
from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from readouts import settings
from readouts.errors import ReadoutsError
from readouts.ingest.readers import SourceDocument
from readouts.memory import peak_mb
from readouts.model import Record

Result = tuple[SourceDocument, Record | ReadoutsError]
Extractor = Callable[[Iterable[SourceDocument]], Iterator[Result]]
MAX_ATTEMPTS = 3  # Dask's own default (distributed.scheduler.allowed-failures) is alike


@dataclass
class Partition:
    """What a worker sends back: one result per document, in order, and who it was."""

    index: int
    results: list[Record | ReadoutsError]
    worker: str  # host:pid
    peak_rss_mb: float  # the worker process's peak resident memory so far


def extract_partition(index: int, docs: list[SourceDocument], batch_size: int | None = None) -> Partition:
    """The task every worker runs (a module-level function, so that it pickles by name)."""
    from readouts.extract import extract_documents

    results = [result for _src, result in extract_documents(docs, batch_size=batch_size)]
    return Partition(index, results, f"{socket.gethostname()}:{os.getpid()}", peak_mb())


class Backend(Protocol):
    retries_itself: bool  # a partition reported lost was already retried elsewhere: give up on it

    def submit(self, index: int, docs: list[SourceDocument]) -> Any: ...
    def wait(self, futures: list[Any]) -> set[Any]: ...
    def lost(self, error: BaseException) -> bool: ...
    def recover(self) -> None: ...
    def close(self) -> None: ...
    def window(self) -> int: ...


WorkerSeen = Callable[[str, float], None]  # (worker, peak RSS in MB), after each partition


def fan_out(sources: Iterable[SourceDocument], backend: Backend, *, seen: WorkerSeen | None = None
            ) -> Iterator[Result]:
    """Each source with its record, in input order; at most ``backend.window()`` partitions out or
    waiting for their turn to be written at once."""
    parts = _partitions(sources)
    out: dict[int, tuple[list[SourceDocument], Any]] = {}  # index -> (documents, future)
    back: dict[int, list[Record | ReadoutsError]] = {}
    attempts: dict[int, int] = {}
    docs_of: dict[int, list[SourceDocument]] = {}
    next_index = 0
    try:
        while True:
            for index, docs in islice(parts, max(0, backend.window() - len(out) - len(back))):
                docs_of[index] = docs
                out[index] = (docs, backend.submit(index, docs))
            if not out and not back:
                return
            if out:
                _collect(backend, out, back, attempts, seen)
            while next_index in back:
                yield from zip(docs_of.pop(next_index), back.pop(next_index))
                next_index += 1
    finally:
        backend.close()


def _partitions(sources: Iterable[SourceDocument]) -> Iterator[tuple[int, list[SourceDocument]]]:
    it, size = iter(sources), settings.get_int("partition_docs")
    index = 0
    while part := list(islice(it, size)):
        yield index, part
        index += 1


def _collect(backend: Backend, out: dict[int, tuple[list[SourceDocument], Any]],
             back: dict[int, list[Record | ReadoutsError]], attempts: dict[int, int],
             seen: WorkerSeen | None) -> None:
    """Wait for at least one partition; keep what came back, send again what a dead worker lost."""
    index_of = {id(fut): i for i, (_docs, fut) in out.items()}
    lost: list[int] = []
    for fut in backend.wait([fut for _docs, fut in out.values()]):
        index = index_of[id(fut)]
        try:
            part: Partition = fut.result()
        except Exception as e:  # the backend says which errors mean a lost worker
            if not backend.lost(e):
                raise
            if backend.retries_itself:
                back[index] = [_died(d, MAX_ATTEMPTS) for d in out.pop(index)[0]]
            else:
                lost.append(index)
            continue
        del out[index]
        back[index] = part.results
        if seen:
            seen(part.worker, part.peak_rss_mb)
    if not lost:
        return
    backend.recover()  # a fresh pool: every partition still out on the broken one goes again
    for index in sorted(out):
        docs, _ = out.pop(index)
        attempts[index] = attempts.get(index, 1) + 1
        if attempts[index] > MAX_ATTEMPTS:
            back[index] = [_died(d, MAX_ATTEMPTS) for d in docs]
        else:
            out[index] = (docs, backend.submit(index, docs))


def _died(doc: SourceDocument, times: int) -> ReadoutsError:
    return ReadoutsError(f"{doc.name}: the worker extracting it died {times} times (out of memory?); "
                         "the rest of the run went on")


# --- local processes -------------------------------------------------------------------------------

class LocalPool:
    """``workers`` spawned processes (not forked: the parent holds database connections)."""

    retries_itself = False

    def __init__(self, workers: int, batch_size: int | None = None) -> None:
        self.workers, self.batch_size = workers, batch_size
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        import multiprocessing
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, index: int, docs: list[SourceDocument]) -> Future:
        try:
            return self.pool.submit(extract_partition, index, docs, self.batch_size)
        except BrokenProcessPool as e:
            # a worker died while the parent was writing: the partition is lost like those already out,
            # and the next wait hands it to recover() with them
            lost: Future = Future()
            lost.set_exception(e)
            return lost

    def wait(self, futures: list[Any]) -> set[Any]:
        return wait(futures, return_when=FIRST_COMPLETED).done

    def lost(self, error: BaseException) -> bool:
        return isinstance(error, BrokenProcessPool)

    def recover(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def window(self) -> int:
        return 2 * self.workers


def local_processes(workers: int, *, batch_size: int | None = None, seen: WorkerSeen | None = None
                    ) -> Extractor:
    def run(sources: Iterable[SourceDocument]) -> Iterator[Result]:
        return fan_out(sources, LocalPool(workers, batch_size), seen=seen)
    return run


# --- Dask ----------------------------------------------------------------------------------------

JOBQUEUES = {"slurm": "SLURMCluster", "pbs": "PBSCluster", "sge": "SGECluster", "lsf": "LSFCluster"}


def jobqueue_cluster(kind: str) -> Any:
    """A dask-jobqueue cluster whose workers are batch jobs of one process and one thread, running this
    Python (the same virtualenv, on the cluster's shared file system). Queue, account, memory, walltime
    and the rest come from dask's configuration (~/.config/dask/jobqueue.yaml, or DASK_JOBQUEUE__SLURM__*
    variables); cores 1, memory 2GB and a job script prologue that turns the profiler off, unless it sets them."""
    try:
        import dask.config
        import dask_jobqueue
    except ImportError:
        raise ReadoutsError(f"--dask {kind} needs dask-jobqueue: pip install 'readouts[hpc]'") from None
    defaults: dict[str, Any] = {"cores": 1, "processes": 1, "memory": "2GB",
                                # workers without Dask's stack-sampling profiler (see DaskCluster)
                                "job_script_prologue": ["export DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False"]}
    options = {k: v for k, v in defaults.items() if dask.config.get(f"jobqueue.{kind}.{k}", None) in (None, [])}
    return getattr(dask_jobqueue, JOBQUEUES[kind])(python=sys.executable, **options)


class DaskCluster:
    """A dask.distributed client: of the scheduler at ``address``, of a LocalCluster it starts
    (``"local"``: ``workers`` processes of one thread each), or of a batch-queue cluster it starts
    (``"slurm"``, ``"pbs"``, ``"sge"``, ``"lsf"``: ``workers`` jobs, see :func:`jobqueue_cluster`)."""

    retries_itself = True  # the scheduler reruns a dead worker's task elsewhere (allowed-failures times)

    def __init__(self, address: str, workers: int | None = None, batch_size: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ReadoutsError("--dask needs the distributed package: pip install distributed") from None
        self.batch_size = batch_size
        self.cluster: Any = None
        if address == "local":
            import dask.config
            # Dask's statistical profiler samples each worker's stack every 10 ms, taking the GIL from the
            # extraction to do it; no one reads the profile of a run started here (the nannies copy this
            # setting to their workers as they start them)
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                            processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        elif address in JOBQUEUES:
            self.cluster = jobqueue_cluster(address)
            self.cluster.scale(jobs=workers or 1)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(address, timeout="30s")
            except OSError as e:
                raise ReadoutsError(f"cannot reach the Dask scheduler at {address}: {e}") from None
        self._run = os.urandom(4).hex()  # task keys unique to this run: no result of another run is reused

    def window(self) -> int:
        """Two partitions per worker (workers may join later, as a SLURM cluster's jobs start)."""
        return 2 * max(1, len(self.client.scheduler_info().get("workers", {}))) + 2

    def submit(self, index: int, docs: list[SourceDocument]) -> Any:
        return self.client.submit(extract_partition, index, docs, self.batch_size,
                                  key=f"readouts-extract-{self._run}-{index}", pure=False)

    def wait(self, futures: list[Any]) -> set[Any]:
        from distributed import wait as dask_wait
        return set(dask_wait(futures, return_when="FIRST_COMPLETED").done)

    def lost(self, error: BaseException) -> bool:
        from distributed.scheduler import KilledWorker
        return isinstance(error, KilledWorker)

    def recover(self) -> None:
        self._run = os.urandom(4).hex()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def dask_cluster(address: str, *, workers: int | None = None, batch_size: int | None = None,
                 seen: WorkerSeen | None = None) -> Extractor:
    def run(sources: Iterable[SourceDocument]) -> Iterator[Result]:
        return fan_out(sources, DaskCluster(address, workers, batch_size), seen=seen)
    return run
