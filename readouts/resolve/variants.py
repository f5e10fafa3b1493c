"""Is one name token another's variant? Nicknames, short forms and transliterations.

Two sources, both data: the ``nicknames`` package (a hand-curated table of English formal names
and their nicknames: "charles has_nickname chuck") and ``data/name_variants.txt`` (groups the
package lacks: "antony anthony tony", transliterations such as "sergey sergei"). Only direct
links count: two nicknames of one formal name ("ron" and "erin" of "aaron") are not linked, as
that chain joins different people far more often than it finds one.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

from readouts.resolve.names import fold

TOKEN_SIMILARITY = 90  # rapidfuzz ratio at which two long tokens are one spelling (typos, transliteration)


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[str]]:
    """token -> every token it is directly linked to (itself included)."""
    links: dict[str, set[str]] = {}

    def link(a: str, b: str) -> None:
        links.setdefault(a, {a}).add(b)
        links.setdefault(b, {b}).add(a)

    raw = resources.files("readouts.resolve").joinpath("data", "name_variants.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        words = [fold(w) for w in line.split()]
        if not words or line.startswith("#"):
            continue
        for w in words[1:]:  # a group: every member is every other's variant
            for v in words:
                if v != w:
                    link(v, w)
    with resources.files("nicknames").joinpath("names.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row.get("relationship") == "has_nickname":
                link(fold(row["name1"]), fold(row["name2"]))
    return {k: frozenset(v) for k, v in links.items()}


def same_token(a: str, b: str) -> bool:
    """One spelling of one name: equal, a listed variant, or a near spelling of four letters or more."""
    if a == b:
        return True
    if b in _groups().get(a, ()):
        return True
    return min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= TOKEN_SIMILARITY


def same_given(a: str, b: str) -> bool:
    """Given names of one person: the same token, or an initial against the name it starts."""
    return same_token(a, b) or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def canonical(token: str) -> str:
    """A stable representative of a token's variants (the alphabetically first), for grouping keys."""
    return min(_groups().get(token, (token,)))
