"""A document's text with its persons, organizations and event evidence marked, as safe HTML.

Press releases are untrusted input: every piece of text is escaped, and the only markup in
the result is the ``<mark>``/``<a>`` elements built here. Spans may overlap (a person's name
inside an evidence sentence); the text is cut at every span boundary and each piece is
wrapped in the marks that cover it, so tags never cross.
"""
from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

# Outermost first: a sentence of evidence contains the names in it.
KIND_ORDER = {"evidence": 0, "organization": 1, "person": 2}


@dataclass(frozen=True)
class Highlight:
    """One span to mark: [start, end) into the text, a kind (a CSS class), an optional link."""

    start: int
    end: int
    kind: str
    href: str | None = None
    title: str | None = None
    extra_class: str | None = None  # e.g. "ev-3": which event's evidence, for its own colour
    anchor: str | None = None  # an id for the span's first piece, to link to it (#report-12)


def highlight(text: str, spans: Iterable[Highlight]) -> Markup:
    """``text`` escaped, with each span wrapped in ``<mark class="hl-KIND">`` (a link when it has one).

    Spans outside the text are clipped; empty or reversed ones are dropped.
    """
    marks = sorted(_clip(spans, len(text)), key=lambda h: (KIND_ORDER.get(h.kind, 9), h.start, -h.end))
    cuts = sorted({0, len(text), *(h.start for h in marks), *(h.end for h in marks)})
    out: list[Markup] = []
    for a, b in itertools.pairwise(cuts):
        piece = escape(text[a:b])
        for h in reversed([h for h in marks if h.start <= a and b <= h.end]):
            piece = _wrap(piece, h, first=a == h.start)
        out.append(piece)
    return Markup("").join(out)


def _clip(spans: Iterable[Highlight], n: int) -> list[Highlight]:
    kept = []
    for h in spans:
        start, end = max(0, int(h.start)), min(n, int(h.end))
        if start < end:
            kept.append(dataclasses.replace(h, start=start, end=end))
    return kept


def _wrap(inner: Markup, h: Highlight, *, first: bool) -> Markup:
    # Markup throughout: Markup.format escapes each argument, and str + Markup would escape the str.
    cls = " ".join(filter(None, ["hl", f"hl-{h.kind}", h.extra_class]))
    attrs = Markup("")
    if h.anchor and first:
        attrs += Markup(' id="{}"').format(h.anchor)
    if h.title:
        attrs += Markup(' title="{}"').format(h.title)
    if h.href:
        return Markup('<a class="{}" href="{}"{}>{}</a>').format(cls, h.href, attrs, inner)
    return Markup('<mark class="{}"{}>{}</mark>').format(cls, attrs, inner)
