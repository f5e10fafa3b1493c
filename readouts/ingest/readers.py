"""Readers for the input kinds, registered by file suffix."""
from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from readouts import settings
from readouts.errors import EmptyDocument, InputError, MalformedLine, NotText, TooLarge


@dataclass
class SourceDocument:
    """A document as read, before extraction."""

    name: str  # what the user calls it in messages: path, or path:line
    text: str
    id: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass
class Item:
    name: str
    document: SourceDocument | None = None
    error: InputError | None = None


Reader = Callable[[str, bytes], Iterator[Item]]
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        for s in suffixes:
            READERS[s] = fn
        return fn
    return register


def check_text(name: str, text: str) -> str:
    limit = int(settings.get("max_document_bytes"))  # type: ignore[arg-type]
    if len(text.encode("utf-8", "surrogatepass")) > limit:
        raise TooLarge(f"{name}: document is {len(text.encode('utf-8', 'surrogatepass')):,} bytes, "
                       f"over the limit of {limit:,} (set READOUTS_MAX_DOCUMENT_BYTES to raise it)")
    if not text.strip():
        raise EmptyDocument(f"{name}: document has no text")
    if "\x00" in text:
        raise NotText(f"{name}: document contains NUL bytes; it looks binary, not text")
    return text


def decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise NotText(f"{name}: file contains NUL bytes; it looks binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise NotText(f"{name}: not valid UTF-8 (byte {e.start}: {data[e.start:e.start + 1]!r}); "
                      "convert it to UTF-8 first") from None


def _one(name: str, build: Callable[[], SourceDocument]) -> Item:
    try:
        doc = build()
        check_text(name, doc.text)
        return Item(name=name, document=doc)
    except InputError as e:
        return Item(name=name, error=e)


@reader(".txt", ".text", ".md")
def read_text(name: str, data: bytes) -> Iterator[Item]:
    yield _one(name, lambda: SourceDocument(name=name, text=decode(name, data)))


@reader(".jsonl", ".ndjson")
def read_jsonl(name: str, data: bytes) -> Iterator[Item]:
    if data[:2] == b"\x1f\x8b":  # _read_file already inflated a .gz file; this is stdin or a .jsonl that is gzip
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            yield Item(name=name, error=InputError(f"{name}: broken gzip data ({e})"))
            return
    for n, raw in enumerate(io.BytesIO(data), start=1):
        if not raw.strip():
            continue
        where = f"{name}:{n}"
        yield _one(where, lambda raw=raw, where=where: _document_from_line(where, raw))


def _document_from_line(where: str, raw: bytes) -> SourceDocument:
    try:
        obj = json.loads(decode(where, raw))
    except json.JSONDecodeError as e:
        raise MalformedLine(f"{where}: not a JSON object ({e.msg} at column {e.colno})") from None
    if not isinstance(obj, dict):
        raise MalformedLine(f"{where}: expected a JSON object with a 'text' field, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise MalformedLine(f"{where}: no 'text' string in the object")
    doc_id = obj.get("id")
    name = f"{where} ({doc_id})" if doc_id else where
    return SourceDocument(name=name, text=text, id=str(doc_id) if doc_id is not None else None,
                          title=_str(obj.get("title")), date=_str(obj.get("date")),
                          url=_str(obj.get("url") or obj.get("source")))


def _str(v: object) -> str | None:
    return str(v) if v is not None and v != "" else None


def suffix_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def read_paths(paths: Iterable[str | Path], *, recursive: bool = True) -> Iterator[Item]:
    """Every document in these files and folders; ``-`` is standard input."""
    for p in paths:
        if str(p) == "-":
            data = sys.stdin.buffer.read()
            fn = READERS[".jsonl"] if _looks_jsonl(data) else READERS[".txt"]
            yield from fn("<stdin>", data)
            continue
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in (path.rglob("*") if recursive else path.iterdir())
                           if f.is_file() and suffix_of(f) in READERS)
            for f in files:
                yield from _read_file(f)
        else:
            yield from _read_file(path)


def _read_file(path: Path) -> Iterator[Item]:
    name = str(path)
    fn = READERS.get(suffix_of(path))
    if fn is None:
        yield Item(name=name, error=InputError(f"{name}: unknown file type {path.suffix!r}; "
                                               f"readable: {', '.join(sorted(READERS))}"))
        return
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".gz":
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        yield Item(name=name, error=InputError(f"{name}: cannot read file ({e})"))
        return
    yield from fn(name, data)


def _looks_jsonl(data: bytes) -> bool:
    return data.lstrip()[:1] == b"{"
