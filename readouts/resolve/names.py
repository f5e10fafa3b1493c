"""Folding names into comparable tokens and the keys the store indexes them by."""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from typing import NamedTuple


def fold(text: str) -> str:
    """Lower case, no accents, typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-").lower()


@cache
def word_list(name: str) -> frozenset[str]:
    """A data file of readouts/resolve/data: one entry a line, ``#`` comments."""
    raw = resources.files("readouts.resolve").joinpath("data", name).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#"))


_SPLIT = re.compile(r"[\s,]+")
_POSSESSIVE = re.compile(r"'s?$")


def name_tokens(name: str) -> list[str]:
    """The tokens that identify a person: titles, initials and suffixes dropped.

    "Secretary of State Antony J. Blinken" -> ["antony", "blinken"];
    "Roberto Velasco Álvarez" -> ["roberto", "velasco", "alvarez"].
    """
    text = fold(name).replace("-", " ").replace(".", ". ")
    tokens = [_POSSESSIVE.sub("", t.strip(".'\"()")) for t in _SPLIT.split(text)]
    tokens = [t for t in tokens if t]
    tokens = _strip_titles(tokens)
    suffixes = word_list("name_suffixes.txt")
    while tokens and tokens[-1] in suffixes:
        tokens.pop()
    return [t for t in tokens if len(t) > 1 and t.isalpha() or ("'" in t and len(t) > 2)]


def _strip_titles(tokens: list[str]) -> list[str]:
    titles = word_list("titles.txt")
    i = 0
    while i < len(tokens):
        for width in (3, 2, 1):
            if " ".join(tokens[i:i + width]) in titles:
                i += width
                break
        else:
            if tokens[i] == "of" and i > 0:  # "Minister of Foreign Affairs ..." is not a name start
                i += 1
                continue
            break
    rest = tokens[i:]
    # "Mexican Foreign Secretary Marcelo Ebrard": a title word inside means what precedes is no name.
    inner = [j for j, t in enumerate(rest[:-1]) if t in titles]
    return rest[inner[-1] + 1:] if inner else rest


class PersonKeys(NamedTuple):
    tokens: tuple[str, ...]
    name_key: str | None  # every token: "marcelo ebrard casaubon"
    match_key: str | None  # given name + first surname: "marcelo ebrard" — what lookups use


def person_keys(name: str) -> PersonKeys:
    """Keys of a person's name; a single token (a surname alone) gets none: it links only locally."""
    tokens = tuple(name_tokens(name))
    if len(tokens) < 2:
        return PersonKeys(tokens, None, None)
    return PersonKeys(tokens, " ".join(tokens), f"{tokens[0]} {tokens[1]}")
