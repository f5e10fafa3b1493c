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
