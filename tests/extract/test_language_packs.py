"""Every language pack is whole and its patterns compile: a mistake in a data file fails here, not on
every document of that language."""
from __future__ import annotations

import pytest
import yaml

from readouts.extract import gazetteer, languages
from readouts.extract.entities import delegations
from readouts.extract.pipeline import load_nlp

PACKS = sorted(languages.packs())


def _keys(lang: str) -> set[str]:
    return set(yaml.safe_load(languages.data_file(lang, "words.yaml").read_text(encoding="utf-8")))


@pytest.mark.parametrize("lang", PACKS)
def test_a_pack_has_every_word_list_the_shared_code_reads(lang):
    missing = _keys("en") - _keys(lang) - {"us_markers", "us_source_markers"}
    assert not missing, f"data/{lang}/words.yaml lacks {sorted(missing)}"
    gaz = gazetteer.load(lang)
    assert gaz.title_heads and gaz.countries and gaz.demonyms and gaz.agencies


@pytest.mark.parametrize("lang", PACKS)
def test_a_packs_pipeline_loads_and_its_patterns_compile(lang):
    nlp = load_nlp(lang)
    assert nlp.lang == lang
    gazetteer.load(lang).matchers_for(nlp.vocab)
    delegations.patterns(lang)
    if lang == "es":
        from readouts.extract.events import spanish
        spanish._matcher(nlp.vocab)  # raises MatchPatternError on a malformed pattern in data/es/events.yaml
