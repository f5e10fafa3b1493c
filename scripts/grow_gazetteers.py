#!/usr/bin/env python3
"""Mine candidate gazetteer entries from the corpus, for a human to curate.

    .venv/bin/python scripts/grow_gazetteers.py [--corpus DIR] [--out DIR] [--min-count N]

Writes three TSV files of candidates with their corpus counts (most frequent first):

- ``agencies.tsv``: capitalised bodies headed by an organisation word ("Department of
  Homeland Security", "National Institute of Migration") and the acronym that follows
  them in parentheses, if any;
- ``titles.tsv``: capitalised phrases that stand right before a personal name and contain a
  title head word ("Deputy Secretary of State", "Foreign Minister");
- ``first_names.tsv``: first words of names that follow an honorific or a title;
- ``countries.tsv``: English country names with ISO 3166-1 alpha-3 codes (CLDR via Babel);
- ``cities.tsv``: "<City>, <Country>" pairs (``San Salvador, El Salvador``): where a sentence happens;
- ``officials.tsv``: surnames of office-holders the corpus names with their country ("Salvadoran
  President Nayib Bukele", "President Putin of Russia"), kept when one country dominates.

Nothing here is loaded by the extractor: curated rows are copied by hand into
``readouts/extract/data/`` (agencies.yaml, titles.yaml, first_names.txt, countries.tsv). Regular expressions
over the raw text keep the run to seconds; no spaCy pass over the corpus is needed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORG_HEADS = ("Department|Ministry|Office|Bureau|Agency|Council|Commission|Institute|Administration|"
             "Secretariat|Service|Corporation|Center|Centre|Foundation|Fund|Bank|Organization|"
             "Organisation|Authority|Embassy|Consulate|Parliament|Assembly|Committee|Program|Programme|"
             "Force|Command|Board|Directorate|Union|Alliance|Forum|Group")
CAP = r"(?:[A-Z][\w’'\-]*|of|for|and|the|on|de|la|del)"
AGENCY_RE = re.compile(
    rf"\b((?:[A-Z][\w’'\-]* ){{0,4}}(?:{ORG_HEADS})(?: (?:of|for|on) (?:the )?(?:{CAP} ){{0,5}}[A-Z][\w’'\-]*)?)"
    r"(?: \(([A-Z][A-Za-z]{1,8})[,)])?")
TITLE_HEADS = ("President|Minister|Secretary|Ambassador|Director|Advisor|Adviser|Administrator|Commissioner|"
               "Chancellor|Envoy|Coordinator|Spokesperson|Chairman|Chair|Governor|Representative|Counselor|"
               "Chief|Head|Officer|Assistant|Attorney General|King|Queen|Prince|Emir|Sultan|Premier|Senator|"
               "General|Admiral|Mayor|Speaker|Consul|Leader")
TITLE_RE = re.compile(
    rf"\b((?:[A-Z][\w’'\-\.]* |of |for |to |the ){{0,7}}(?:{TITLE_HEADS}))"
    r" ((?:[A-Z][a-z]+)(?: [A-Z]\.)?(?: [A-Z][\w’'\-]+){1,2})\b")
NAME_AFTER_RE = re.compile(
    rf"\b(?:Mr\.|Ms\.|Mrs\.|Dr\.|Honorable|Excellency|{TITLE_HEADS}) ([A-Z][a-z]{{2,}}) (?:[A-Z]\. )?[A-Z][a-z]+")


def documents(corpus: Path) -> Iterator[str]:
    for path in sorted(corpus.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)["text"]


def mine(corpus: Path) -> tuple[Counter, Counter, Counter]:
    agencies: Counter = Counter()
    titles: Counter = Counter()
    first_names: Counter = Counter()
    for text in documents(corpus):
        for m in AGENCY_RE.finditer(text):
            name = re.sub(r"^(?:The|the) ", "", m.group(1))
            agencies[(name, m.group(2) or "")] += 1
        for m in TITLE_RE.finditer(text):
            titles[re.sub(r"^(?:The|the) ", "", m.group(1))] += 1
        for m in NAME_AFTER_RE.finditer(text):
            first_names[m.group(1)] += 1
    return agencies, titles, first_names


CITY_RE = re.compile(r"(?<![\w.])((?:[A-Z][\w’'\-]+|de|del|da|al)(?: (?:[A-Z][\w’'\-]+|de|del|da|al)){0,2}), "
                     r"((?:the )?[A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){0,2})\b")
HEAD_TITLES = r"(?:President|Prime Minister|Vice President|Foreign Minister|King|Chancellor|Emir|Crown Prince|Premier)"
OFFICIAL_RE = re.compile(rf"\b([A-Z][a-z]+) {HEAD_TITLES} (?:[A-Z][\w’'\-]+ ){{0,3}}([A-Z][\w’'\-]+)\b")
OFFICIAL_OF_RE = re.compile(rf"\b{HEAD_TITLES} (?:[A-Z][\w’'\-]+ ){{0,3}}([A-Z][\w’'\-]+) of (?:the )?"
                            r"([A-Z][\w’'\-]+(?: [A-Z][\w’'\-]+){0,2})")


def mine_places(corpus: Path, countries: dict[str, str], demonyms: dict[str, str]) -> tuple[Counter, Counter]:
    """(city, country) pairs and (surname, country) pairs of heads of state and government."""
    cities: Counter = Counter()
    officials: Counter = Counter()
    for text in documents(corpus):
        for m in CITY_RE.finditer(text):
            code = countries.get(m.group(2).removeprefix("the "))
            if code and m.group(1) not in countries and m.group(1) not in demonyms:
                cities[(m.group(1), code)] += 1
        for m in OFFICIAL_RE.finditer(text):
            code = demonyms.get(m.group(1)) or ("USA" if m.group(1) in ("American",) else None)
            if code:
                officials[(m.group(2), code)] += 1
        for m in OFFICIAL_OF_RE.finditer(text):
            code = countries.get(m.group(2))
            if code:
                officials[(m.group(1), code)] += 1
    return cities, officials


def dominant(pairs: Counter, keep: int, share: float = 0.8) -> list[tuple[str, str, int]]:
    """Names that go with one country at least ``share`` of the time, seen at least ``keep`` times."""
    by_name: dict[str, Counter] = {}
    for (name, code), n in pairs.items():
        by_name.setdefault(name, Counter())[code] += n
    out = []
    for name, codes in by_name.items():
        code, n = codes.most_common(1)[0]
        if n >= keep and n >= share * sum(codes.values()):
            out.append((name, code, n))
    return sorted(out, key=lambda r: -r[2])


def country_names() -> list[tuple[str, str]]:
    """English names of every ISO 3166 country (CLDR, via Babel) with their alpha-3 codes."""
    from babel import Locale
    from babel.core import get_global

    withdrawn = {"BUR", "ZAR", "DDR", "FXX", "TMP", "YMD"}  # CLDR keeps old codes as aliases too
    alpha3 = {v[0]: k for k, v in get_global("territory_aliases").items()
              if len(k) == 3 and k.isalpha() and len(v) == 1 and k not in withdrawn}
    names = Locale("en").territories
    return sorted((names[a2], a3) for a2, a3 in alpha3.items() if a2 in names and not a2.isdigit())


def write(path: Path, rows: list[tuple]) -> None:
    path.write_text("".join("\t".join(str(c) for c in row) + "\n" for row in rows), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "gazetteer-candidates")
    ap.add_argument("--min-count", type=int, default=3)
    args = ap.parse_args()
    agencies, titles, first_names = mine(args.corpus)
    args.out.mkdir(parents=True, exist_ok=True)
    keep = args.min_count
    write(args.out / "agencies.tsv", [(name, acr, n) for (name, acr), n in agencies.most_common() if n >= keep])
    write(args.out / "titles.tsv", [(t, n) for t, n in titles.most_common() if n >= keep])
    write(args.out / "first_names.tsv", [(t, n) for t, n in first_names.most_common() if n >= keep])
    write(args.out / "countries.tsv", country_names())
    data = ROOT / "readouts" / "extract" / "data"
    read = lambda name: dict(ln.split("\t")[:2] for ln in (data / name).read_text(encoding="utf-8").splitlines()
                             if ln.strip() and not ln.startswith("#"))  # noqa: E731
    cities, officials = mine_places(args.corpus, read("countries.tsv"), read("demonyms.tsv"))
    write(args.out / "cities.tsv", dominant(cities, keep))
    write(args.out / "officials.tsv", dominant(officials, keep))
    print(f"{args.out}: {len(agencies)} agency, {len(titles)} title, {len(first_names)} first-name candidates")


if __name__ == "__main__":
    main()
