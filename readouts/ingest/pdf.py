"""PDF files -> text of every page (pypdf); title and date from the document info."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from readouts.errors import EmptyDocument, InputError
from readouts.ingest.readers import Item, SourceDocument, _one, reader


def pdf_document(name: str, data: bytes) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pdf = PdfReader(io.BytesIO(data))
        if pdf.is_encrypted and not _try_empty_password(pdf):
            raise InputError(f"{name}: PDF is encrypted; decrypt it first (e.g. qpdf --decrypt)")
        pages = [page.extract_text() or "" for page in pdf.pages]
        info: Any = pdf.metadata or {}
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise InputError(f"{name}: cannot read PDF ({type(e).__name__}: {e})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise EmptyDocument(f"{name}: PDF has no extractable text (scanned images need OCR first)")
    return SourceDocument(name=name, text=text, title=_info(info, "/Title"), date=_pdf_date(_info(info, "/CreationDate")))


def _try_empty_password(pdf) -> bool:  # type: ignore[no-untyped-def]
    try:
        return bool(pdf.decrypt(""))
    except Exception:  # noqa: BLE001 - unsupported algorithms raise various errors
        return False


def _info(info, key: str) -> str | None:  # type: ignore[no-untyped-def]
    value = info.get(key)
    return str(value).strip() or None if value else None


def _pdf_date(raw: str | None) -> str | None:
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})", raw or "")
    return f"{m[1]}-{m[2]}-{m[3]}" if m else None


@reader(".pdf")
def read_pdf(name: str, data: bytes) -> Iterator[Item]:
    yield _one(name, lambda: pdf_document(name, data))
