"""Every error readouts raises on purpose.

    ReadoutsError                  root: catch this to catch them all
    ├── InputError                 a document cannot be read or is not usable text
    │   ├── EmptyDocument          nothing but whitespace
    │   ├── NotText                binary or undecodable bytes
    │   ├── TooLarge               over the size limit (settings.max_document_bytes)
    │   ├── MalformedLine          a JSON Lines row that is not a document object
    │   └── OverBudget             extraction ran past its time budget (settings.doc_seconds)
    ├── Conflict                   a correction that contradicts the store (merging one person with itself)
    ├── StoreError                 the database cannot be opened, migrated or written
    └── NotFound                   a person, organization, event or document asked for is not there

Messages say what went wrong and what to do; the CLI prints them on one line
with the document's name, the web layer maps them to HTTP statuses.
"""
from __future__ import annotations


class ReadoutsError(Exception):
    """Root of every error readouts raises on purpose."""

    http_status = 500


class InputError(ReadoutsError):
    http_status = 400


class EmptyDocument(InputError):
    pass


class NotText(InputError):
    pass


class TooLarge(InputError):
    http_status = 413


class MalformedLine(InputError):
    pass


class OverBudget(InputError):
    http_status = 422


class Conflict(ReadoutsError):
    http_status = 409


class StoreError(ReadoutsError):
    http_status = 503


class NotFound(ReadoutsError):
    http_status = 404
