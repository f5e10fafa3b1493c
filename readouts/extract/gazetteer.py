"""A language's curated word lists (``data/<lang>/``) and the spaCy matchers built from them, loaded once.

Data files (grown from the corpus by ``scripts/grow_gazetteers.py``, then curated by hand):
countries.tsv, demonyms.tsv, cities.tsv, officials.tsv (name -> ISO alpha-3), honorifics.txt, first_names.txt, not_name_words.txt,
titles.yaml (title heads and modifiers), agencies.yaml (named bodies with acronym, country, kind), words.yaml (the
small word lists the shared code reads: body heads, name particles, kin and venue words, ...).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import yaml

from readouts.extract.languages import data_file

if TYPE_CHECKING:  # spaCy is imported where matchers are built: resolution reads the word lists without it
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

NGO_KINDS = frozenset({"ngo", "think_tank", "international", "company"})


@dataclass(frozen=True)
class Agency:
    key: str
    name: str
    acronym: str | None
    country: str | None
    kind: str
    aliases: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()


class Words:
    """A language's small word lists (``words.yaml``), as attributes: ``words.org_heads``. Lists are
    frozensets; mappings (``kind_by_head``) are dicts."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._function_words: dict[str, list[str]] = raw.pop("function_words", None) or {}
        self._fw_cache: dict[tuple[str, ...], frozenset[str]] = {}
        for key, value in raw.items():
            setattr(self, key, dict(value) if isinstance(value, dict) else
                    value if isinstance(value, bool | str) else frozenset(value))

    def fw(self, *english: str) -> frozenset[str]:
        """This language's words for English function words ("of" -> "de", "del"): the rules are written
        with the English ones. A word the language does not map (punctuation, "’s") stands for itself."""
        found = self._fw_cache.get(english)
        if found is None:
            found = self._fw_cache[english] = frozenset(
                w for e in english for w in self._function_words.get(e, [e]))
        return found

    def __getattr__(self, name: str) -> Any:  # only reached for a list the language does not have
        raise AttributeError(f"words.yaml has no list {name!r}")


@dataclass
class Gazetteer:
    lang: str
    words: Words
    countries: dict[str, str]
    demonyms: dict[str, str]
    honorifics: frozenset[str]
    first_names: frozenset[str]
    not_name_words: frozenset[str]
    title_heads: frozenset[str]
    title_words: frozenset[str]
    title_modifiers: frozenset[str]
    implied_country: dict[str, str]
    home_titles: frozenset[str]
    ranks: frozenset[str]
    never_held_by: dict[str, frozenset[str]]
    agencies: dict[str, Agency]
    cities: dict[str, str] = field(default_factory=dict)
    officials: dict[str, str] = field(default_factory=dict)  # surname -> country
    leader_titles: frozenset[str] = frozenset()
    international_titles: frozenset[str] = frozenset()  # lower case: offices of international bodies
    not_bodies: frozenset[str] = frozenset()
    not_persons: frozenset[str] = frozenset()
    cctld: dict[str, str] = field(default_factory=dict)  # country-code domain -> ISO alpha-3
    government_host_labels: frozenset[str] = frozenset()
    generic_owners: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "foreign ministry" -> every body's key  # lower-cased phrases that are never a person ("pell grant")
    matchers: dict[int, Matchers] = field(default_factory=dict)

    def matchers_for(self, vocab: Vocab) -> Matchers:
        """Matchers compiled once per vocabulary (one pipeline), never per document."""
        found = self.matchers.get(id(vocab))
        if found is None:
            found = self.matchers[id(vocab)] = Matchers.build(self, vocab)
        return found

    def country_of(self, text: str) -> str | None:
        return self.countries.get(text) or self.demonyms.get(text) or self.countries.get(text.lower())


