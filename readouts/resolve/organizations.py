"""Organization keys: long form, acronym and aliases reduce to the same lookup keys."""
from __future__ import annotations

import re
from collections.abc import Iterable

from readouts.model import Organization
from readouts.resolve.names import fold, word_list

_STOP = frozenset({"the", "of", "for", "and", "on", "in", "de", "la", "el", "del", "los", "las", "y", "&"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.\-]{1,9}$")


def name_key(name: str) -> str:
    """Content words, sorted: "the Department of State" and "State Department" meet."""
    words = re.findall(r"[a-z0-9]+", fold(name).replace("u.s.", "us").replace("'s", ""))
    return " ".join(sorted(w for w in words if w not in _STOP))


def acronym_key(text: str) -> str | None:
    text = text.strip()
    return "acr:" + re.sub(r"[.\-]", "", text).upper() if _ACRONYM.match(text) else None


def is_generic(key: str) -> bool:
    """A name every government has; without a country it names no one body."""
    return key in word_list("generic_organizations.txt")


def org_keys(org: Organization) -> list[str]:
    """Every key this organization mention can be found by."""
    keys: list[str] = []
    for text in _names(org):
        acr = acronym_key(text)
        key = acr or name_key(text)
        if key and key not in keys:
            keys.append(key)
    return keys


def _names(org: Organization) -> Iterable[str]:
    yield org.name
    if org.acronym:
        yield org.acronym
    yield from org.aliases


def compatible_country(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b
