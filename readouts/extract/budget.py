"""A per-document time budget for the project's own extraction stages (READOUTS_DOC_SECONDS).

spaCy's parse is linear in the text and is not interrupted; what follows it checks the clock
between steps, so a pathological document is reported by name (``OverBudget``) instead of
holding up its batch, the ingest, or the web server's request.
"""
from __future__ import annotations

import time
from contextvars import ContextVar

from readouts import settings
from readouts.errors import OverBudget

_deadline: ContextVar[tuple[float, float] | None] = ContextVar("readouts_extract_deadline", default=None)


def start() -> None:
    seconds = settings.get_float("doc_seconds")
    _deadline.set((time.monotonic() + seconds, seconds) if seconds > 0 else None)


def check(stage: str) -> None:
    got = _deadline.get()
    if got is not None and time.monotonic() > got[0]:
        raise OverBudget(f"extraction took over {got[1]:g} s (stopped in {stage}); split the document, or raise "
                         "READOUTS_DOC_SECONDS")
