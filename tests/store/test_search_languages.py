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
