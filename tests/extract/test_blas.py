"""spaCy's matrix products go through numpy's BLAS on one thread, with spaCy's own parses and entities."""
from __future__ import annotations

import warnings

import blis.py
import numpy
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, POS, SENT_START, TAG
from threadpoolctl import threadpool_info, threadpool_limits

from readouts.extract import blas, languages
from readouts.extract.pipeline import load_nlp
from tests.extract.test_memo_pipes import _texts

COLUMNS = [TAG, POS, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]


def _blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


@pytest.fixture
def restore_blas_threads():
    with threadpool_limits(None):  # whatever install() sets is undone after the test
        yield


@pytest.mark.parametrize("lang", ["en", "es"])
def test_same_parses_and_entities_as_blis(corpus_dir, lang, monkeypatch, restore_blas_threads):
    texts = _texts(corpus_dir, lang, 25)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        plain = spacy.load(languages.pack(lang).spacy_model)
        ours = spacy.load(languages.pack(lang).spacy_model)
    expected = [d.to_array(COLUMNS) for d in plain.pipe(texts)]
    blas.install(ours)

    def no_blis(*args, **kwargs):
        raise AssertionError("a product went through blis")
    monkeypatch.setattr(blis.py, "gemm", no_blis)
    got = [d.to_array(COLUMNS) for d in ours.pipe(texts)]
    assert all(numpy.array_equal(a, b) for a, b in zip(expected, got, strict=True))


def test_one_thread_unless_set(monkeypatch, restore_blas_threads):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        nlp = spacy.load(languages.pack("es").spacy_model)
    blas.install(nlp)
    assert _blas_threads() == {1}
    monkeypatch.setenv("READOUTS_BLAS_THREADS", "2")
    blas.install(nlp)
    assert _blas_threads() == {2}


def test_readouts_pipeline_multiplies_with_numpy():
    nlp = load_nlp("en")
    nodes = [node for _, c in nlp.components if getattr(c, "model", None) is not None for node in c.model.walk()]
    assert nodes and all(node.ops is blas.NUMPY_BLAS for node in nodes)
    assert not blas.NUMPY_BLAS.use_blis
