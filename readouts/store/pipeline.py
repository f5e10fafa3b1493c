"""Ingest and reprocess: documents in, a few documents per transaction.

Already-stored texts (same normalised-text hash) are skipped before spaCy sees
them; the rest stream through ``extract_documents`` in batches, in this process
or fanned out to worker processes (readouts.store.parallel), and this process
alone writes what comes back. Up to ``WRITE_BATCH`` documents are committed
with all their facts at once, so a run killed at any moment leaves whole
documents only, and the next run carries on where it stopped.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from readouts.errors import ReadoutsError
from readouts.ingest.readers import SourceDocument, read_paths
from readouts.model import Record, document_id
from readouts.store import schema as t
from readouts.store.db import Store
from readouts.store.parallel import Extractor, Result
from readouts.store.write import delete_facts, store_record

Progress = Callable[[str], None]  # called with "stored" | "skipped" | "failed" after each document
WRITE_BATCH = 16  # documents per write transaction


@dataclass
class Failure:
    name: str
    reason: str


@dataclass
class Report:
    stored: int = 0
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)
    ignored: list[Failure] = field(default_factory=list)  # files in a folder not read (unknown type), and why
    text_only: list[Failure] = field(default_factory=list)  # stored with no facts: a language with no pack
    seconds: float = 0.0
    resolution: dict | None = None  # what the cross-document resolution step did (ResolveReport.as_dict)
    workers: dict[str, float] = field(default_factory=dict)  # worker (host:pid) -> its peak RSS in MB

    def as_dict(self) -> dict:
        rate = self.stored / self.seconds if self.seconds else 0.0
        return {"stored": self.stored, "skipped": self.skipped, "failed": len(self.failed),
                "failures": [{"name": f.name, "reason": f.reason} for f in self.failed],
                "ignored": [{"name": f.name, "reason": f.reason} for f in self.ignored],
                "text_only": [{"name": f.name, "reason": f.reason} for f in self.text_only],
                "seconds": round(self.seconds, 2), "docs_per_second": round(rate, 2),
                "resolution": self.resolution,
                "workers": {w: round(mb, 1) for w, mb in sorted(self.workers.items())}}

    def saw_worker(self, worker: str, peak_rss_mb: float) -> None:
        self.workers[worker] = max(peak_rss_mb, self.workers.get(worker, 0.0))


def resolve_pending(store: Store, report: Report) -> None:
    """Settle persons and events across documents around what this run stored (and what a killed
    run before it left pending): one transaction, after the documents are safely in."""
    from readouts.store.resolve import resolve

    with store.session() as s:
        report.resolution = resolve(s).as_dict()


def ingest(store: Store, paths: Iterable[str | Path], *, batch_size: int | None = None,
           progress: Progress | None = None, workers: int | None = None, dask: str | None = None) -> Report:
    """Store every new document under ``paths`` with its extracted facts.

    Extraction runs in this process, or in ``workers`` local processes, or on the Dask cluster whose
    scheduler is at ``dask`` (``"local"``: a LocalCluster of ``workers`` processes, default one per core).
    """
    report, started = Report(), time.perf_counter()
    extractor = _extractor(batch_size, workers, dask, report)
    tick = progress or (lambda _kind: None)
    with store.session() as s:
        seen = set(s.execute(select(t.Document.hash)).scalars())

    def fresh() -> Iterator[SourceDocument]:
        for item in read_paths(paths):
            if item.skipped is not None:
                report.ignored.append(Failure(item.name, item.skipped))
                continue
            if item.error is not None or item.document is None:
                report.failed.append(Failure(item.name, _reason(item.name, item.error)))
                tick("failed")
                continue
            h = document_id(item.document.text)
            if h in seen:
                report.skipped += 1
                tick("skipped")
                continue
            seen.add(h)
            yield item.document

    with store.one_writer():
        for group in _groups(extractor(fresh()), WRITE_BATCH):
            for kind in _store_group(store, group, report):
                tick(kind)
        resolve_pending(store, report)
    report.seconds = time.perf_counter() - started
    return report


def _extractor(batch_size: int | None, workers: int | None, dask: str | None, report: Report) -> Extractor:
    if dask:
        from readouts.store.parallel import dask_cluster
        return dask_cluster(dask, workers=workers, batch_size=batch_size, seen=report.saw_worker)
    if workers:
        from readouts.store.parallel import local_processes
        return local_processes(workers, batch_size=batch_size, seen=report.saw_worker)
    from readouts.extract import extract_documents
    return lambda sources: extract_documents(sources, batch_size=batch_size)


def _groups(results: Iterable[Result], size: int
            ) -> Iterator[list[Result]]:
    group: list[Result] = []
    for item in results:
        group.append(item)
        if len(group) >= size:
            yield group
            group = []
    if group:
        yield group


def _store_group(store: Store, group: list[Result], report: Report
                 ) -> list[str]:
    """Write a group's records in one transaction; if that fails, one transaction per document, so that
    a text another process stored meanwhile (or one that cannot be stored) costs only itself."""
    records = [(src, rec) for src, rec in group if not isinstance(rec, Exception)]
    try:
        with store.session() as s:
            for src, rec in records:
                store_record(s, rec, doc_hash=document_id(src.text))
    except SQLAlchemyError:
        return [_store_one(store, src, result, report) for src, result in group]
    report.stored += len(records)
    _note_text_only(records, report)
    kinds = []
    for src, result in group:
        if isinstance(result, Exception):
            report.failed.append(Failure(src.name, _reason(src.name, result)))
        kinds.append("failed" if isinstance(result, Exception) else "stored")
    return kinds


def _store_one(store: Store, src: SourceDocument, result: Record | ReadoutsError, report: Report) -> str:
    if isinstance(result, Exception):
        report.failed.append(Failure(src.name, _reason(src.name, result)))
        return "failed"
    try:
        with store.session() as s:
            store_record(s, result, doc_hash=document_id(src.text))
    except IntegrityError:  # another process stored the same text meanwhile
        report.skipped += 1
        return "skipped"
    except SQLAlchemyError as e:
        cause = getattr(e, "orig", None) or e  # the driver's own error, when SQLAlchemy wraps one
        report.failed.append(Failure(src.name, f"cannot store: {type(cause).__name__}: "
                                               f"{str(cause).splitlines()[0]}"))
        return "failed"
    report.stored += 1
    _note_text_only([(src, result)], report)
    return "stored"


def _note_text_only(records: list[tuple[SourceDocument, Record]], report: Report) -> None:
    from readouts.extract.languages import has_pack, no_pack_reason

    report.text_only.extend(Failure(src.name, no_pack_reason(rec.document.language))
                            for src, rec in records if not has_pack(rec.document.language))


def _reason(name: str, error: Exception | None) -> str:
    text = str(error) if error else "unreadable"
    return text[len(name) + 2:] if text.startswith(name + ": ") else text


def reprocess(store: Store, *, everything: bool = False, batch_size: int | None = None,
              progress: Progress | None = None) -> Report:
    """Re-extract stored documents made by another extractor version (all with ``everything``),
    replace their facts, and re-apply the manual person corrections that concern them."""
    from readouts.extract import EXTRACTOR_VERSION, extract_documents
    from readouts.store.overrides import reapply

    report, started = Report(), time.perf_counter()
    tick = progress or (lambda _kind: None)
    with store.session() as s:
        q = select(t.Document.id)
        if not everything:
            q = q.where(t.Document.extractor_version != EXTRACTOR_VERSION)
        ids = list(s.execute(q.order_by(t.Document.id)).scalars())
    report.skipped = _count(store) - len(ids)

    def sources() -> Iterator[SourceDocument]:
        for doc_id in ids:
            with store.session() as s:
                d = s.get(t.Document, doc_id)
                if d is None:
                    continue
                yield SourceDocument(name=f"document {d.id} ({d.external_id or d.hash[:19]})", text=d.text,
                                     id=d.external_id or d.hash, title=d.title,
                                     date=d.date.isoformat() if d.date else None, url=d.source)

    with store.one_writer():
        for src, result in extract_documents(sources(), batch_size=batch_size):
            if isinstance(result, Exception):
                report.failed.append(Failure(src.name, _reason(src.name, result)))
                tick("failed")
                continue
            h = document_id(src.text)
            with store.session() as s:
                doc = s.execute(select(t.Document).where(t.Document.hash == h)).scalar_one()
                delete_facts(s, doc.id)
                store_record(s, result, doc_hash=h, document=doc)
                reapply(s, document_hash=h)
            report.stored += 1
            tick("stored")
        resolve_pending(store, report)
    report.seconds = time.perf_counter() - started
    return report


def _count(store: Store) -> int:
    from sqlalchemy import func
    with store.session() as s:
        return int(s.execute(select(func.count()).select_from(t.Document)).scalar_one())
