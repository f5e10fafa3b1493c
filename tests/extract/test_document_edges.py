"""Documents whose last words are a title: found by ingesting the whole corpus (uswh-51ac16d47797)."""
from __future__ import annotations

from readouts.extract import extract


def test_a_document_that_ends_with_a_title_is_extracted():
    text = ("Together we will help him get the job done in order to save lives.\n\n"
            "Stefanie Feldman is Deputy Assistant to the President and Senior Advisor to the Domestic Policy Advisor")
    record = extract(text, date="2021-06-23")
    assert any(p.name == "Stefanie Feldman" for p in record.persons)


def test_readouts_extract_stays_callable_after_the_subpackage_is_imported():
    import readouts
    import readouts.extract  # binds the subpackage as readouts.extract
    from readouts.extract import extract_documents  # noqa: F401

    record = readouts.extract("Secretary Blinken met Foreign Secretary Marcelo Ebrard today.", date="2022-01-01")
    assert any(p.name.endswith("Ebrard") for p in record.persons)


def test_run_on_sentences_are_searched_in_bounded_pieces():
    """ "Blinken met Ebrard; " * 400 (8 KB, one sentence) took 174 s when every mention scanned the whole
    sentence and every other mention's subtree; the pieces it is now searched in are bounded."""
    from readouts.extract.events import sentences
    from readouts.extract.pipeline import load_nlp

    text = "Blinken met Ebrard; " * 400
    doc = load_nlp()(text)
    pieces = sentences.sentences_of(doc)
    assert max(len(p) for p in pieces) <= sentences.MAX_SENTENCE_TOKENS
    assert sum(len(p) for p in pieces) == len(doc)  # nothing dropped
    assert all(p.text.rstrip().endswith(";") for p in pieces[:-1])  # cut after a clause, not inside one
    record = readouts_extract("Secretary Blinken met Foreign Secretary Ebrard; " * 300)
    assert record.events and len(record.persons) == 2


def test_a_file_of_repeated_lines_with_no_full_stop_is_extracted():
    text = "Secretary Blinken met Minister X\n" * 2000  # one 16,000-token "sentence" to the parser
    record = readouts_extract(text)
    assert any(p.name.endswith("Blinken") for p in record.persons)


def readouts_extract(text: str):
    from readouts.extract import extract
    return extract(text, date="2022-01-01", language="en")  # repeated lines read as Dutch ("met") to a detector


def test_a_document_over_the_time_budget_is_reported_and_the_batch_goes_on(monkeypatch):
    from readouts.errors import OverBudget
    from readouts.extract import extract_documents
    from readouts.ingest.readers import SourceDocument

    docs = [SourceDocument(name=f"doc{i}", text=f"Secretary Blinken met Foreign Secretary Ebrard {i} times.")
            for i in range(3)]
    monkeypatch.setenv("READOUTS_DOC_SECONDS", "0.000001")
    out = list(extract_documents(docs))
    assert [s.name for s, _ in out] == ["doc0", "doc1", "doc2"]
    assert all(isinstance(r, OverBudget) and "READOUTS_DOC_SECONDS" in str(r) for _, r in out)
    monkeypatch.setenv("READOUTS_DOC_SECONDS", "0")  # no limit
    assert not any(isinstance(r, Exception) for _, r in extract_documents(docs))
