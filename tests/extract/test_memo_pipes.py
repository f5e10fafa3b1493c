"""The memo attribute ruler and lemmatizer give spaCy's own output, token for token, on real releases."""
from __future__ import annotations

import gzip
import json
import warnings
from itertools import islice
from pathlib import Path

import numpy
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

from readouts.extract import languages, memo_pipes
from readouts.extract.pipeline import load_nlp

COLUMNS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
# "ain't" and "gonna" are what the English ruler's patterns of two tokens are for
EDGE = "I ain't sure they're gonna sign it, but Ms. Smith can't say. \n\n Talks   began."


def _texts(corpus: Path, lang: str, n: int) -> list[str]:
    path = corpus / {"en": "us-state-department-2021-2022.jsonl.gz", "es": "world-es-releases.jsonl.gz"}[lang]
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        docs = (json.loads(line) for line in fh)
        return [EDGE, *islice((d["text"] for d in docs if (d.get("language") or "en") == lang), n)]


@pytest.mark.parametrize(("lang", "limit"), [("en", memo_pipes.MEMO_LIMIT), ("es", memo_pipes.MEMO_LIMIT), ("en", 50)])
def test_same_tokens_as_spacy(corpus_dir, lang, limit, monkeypatch):
    monkeypatch.setattr(memo_pipes, "MEMO_LIMIT", limit)  # 50: the memos start again Doc after Doc
    texts = _texts(corpus_dir, lang, 25)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        plain = spacy.load(languages.pack(lang).spacy_model)
        memo = spacy.load(languages.pack(lang).spacy_model)
    memo_pipes.install(memo)
    replaced = [name for name, c in memo.pipeline if type(c).__module__ == memo_pipes.__name__]
    assert "attribute_ruler" in replaced and (lang != "en" or "lemmatizer" in replaced)
    for _ in range(2):  # the second pass answers from the memo
        for a, b in zip(plain.pipe(texts), memo.pipe(texts), strict=True):
            assert numpy.array_equal(a.to_array(COLUMNS), b.to_array(COLUMNS)), a.text[:80]
            assert [(t.lemma_, str(t.morph), t.pos_) for t in a] == [(t.lemma_, str(t.morph), t.pos_) for t in b]
    if lang == "en" and limit > 2 * memo_pipes.FIRST_ROWS:  # English keys hold the word form (Spanish: tags)
        # the tables outgrew their first room and were doubled on the way
        assert len(memo.get_pipe("attribute_ruler").memo) > 2 * memo_pipes.FIRST_ROWS


def test_readouts_pipeline_uses_them():
    nlp = load_nlp("en")
    assert type(nlp.get_pipe("attribute_ruler")) is memo_pipes.MemoAttributeRuler
    assert type(nlp.get_pipe("lemmatizer")) is memo_pipes.MemoLemmatizer
    doc = nlp("We ain't met. The ministers met in Lima and signed agreements.")
    assert [t.lemma_ for t in doc][:4] == ["we", "be", "not", "meet"]
    assert doc[-2].lemma_ == "agreement" and doc[-2].pos_ == "NOUN"
