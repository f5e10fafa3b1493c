"""The event stage's data files (triggers, places, topics, PLOVER), loaded once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from readouts.extract.languages import data_file


def _load(name: str, lang: str = "en") -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader reads the gazetteer 10x faster
    with data_file(lang, name).open(encoding="utf-8") as f:
        return yaml.load(f, Loader=loader)


@dataclass(frozen=True)
class Triggers:
    verbs: dict[str, dict[str, str]]
    nouns: dict[str, dict[str, Any]]
    words: dict[str, frozenset[str]]

    def __getattr__(self, name: str) -> frozenset[str]:
        try:
            return self.words[name]
        except KeyError:
            raise AttributeError(name) from None


@lru_cache(maxsize=1)
def triggers() -> Triggers:
    raw = _load("events_triggers.yaml")
    verbs, nouns = raw.pop("verbs"), raw.pop("nouns")
    words = {k: frozenset(str(w).lower() for w in v) for k, v in raw.items()}
    return Triggers(verbs=verbs, nouns=nouns, words=words)


@dataclass(frozen=True)
class Places:
    country_by_name: dict[str, str]      # lower-case name or demonym -> ISO alpha-3
    country_names: frozenset[str]        # lower-case names that are countries (not demonyms)
    regions: frozenset[str]              # lower-case sub-national regions ("colorado", "d.c.")


def _key(name: str) -> str:
    name = name.lower().replace("’", "'").strip()
    return name.removeprefix("the ")


@lru_cache(maxsize=1)
def places() -> Places:
    raw = _load("events_places.yaml")
    by_name: dict[str, str] = {}
    names: set[str] = set()
    for code, entry in raw["countries"].items():
        for n in entry.get("names") or []:
            by_name.setdefault(_key(n), code)
            names.add(_key(n))
        for d in entry.get("demonyms") or []:
            by_name.setdefault(_key(d), code)
    return Places(country_by_name=by_name, country_names=frozenset(names),
                  regions=frozenset(_key(r) for r in raw["regions"]))


def country_code(name: str, *, demonyms: bool = True) -> str | None:
    """ISO alpha-3 of a country name ("the Philippines") or, with demonyms, an adjective ("Mexican")."""
    p = places()
    k = _key(name)
    if not demonyms and k not in p.country_names:
        return None
    return p.country_by_name.get(k)


@lru_cache(maxsize=4)
def topic_patterns(lang: str = "en") -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Topic labels (one English vocabulary for every language) and the pattern of each in ``lang``."""
    raw = _load("topics.yaml", lang)
    return tuple((label, re.compile(r"(?<![\w-])(?:" + "|".join(pats) + r")(?![\w-])", re.IGNORECASE))
                 for label, pats in raw.items())


@lru_cache(maxsize=1)
def plover_table() -> dict[str, Any]:
    return dict(_load("plover.yaml"))
