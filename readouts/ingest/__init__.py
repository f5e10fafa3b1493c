"""Files, folders and streams -> :class:`SourceDocument` (text + metadata).

Each reader yields :class:`Item` objects: either a document or the error that
kept one from being read, always with a name the user can find it by, so one
broken document never stops a batch. Readers register by file suffix with
``@reader``; the HTML and PDF readers live in their own modules, imported here.
"""
from readouts.ingest import html, pdf  # noqa: F401 - registers the .html and .pdf readers
from readouts.ingest.readers import Item, SourceDocument, read_paths

__all__ = ["Item", "SourceDocument", "read_paths"]
