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

import re
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


SNIPPET_BEFORE, SNIPPET_CHARS = 40, 1500  # the window of a document that PostgreSQL's snippet is made from


def pg_first_at(text_sql: str, pattern_param: str) -> str:
    """A SQL expression: where ``text_sql`` first matches ``pattern_param`` (:func:`pg_first_match`), from
    1; 0 if nowhere. Needs PostgreSQL 15 (``regexp_instr``)."""
    return f"regexp_instr({text_sql}, {pattern_param}, 1, 1, 0, 'i')"


def pg_snippet_source(text_sql: str, at_sql: str) -> str:
    """A SQL expression: the part of a document a search snippet is made from, SNIPPET_CHARS from the word
    SNIPPET_BEFORE characters before ``at_sql`` (:func:`pg_first_at`), or from the start. ``ts_headline``
    parses all the text it is given (20 long transcripts took 75 ms whole), and when it finds no place
    holding every query word it shows the start of what it was given: a short run-up keeps the match
    in that."""
    return (f"CASE WHEN {at_sql} > {SNIPPET_BEFORE + 1} THEN regexp_replace(substr({text_sql}, {at_sql} - "
            f"{SNIPPET_BEFORE}, {SNIPPET_CHARS}), '^\\S*\\s+', '') ELSE substr({text_sql}, 1, {SNIPPET_CHARS}) END")


def pg_first_match(words: list[str]) -> str:
    """A PostgreSQL regular expression (case ignored) for where a document first names the query's longest
    word (its most telling: "covid" of "COVID-19", whose "19" would find any date): the word whole, or a
    word starting with one of its stems, each plain letter also matching its accented forms. The text
    itself is not folded: ``translate`` over 20 long documents took 160 ms."""
    folded = max(words, key=len).lower().translate(_FOLD)
    forms = {_any_accent(folded) + r"\M"}
    for stemmer in _stemmers():
        stem = stemmer.stemWord(folded)
        if len(stem) >= MIN_STEM:
            forms.add(_any_accent(stem))
    return r"\m(" + "|".join(sorted(forms)) + ")"


_FOLD = str.maketrans(ACCENTED, PLAIN)
_ACCENTS_OF = {plain: "".join(sorted({a.lower() for a, p in zip(ACCENTED, PLAIN) if p.lower() == plain}))
               for plain in set(PLAIN.lower())}


def _any_accent(folded: str) -> str:
    return "".join(f"[{ch}{_ACCENTS_OF[ch]}]" if ch in _ACCENTS_OF else re.escape(ch) if not ch.isalnum() else ch
                   for ch in folded)


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