@dataclass
class Matchers:
    agency_names: PhraseMatcher  # case-insensitive full names and aliases
    agency_acronyms: PhraseMatcher  # case-sensitive acronyms
    places: PhraseMatcher  # country names and demonyms (case-sensitive)
    honorifics: PhraseMatcher
    titles: PhraseMatcher  # title heads, case-insensitive
    cities: PhraseMatcher  # city names (case-sensitive)

    @classmethod
    def build(cls, gaz: Gazetteer, vocab: Vocab) -> Matchers:
        import spacy
        from spacy.attrs import ORTH
        from spacy.matcher import PhraseMatcher

        blank = spacy.blank(gaz.lang, vocab=vocab)  # the language's tokenizer, sharing the vocab
        tokenizer: Any = blank.tokenizer
        for abbreviation in abbreviations(gaz.lang):  # as the pipeline keeps them whole ("Emb. Jorge Delgado")
            tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
        make_doc = blank.make_doc

        def phrase(attr: str, groups: dict[str, list[str]]) -> PhraseMatcher:
            m = PhraseMatcher(vocab, attr=attr)
            for key, texts in groups.items():
                m.add(key, [make_doc(t) for t in texts])
            return m

        names: dict[str, list[str]] = {}
        acronyms: dict[str, list[str]] = {}
        for a in gaz.agencies.values():
            names[a.key] = [a.name, *a.aliases]
            if a.acronym:
                acronyms[a.key] = [a.acronym]
            if a.generic:
                names["generic:" + a.key] = list(a.generic)
        places = {"country:" + k: [k] for k in gaz.countries if not k.islower()}
        places.update({"demonym:" + k: [k] for k in gaz.demonyms})
        return cls(
            agency_names=phrase("LOWER", names),
            agency_acronyms=phrase("ORTH", acronyms),
            places=phrase("ORTH", places),
            honorifics=phrase("ORTH", {"HON": sorted(gaz.honorifics)}),
            # the tokenizer splits "rep." but not "Rep.": patterns in both cases, matched on lower case
            titles=phrase("LOWER", {"TITLE": sorted({v for h in gaz.title_heads for v in (h, h.title())})}),
            cities=phrase("ORTH", {"city:" + k: [k] for k in gaz.cities}),
        )


def _lines(lang: str, name: str) -> list[str]:
    text = data_file(lang, name).read_text(encoding="utf-8")
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _tsv(lang: str, name: str) -> dict[str, str]:
    rows = dict(ln.split("\t")[:2] for ln in _lines(lang, name))  # type: ignore[misc]
    # releases write "People’s Republic" with a typographic apostrophe as often as with a straight one
    return rows | {k.replace("'", "’"): v for k, v in rows.items() if "'" in k}


def _yaml(lang: str, name: str) -> Any:
    return yaml.safe_load(data_file(lang, name).read_text(encoding="utf-8"))


def _agencies(rows: list[dict]) -> dict[str, Agency]:
    out = {}
    for i, row in enumerate(rows):
        key = f"a{i}"
        out[key] = Agency(key=key, name=row["name"], acronym=row.get("acronym"), country=row.get("country"),
                          kind=row.get("kind") or "other", aliases=tuple(row.get("aliases") or ()),
                          generic=tuple(row.get("generic") or ()))
    return out


@lru_cache(maxsize=4)
def abbreviations(lang: str = "en") -> tuple[str, ...]:
    """Abbreviations the tokenizer must keep whole (data/<lang>/abbreviations.txt), read once: the pipeline and
    the matchers' tokenizer both take them."""
    return tuple(_lines(lang, "abbreviations.txt"))


def lexicon(doc: Doc) -> Words:
    """The word lists of the document's language."""
    return load(doc.lang_).words


@lru_cache(maxsize=4)
def load(lang: str = "en") -> Gazetteer:
    titles = _yaml(lang, "titles.yaml")
    assert isinstance(titles, dict)
    heads = frozenset(h.lower() for h in titles["heads"])
    modifiers = frozenset(m.lower() for m in titles["modifiers"])
    agencies = _agencies(_yaml(lang, "agencies.yaml"))
    owners: dict[str, list[str]] = {}
    for a in agencies.values():
        for g in a.generic:
            owners.setdefault(g.lower(), []).append(a.key)
    return Gazetteer(
        lang=lang,
        words=Words(_yaml(lang, "words.yaml")),
        countries=_tsv(lang, "countries.tsv"),
        demonyms=_tsv(lang, "demonyms.tsv"),
        honorifics=frozenset(_lines(lang, "honorifics.txt")),
        first_names=frozenset(_lines(lang, "first_names.txt")),
        not_name_words=frozenset(_lines(lang, "not_name_words.txt")),
        title_heads=heads,
        title_words=frozenset(w for h in heads for w in h.replace("-", " ").split()),
        title_modifiers=modifiers,
        implied_country={k.lower(): v for k, v in (titles.get("implies_country") or {}).items()},
        home_titles=frozenset(t.lower() for t in titles.get("home_titles") or ()),
        ranks=frozenset(t.lower() for t in titles.get("ranks") or ()),
        never_held_by={k: frozenset(t.lower() for t in v) for k, v in (titles.get("never_held_by") or {}).items()},
        agencies=agencies,
        generic_owners={k: tuple(v) for k, v in owners.items()},
        cities=_tsv(lang, "cities.tsv"),
        officials=_tsv(lang, "officials.tsv"),
        not_bodies=frozenset(_lines(lang, "not_bodies.txt")),
        not_persons=frozenset(_lines(lang, "not_persons.txt")),
        cctld=_tsv(lang, "cctld.tsv"),
        government_host_labels=frozenset(_lines(lang, "government_host_labels.txt")),
        leader_titles=frozenset(t.lower() for t in titles.get("leader_titles") or ()),
        international_titles=frozenset(t.lower() for t in titles.get("international_titles") or ()),
    )
