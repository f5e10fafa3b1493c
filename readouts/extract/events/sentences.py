"""The pieces a document is searched in: sentences, cut at blank lines and at most MAX_SENTENCE_TOKENS long."""
from __future__ import annotations

import bisect
import itertools
import re

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Span

from readouts.extract.events import places


def sentences_of(doc: Doc) -> list[Span]:
    """spaCy's sentences, cut again at blank lines (a header and the first line are two sentences)."""
    starts = token_starts(doc)
    cuts = sorted({int(numpy.searchsorted(starts, m.end(), side="left")) for m in BLANK_LINE.finditer(places.text_of(doc))})
    flags = doc.to_array([SENT_START]).reshape(-1)
    bounds = sorted({0, len(doc), *(int(i) for i in numpy.flatnonzero(flags == 1)), *cuts} - {len(doc) + 1})
    text = places.text_of(doc)
    spans = [piece for a, b in itertools.pairwise(bounds) if b > a for piece in _bounded(doc, a, b)]
    return [s for s in spans if text[s.start_char:s.end_char].strip()]


MAX_SENTENCE_TOKENS = 150  # longer "sentences" (run-ons, lists with no full stop) are searched in pieces


def _bounded(doc: Doc, a: int, b: int) -> list[Span]:
    """The sentence, or pieces of it no longer than MAX_SENTENCE_TOKENS, cut after the last ";" (else ",")
    before the bound: each mention looks at its whole sentence, so a run-on of 400 clauses would make
    the event search quadratic in the document's length."""
    out: list[Span] = []
    while b - a > MAX_SENTENCE_TOKENS:
        window = range(a + MAX_SENTENCE_TOKENS - 1, a + MAX_SENTENCE_TOKENS // 3, -1)
        cut = next((i + 1 for i in window if doc[i].text == ";"), None) or \
            next((i + 1 for i in window if doc[i].text == ","), None) or a + MAX_SENTENCE_TOKENS
        out.append(doc[a:cut])
        a = cut
    out.append(doc[a:b])
    return out


BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")


def token_starts(doc: Doc) -> numpy.ndarray:
    cached = doc.user_data.get("readouts.events.starts")
    if cached is None:
        cached = doc.user_data["readouts.events.starts"] = doc.to_array([IDX]).reshape(-1)
    return cached  # type: ignore[no-any-return]


def by_sentence(indices: list[int], starts: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i in indices:
        out.setdefault(bisect.bisect_right(starts, i) - 1, []).append(i)
    return out
