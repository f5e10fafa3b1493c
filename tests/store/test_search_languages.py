"""Full-text search finds Spanish and English words whatever their accents and forms, on both stores."""
from __future__ import annotations

from readouts.query import search_documents
from tests.store.conftest import ingest_documents


def _store(db_url, corpus, tmp_path, ids):
    return ingest_documents(db_url, [corpus[i] for i in ids], tmp_path)


SPANISH = "paraguay_mre-13a2c19c1c"  # "recibió hoy en audiencia al embajador de la República Portuguesa"
ENGLISH = "usstate-18e3c0c2a0a6"  # "President Biden and President Lopez Obrador"


def test_search_ignores_accents_and_finds_other_forms_in_either_language(db_url, corpus, tmp_path):
    assert "República Portuguesa" in corpus[SPANISH]["text"] and "embajadores" not in corpus[SPANISH]["text"]
    with _store(db_url, corpus, tmp_path, [SPANISH, ENGLISH]) as store, store.session() as s:
        def found(q: str) -> set[str]:
            return {h.document.external_id for h in search_documents(s, q).items}
        assert found("Republica Portuguesa") == {SPANISH}  # no accents typed
        assert found("embajadores") == {SPANISH}  # the plural finds "embajador"
        assert found("República") == {SPANISH}
        assert found("calls Mexico") == {ENGLISH}  # "call", "Mexico's"
        assert found("Blinken") == {ENGLISH}
        assert found("audiencias Blinken") == set()  # every word must be there


def test_a_snippet_shows_where_a_long_document_names_the_word(db_url, corpus, tmp_path):
    """PostgreSQL makes snippets from a window around the first place a document names the query's
    longest word (ts_headline over whole transcripts was most of a search's time): the window must
    hold that place however deep in the document, accents and case aside."""
    english, spanish = "usstate-d922e8dc3615", "uswh-f792f635d265"
    assert corpus[english]["text"].index("Vietnam") > 10_000  # its only mention, near the end
    assert corpus[spanish]["text"].index("acompañados") > 2_500  # its only mention
    with _store(db_url, corpus, tmp_path, [english, spanish]) as store, store.session() as s:
        [hit] = search_documents(s, "vietnam").items
        assert "Vietnam" in [hit.snippet[a:b] for a, b in hit.snippet_spans]
        [hit] = search_documents(s, "ACOMPANADOS").items
        assert "acompañados" in hit.snippet
