"""The API's write operations, over the store's own functions: ingest one text, merge, split."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from readouts.errors import InputError, ReadoutsError


def ingest(session: Session, doc: dict[str, Any]) -> dict[str, Any]:
    """Extract one posted document and store it; an already stored text is reported, not duplicated."""
    from readouts.extract import extract_documents
    from readouts.ingest.readers import SourceDocument
    from readouts.model import document_id, normalise_text
    from readouts.store import schema as t
    from readouts.store.write import store_record

    text = normalise_text(doc["text"])
    if not text:
        raise InputError("the document is empty: post its plain text in `text`")
    h = document_id(text)
    existing = session.scalar(select(t.Document.id).where(t.Document.hash == h))
    if existing is not None:
        return {"id": existing, "hash": h, "created": False}
    src = SourceDocument(name=doc.get("external_id") or "posted document", text=text, id=doc.get("external_id"),
                         title=doc.get("title"), date=doc.get("date"), url=doc.get("source"))
    [(_, result)] = list(extract_documents([src]))
    if isinstance(result, ReadoutsError):
        raise result
    stored = store_record(session, result, doc_hash=h)
    from readouts.store.resolve import resolve
    resolve(session)  # settle its persons and events with the rest of the store, in the same transaction
    return {"id": stored.id, "hash": h, "created": True}


def merge(session: Session, persons: list[int], *, note: str | None = None) -> dict[str, Any]:
    """Fold every other person into the first."""
    from readouts.store.overrides import merge as run

    keep = persons[0]
    for other in persons[1:]:
        kept = run(session, keep, other, note=note)
        keep = kept.id
    return {"id": keep, "merged": persons[1:]}


def split(session: Session, person_id: int, *, documents: list[str], names: list[str],
          note: str | None = None) -> dict[str, Any]:
    """Move the person's mentions in these documents / with these names to a new person."""
    from readouts.store.overrides import split as run

    if not documents and not names:
        raise InputError("say which mentions to split off: `documents` (ids or hashes) and/or `names`")
    new = run(session, person_id, documents=documents, names=names, note=note)
    return {"id": person_id, "new_person": new.id}
