"""HTML pages -> main text, title, publication date and URL (trafilatura)."""
from __future__ import annotations

from collections.abc import Iterator

from readouts import settings
from readouts.errors import EmptyDocument, InputError, NotText, TooLarge
from readouts.ingest.readers import Item, SourceDocument, _one, reader

MARKUP_FACTOR = 20  # a page may carry this much markup per byte of text before parsing is refused


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise NotText(f"{name}: file contains NUL bytes; it looks binary, not HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Pages declare their own charset; trafilatura's detection handles the bytes.
        return data.decode("cp1252", errors="replace")


def html_document(name: str, data: bytes) -> SourceDocument:
    import trafilatura

    limit = settings.get_int("max_document_bytes") * MARKUP_FACTOR
    if len(data) > limit:
        raise TooLarge(f"{name}: HTML file is {len(data):,} bytes, over the limit of {limit:,} "
                       "(READOUTS_MAX_DOCUMENT_BYTES × 20)")
    html = _decode(name, data)
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=True, favor_recall=True)
    except Exception as e:  # noqa: BLE001 - trafilatura raises assorted lxml/parser errors
        raise InputError(f"{name}: cannot parse HTML ({type(e).__name__}: {e})") from None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise EmptyDocument(f"{name}: no main text found in the HTML (broken or empty page?)")
    return SourceDocument(name=name, text=text, title=getattr(doc, "title", None) or None,
                          date=getattr(doc, "date", None) or None, url=getattr(doc, "url", None) or None)


@reader(".html", ".htm", ".xhtml")
def read_html(name: str, data: bytes) -> Iterator[Item]:
    yield _one(name, lambda: html_document(name, data))
