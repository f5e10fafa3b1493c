"""The API's write operations, over the store's own functions: ingest one text, merge, split.

A posted text meets the rules ``readouts ingest`` applies to a file
(:func:`readouts.ingest.readers.check_text`) and fails with the same errors. A merge or split the store refuses is a :class:`Conflict`.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from readouts.errors import Conflict, InputError, NotText, ReadoutsError

POSTED = "posted document"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class Unprocessable(InputError):
    """The text was read but the extractor failed on it."""

    http_status = 422


def ingest(session: Session, doc: dict[str, Any]) -> dict[str, Any]:
    """Extract one posted document and store it; an already stored text is reported, not duplicated."""
    from readouts.extract import extract_documents
    from readouts.ingest.readers import SourceDocument
    from readouts.model import document_id
    from readouts.store import schema as t
    from readouts.store.write import store_record

    text = checked_text(doc["text"])
    h = document_id(text)
    existing = session.scalar(select(t.Document.id).where(t.Document.hash == h))
    if existing is not None:
        return {"id": existing, "hash": h, "created": False}
    src = SourceDocument(name=doc.get("external_id") or POSTED, text=text, id=doc.get("external_id"),
                         title=doc.get("title"), date=doc.get("date"), url=doc.get("source"))
    [(_, result)] = list(extract_documents([src]))
    if isinstance(result, ReadoutsError):
        raise Unprocessable(str(result)) from result
    stored = store_record(session, result, doc_hash=h)
    from readouts.store.resolve import resolve
    resolve(session)  # settle its persons and events with the rest of the store, in the same transaction
    return {"id": stored.id, "hash": h, "created": True}


def checked_text(raw: str) -> str:
    """The posted text, normalised, if ``readouts ingest`` would take it: valid Unicode (JSON can carry a lone
    surrogate, which no file decoded as UTF-8 can), within the size limit, not empty, no NUL."""
    from readouts.ingest.readers import check_text
    from readouts.model import normalise_text

    if bad := LONE_SURROGATE.search(raw):
        raise NotText(f"{POSTED}: text holds a lone surrogate (U+{ord(bad.group()):04X} at character "
                      f"{bad.start()}); send valid Unicode")
    return check_text(POSTED, normalise_text(check_text(POSTED, raw)))


def merge(session: Session, persons: list[int], *, note: str | None = None) -> dict[str, Any]:
    """Fold every other person into the first."""
    from readouts.store.overrides import merge as run

    keep = persons[0]
    for other in persons[1:]:
        with _refusal_is_conflict():
            kept = run(session, keep, other, note=note)
        keep = kept.id
    return {"id": keep, "merged": persons[1:]}


def split(session: Session, person_id: int, *, documents: list[str], names: list[str],
          note: str | None = None) -> dict[str, Any]:
    """Move the person's mentions in these documents / with these names to a new person."""
    from readouts.store.overrides import split as run

    if not documents and not names:
        raise InputError("say which mentions to split off: `documents` (ids or hashes) and/or `names`")
    with _refusal_is_conflict():
        new = run(session, person_id, documents=documents, names=names, note=note)
    return {"id": person_id, "new_person": new.id}


@contextmanager
def _refusal_is_conflict() -> Iterator[None]:
    # readouts.store.overrides refuses with Conflict; a bare ReadoutsError from below is a refusal too.
    try:
        yield
    except ReadoutsError as e:
        if type(e) is not ReadoutsError:
            raise
        raise Conflict(str(e)) from e
