"""The government that issued a release: from its address, its U.S. markers, its opening's principal, or
the countries it names that are not someone else's."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlsplit

from spacy.tokens import Doc

from readouts.extract import gazetteer
from readouts.extract.entities.countries import known_official
from readouts.extract.entities.persons import Cluster
from readouts.extract.gazetteer import lexicon
from readouts.extract.marks import Marks, Place, text_of


def home_country(doc: Doc, marks: Marks, source: str | None, clusters: Sequence[Cluster] = ()) -> str | None:
    """The government that issued the document.

    U.S. bylines first; then the release's own principal, when the gazetteer knows whom they serve: the
    first person the opening names, unless a country is attached to them there ("Meeting of Foreign
    Minister Mevlüt Çavuşoğlu with ...": Türkiye); else the country the text names most, not counting
    the countries it attaches to someone else's office ("Japan's Special Envoy", "President of the French
    Republic") or sends someone to ("a working visit to Washington DC and New York, USA")."""
    text = text_of(doc)  # Doc.text is rebuilt from the tokens on every access
    head, tail = text[:400], text[-200:]
    if any(m in head or m in tail for m in lexicon(doc).us_markers) or (source and any(
            m in source for m in lexicon(doc).us_source_markers)):
        return "USA"
    if (host := _government_host_country(marks.gaz, source)) is not None:
        return host
    principal = _principal(doc, marks, clusters)
    if principal is not None:
        return principal
    opening = head.lower()
    if any(re.search(rf"\b{re.escape(t)}\b", opening) for t in marks.gaz.home_titles
           if " of state" in t or t == "spokesperson"):
        return "USA"  # "Under Secretary of State for Political Affairs Victoria Nuland will travel ..."
    counts = Counter(p.country for p in marks.places if not _attached_elsewhere(doc, marks, p))
    if not counts:
        counts = Counter(p.country for p in marks.places)
    return counts.most_common(1)[0][0] if counts else None


def _government_host_country(gaz: gazetteer.Gazetteer, source: str | None) -> str | None:
    """The country whose government's host the release comes from ("embamex.sre.gob.mx": MEX,
    "www.mofa.go.jp": JPN, "www.gov.uk": GBR), or None for any other address."""
    if not source or "://" not in source:
        return None
    labels = (urlsplit(source).hostname or "").split(".")
    if len(labels) >= 2 and labels[-2] in gaz.government_host_labels:
        return gaz.cctld.get(labels[-1])
    return None


OPENING_CHARS = 300  # the title line and the first sentence or so: where a release names its own principal


def _principal(doc: Doc, marks: Marks, clusters: Sequence[Cluster]) -> str | None:
    """The country of the first person the opening names, when the gazetteer knows it and the opening
    attaches no other country to them."""
    firsts = sorted((c.first, c) for c in clusters)
    if not firsts or doc[firsts[0][0]].idx > OPENING_CHARS:
        return None
    c = firsts[0][1]
    first = min(c.mentions, key=lambda x: x.start)
    if any(t.lower_ in lexicon(doc).fw("with", "to", "from", "by") for t in doc[max(0, first.start - 4):first.start]):
        return None  # "PM call with President Zelenskyy": the counterpart, not the release's own principal
    known = known_official(marks.gaz, c)
    if known is None:
        return None
    # a country attached to them: "Turkish Foreign Minister X", "X of Türkiye", "X, Foreign Minister of ..."
    attached = [p for p in marks.places if first.start - 4 <= p.start < first.start
                or first.end < len(doc) and doc[first.end].lower_ in lexicon(doc).fw("of", ",") and first.end < p.start <= first.end + 6
                and not any(t.lower_ in lexicon(doc).fw("with", "to", "and", "from") for t in doc[first.end:p.start])]
    return None if any(p.country != known for p in attached) else known


def _attached_elsewhere(doc: Doc, marks: Marks, p: Place) -> bool:
    """A country named as someone's ("Japan's Special Envoy", "Japanese Special Envoy", "President of the
    French Republic", "Foreign Minister Sergey Lavrov of the Russian Federation") or as a destination
    ("a working visit to Washington DC and New York, USA")."""
    k = p.end + 1 if p.end < len(doc) and doc[p.end].text in ("’s", "'s") else p.end
    while k < len(doc) and doc[k].lower_ in marks.gaz.title_modifiers and not marks.title[k]:
        k += 1  # "Japanese Special Envoy": a modifier may stand between the country and the office
    if k < len(doc) and marks.title[k]:
        return True
    i = p.start - 1
    if i >= 0 and doc[i].lower_ in lexicon(doc).fw("the"):
        i -= 1
    if i >= 0 and doc[i].lower_ in lexicon(doc).fw("of") and i >= 1 and (marks.title[i - 1] or doc[i - 1].ent_type_ == "PERSON"
                                                        or doc[i - 1].is_title and i >= 2 and marks.title[i - 2]):
        return True
    window = {t.lemma_.lower() for t in doc[max(0, p.start - 8):p.start]}  # "Ambassador to Kenya" is no trip
    return bool(window & lexicon(doc).travel_words) and doc[max(0, p.start - 1)].lower_ in lexicon(doc).fw("to", ",", "and")




def main_foreign_country(marks: Marks, home: str | None) -> str | None:
    counts = Counter(p.country for p in marks.places if p.country != home)
    return counts.most_common(1)[0][0] if counts else None
