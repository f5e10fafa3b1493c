"""Language detection, language packs and the Spanish pipeline, on real releases."""
from __future__ import annotations

import gzip
import json

import pytest

from readouts.extract import extract, extract_documents
from readouts.extract.languages import detect
from readouts.ingest.readers import SourceDocument


@pytest.fixture(scope="module")
def spanish(corpus_dir) -> dict[str, dict]:
    with gzip.open(corpus_dir / "world-es-releases.jsonl.gz", "rt", encoding="utf-8") as fh:
        return {d["id"]: d for d in map(json.loads, fh)}


def test_a_paraguayan_audience_is_read_in_spanish(spanish):
    doc = spanish["paraguay_mre-13a2c19c1c"]  # "El ministro de Relaciones Exteriores recibió hoy en audiencia ..."
    record = extract(doc["text"], title=doc["title"], date=doc["date"], source=doc["url"])
    assert record.document.language == "es"
    by_name = {p.name: p for p in record.persons}
    acevedo = by_name["Euclides Acevedo"]
    assert acevedo.country == "PRY" and acevedo.positions[0].title == "Ministro de Relaciones Exteriores"
    envoy = by_name["José Frederico Viola de Drummond Ludovice"]  # particles inside a compound name
    assert envoy.country == "PRT" and envoy.positions[0].title == "Embajador"
    meeting = next(e for e in record.events if e.type == "meeting")
    assert meeting.status == "happened" and meeting.date == "2022-04-04"  # "hoy", from the release's date
    assert {acevedo.id, envoy.id} <= set(meeting.participants.persons)


def test_english_spanish_and_a_short_readout_are_detected(spanish, corpus_dir):
    with gzip.open(corpus_dir / "world-en-releases.jsonl.gz", "rt", encoding="utf-8") as fh:
        doc = json.loads(next(fh))
    assert detect(doc["text"], doc["title"]) == "en"
    assert detect(spanish["paraguay_mre-13a2c19c1c"]["text"]) == "es"
    # a short readout: among all 200 languages the detector knows, this one read as Nigerian Pidgin
    assert detect("Under Secretary Victoria Nuland will travel to Tanzania and Niger from July 31 to August 6.") == "en"


def test_the_detector_is_loaded_once_per_process(monkeypatch):
    """Its model is read from an lzma file (0.3 s): a decorator lost in a refactoring once made every document
    without a stated language load it again, and extraction of such documents 3.6 times slower."""
    from py3langid import langid

    from readouts.extract import languages

    languages._identifier.cache_clear()
    loads = []
    real = langid.LanguageIdentifier.from_modelpath
    monkeypatch.setattr(langid.LanguageIdentifier, "from_modelpath",
                        classmethod(lambda cls, *a, **k: loads.append(1) or real(*a, **k)))
    for text in ("The Secretary met the Foreign Minister.", "El canciller recibió al embajador."):
        detect(text)
    assert len(loads) == 1


def test_a_bilingual_release_is_in_the_language_it_opens_with(corpus_dir):
    with gzip.open(corpus_dir / "world-en-releases.jsonl.gz", "rt", encoding="utf-8") as fh:
        doc = next(d for d in map(json.loads, fh) if d["id"] == "un_sg_readouts-0cd1143510")
    assert "El Secretario General se reunió" in doc["text"]  # the Spanish version follows the English
    assert detect(doc["text"], doc["title"]) == "en"


def test_a_language_with_no_pack_keeps_its_text_and_gets_no_facts():
    text = "Le ministre des Affaires étrangères a rencontré son homologue allemand à Paris pour discuter de la coopération."
    [(_src, record)] = list(extract_documents([SourceDocument(name="fr.txt", text=text)]))
    assert not isinstance(record, Exception)
    assert record.document.language == "fr" and record.document.text == text
    assert record.persons == [] and record.events == []


def test_the_stated_language_overrides_detection():
    record = extract("Secretary Blinken met Minister X\n" * 20, language="en")  # read as Dutch ("met") by the detector
    assert record.document.language == "en" and any(p.name.endswith("Blinken") for p in record.persons)


def test_a_malformed_language_field_is_a_clear_error(cli, tmp_path):
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"id": "x", "text": "Secretary Blinken met Foreign Secretary Ebrard.", "language": "English!"}) + "\n")
    result = cli("extract", str(src), "--format", "jsonl")
    assert result.exit_code == 1
    assert "'language' must be an ISO 639-1 code" in result.stderr


def test_the_cli_says_why_a_document_has_no_facts(cli, tmp_path):
    src = tmp_path / "fr.txt"
    src.write_text("Le ministre des Affaires étrangères a rencontré son homologue allemand à Paris.\n", encoding="utf-8")
    result = cli("extract", str(src), "--format", "jsonl")
    assert result.exit_code == 0
    assert "text only:" in result.stderr and "'fr'" in result.stderr
    assert json.loads(result.stdout)["document"]["language"] == "fr"


def test_an_ingest_stores_a_document_with_no_pack_searchable_and_says_why(cli, tmp_path, monkeypatch):
    from readouts.query import search_documents
    from readouts.store import open_store

    src = tmp_path / "fr.txt"
    src.write_text("Le ministre des Affaires étrangères a rencontré son homologue allemand à Paris.\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("READOUTS_DB", db)
    result = cli("ingest", str(src))
    assert result.exit_code == 0, result.stderr
    assert "text only:" in result.stderr and "'fr'" in result.stderr
    with open_store(db) as store, store.session() as s:
        assert [h.document.title for h in search_documents(s, "homologue").items] == [None]
