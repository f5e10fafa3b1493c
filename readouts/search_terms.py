"""What a full-text search looks for, in every language the store holds.

Both stores ignore accents ("reunion" finds "reunión", "Lopez" finds "López") and find a word's
other forms ("reuniones" finds "reunión", "meetings" finds "meeting"):

- SQLite's FTS5 index drops diacritics itself (``unicode61 remove_diacritics 2``) but stems nothing,
  so each query word also matches as a prefix of its stem in each pack's language (Snowball
  stemmers, the same algorithms as PostgreSQL's).
- PostgreSQL stores each document's ``tsvector`` in its own language's configuration (``spanish``
  for Spanish documents, ``english`` otherwise; migration 0008) over accent-folded text, and a query
  is read in every configuration.
"""
from __future__ import annotations

from functools import lru_cache

import snowballstemmer  # type: ignore[import-untyped]

# Accented letters and their plain forms, for PostgreSQL (which has no accent folding without the unaccent
# extension, which needs a superuser to install): the letters of the languages releases are written in.
ACCENTED = "ÁÀÂÄÃÅáàâäãåÉÈÊËéèêëÍÌÎÏíìîïÓÒÔÖÕóòôöõÚÙÛÜúùûüÑñÇçÝýÿ"
PLAIN = "AAAAAAaaaaaaEEEEeeeeIIIIiiiiOOOOOoooooUUUUuuuuNnCcYyy"
MIN_STEM = 4  # a shorter stem as a prefix would match too much ("re*")

# Snowball stemmer names, and PostgreSQL text search configurations, of the language packs.
STEMMERS = {"en": "english", "es": "spanish"}
PG_CONFIGS = {"en": "english", "es": "spanish"}


def pg_fold(sql: str) -> str:
    """A SQL expression: ``sql`` with its accents removed."""
    return f"translate({sql}, '{ACCENTED}', '{PLAIN}')"


def pg_config(language_column: str) -> str:
    """A SQL expression: the text search configuration of a document's language."""
    cases = " ".join(f"WHEN '{code}' THEN '{cfg}'" for code, cfg in PG_CONFIGS.items() if code != "en")
    return f"(CASE {language_column} {cases} ELSE 'english' END)::regconfig"


def pg_tsvector(language_column: str, text_sql: str) -> str:
    """A SQL expression: a document's accent-folded words in its language's configuration. Each branch names
    its configuration as a constant, so the expression is immutable (a stored generated column)."""
    folded = pg_fold(text_sql)
    cases = " ".join(f"WHEN '{code}' THEN to_tsvector('{cfg}'::regconfig, {folded})"
                     for code, cfg in PG_CONFIGS.items() if code != "en")
    return f"(CASE {language_column} {cases} ELSE to_tsvector('english'::regconfig, {folded}) END)"


def pg_query(param: str) -> str:
    """A SQL expression: the query words in every configuration (a document matches in its own)."""
    return " || ".join(f"plainto_tsquery('{cfg}', {pg_fold(param)})" for cfg in PG_CONFIGS.values())


@lru_cache(maxsize=1)
def _stemmers() -> list[snowballstemmer.Stemmer]:
    return [snowballstemmer.stemmer(name) for name in STEMMERS.values()]


def fts5_match(words: list[str]) -> str:
    """An FTS5 query: every word, each as itself or as a prefix of its stem in any pack's language."""
    terms = []
    for word in words:
        forms = [f'"{word}"']
        for stemmer in _stemmers():
            stem = stemmer.stemWord(word.lower())
            if len(stem) >= MIN_STEM and f'"{stem}" *' not in forms:
                forms.append(f'"{stem}" *')
        terms.append("(" + " OR ".join(forms) + ")")
    return " AND ".join(terms)
