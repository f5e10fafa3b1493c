"""Readers for the input kinds, registered by file suffix."""
from __future__ import annotations

import codecs
import functools
import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    language: str | None = None  # ISO 639-1, as the input states it; None: detected from the text


@dataclass
class Item:
    name: str
    document: SourceDocument | None = None
    error: InputError | None = None
    skipped: str | None = None  # a file in a folder that is not read, and why (unknown suffix): not a failure


Reader = Callable[[str, bytes], Iterator[Item]]
MAX_ID_CHARS = 200  # the store's external_id column
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # ISO 639-1 (or 639-3 for languages that have no two-letter code)
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        for s in suffixes:
            READERS[s] = fn
        return fn
    return register


def check_text(name: str, text: str) -> str:
    limit = settings.get_int("max_document_bytes")
    if len(text.encode("utf-8", "surrogatepass")) > limit:
        raise TooLarge(f"{name}: document is {len(text.encode('utf-8', 'surrogatepass')):,} bytes, "
                       f"over the limit of {limit:,} (set READOUTS_MAX_DOCUMENT_BYTES to raise it)")
    if not text.strip():
        raise EmptyDocument(f"{name}: document has no text")
    if "\x00" in text:
        raise NotText(f"{name}: document contains NUL bytes; it looks binary, not text")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:  # "\ud800" in a JSON string: a half of a UTF-16 pair, no character
        raise NotText(f"{name}: the text holds a lone surrogate (U+{ord(text[e.start]):04X} at character "
                      f"{e.start}), which is no character; fix the escape in the source") from None
    return text


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # UTF-32 first: its LE BOM starts like UTF-16's


def decode(name: str, data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as e:
                raise NotText(f"{name}: starts with a {codec.upper()} byte order mark but is not valid "
                              f"{codec.upper()} (byte {e.start})") from None
    if b"\x00" in data[:8192]:
        raise NotText(f"{name}: file contains NUL bytes; it looks binary, not text "
                      "(UTF-16 and UTF-32 are read when they start with a byte order mark)")
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
    except Exception as e:  # noqa: BLE001 - one document's surprise must not stop the others
        return Item(name=name, error=InputError(f"{name}: cannot read ({type(e).__name__}: {e})"))


@reader(".txt", ".text", ".md")
def read_text(name: str, data: bytes) -> Iterator[Item]:
    yield _one(name, lambda: SourceDocument(name=name, text=decode(name, data)))


@reader(".jsonl", ".ndjson")
def read_jsonl(name: str, data: bytes) -> Iterator[Item]:
    if data[:2] == b"\x1f\x8b":  # _read_file already inflated a .gz file; this is stdin or a .jsonl that is gzip
        yield from read_jsonl_stream(name, gzip.GzipFile(fileobj=io.BytesIO(data)))
    else:
        yield from read_jsonl_stream(name, io.BytesIO(data))


def read_jsonl_stream(name: str, fh: Any) -> Iterator[Item]:  # a binary file: plain, gzip or in memory
    """One document per line, read a line at a time: a file of any size, or a gzip that inflates to
    gigabytes, costs the memory of its longest line, and a line over the size limit is refused by name."""
    limit = _line_limit()
    n = found = 0
    try:
        while True:
            raw = fh.readline(limit + 1)
            if not raw:
                break
            n += 1
            where = f"{name}:{n}"
            if len(raw) > limit and not raw.endswith(b"\n"):
                while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass  # skip to the end of the over-long line
                yield Item(name=where, error=TooLarge(f"{where}: line is over {limit:,} bytes "
                                                      "(set READOUTS_MAX_DOCUMENT_BYTES to raise it)"))
                found += 1
                continue
            if not raw.strip():
                continue
            found += 1
            yield _one(where, functools.partial(_document_from_line, where, raw))
    except (OSError, EOFError, zlib.error) as e:
        yield Item(name=name, error=InputError(f"{name}: broken or truncated data after line {n} ({e})"))
        return
    if not found:
        yield Item(name=name, error=EmptyDocument(f"{name}: no documents (the file has no JSON lines)"))


def _line_limit() -> int:
    """A JSON line holds one document plus its escapes and metadata: up to twice the document limit."""
    return 2 * settings.get_int("max_document_bytes") + 64 * 1024


def _document_from_line(where: str, raw: bytes) -> SourceDocument:
    try:
        obj = json.loads(decode(where, raw))
    except json.JSONDecodeError as e:
        raise MalformedLine(f"{where}: not a JSON object ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise MalformedLine(f"{where}: JSON nested too deeply to be a document") from None
    except ValueError as e:  # an integer of thousands of digits (int_max_str_digits)
        raise MalformedLine(f"{where}: not a usable JSON object ({e})") from None
    if not isinstance(obj, dict):
        raise MalformedLine(f"{where}: expected a JSON object with a 'text' field, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise MalformedLine(f"{where}: no 'text' string in the object")
    doc_id = obj.get("id")
    if doc_id is not None and len(str(doc_id)) > MAX_ID_CHARS:
        raise MalformedLine(f"{where}: 'id' is {len(str(doc_id)):,} characters long, over {MAX_ID_CHARS}")
    name = f"{where} ({doc_id})" if doc_id else where
    language = _str(obj.get("language"))
    if language is not None and not LANGUAGE_CODE.fullmatch(language.lower()):
        raise MalformedLine(f"{where}: 'language' must be an ISO 639-1 code such as \"en\" or \"es\", "
                            f"not {language[:40]!r}")
    return SourceDocument(name=name, text=text, id=str(doc_id) if doc_id is not None else None,
                          title=_str(obj.get("title")), date=_str(obj.get("date")),
                          url=_str(obj.get("url") or obj.get("source")),
                          language=language.lower() if language else None)


def _str(v: object) -> str | None:
    return str(v) if v is not None and v != "" else None


def suffix_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def read_paths(paths: Iterable[str | Path], *, recursive: bool = True) -> Iterator[Item]:
    """Every document in these files and folders; ``-`` is standard input.

    Nothing is dropped without a word: files of unknown type inside a folder come back as skipped,
    and FIFOs, devices, dangling links and link loops as failures, each by name."""
    for p in paths:
        if str(p) == "-":
            data = sys.stdin.buffer.read()
            fn = READERS[".jsonl"] if _looks_jsonl(data) else READERS[".txt"]
            yield from fn("<stdin>", data)
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, recursive)
        else:
            yield from _read_file(path)


def _walk(folder: Path, recursive: bool) -> Iterator[Item]:
    """The folder's files in name order. Links to folders are not followed (no loops); a link to a file is."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        for d in sorted(dirs):
            if (here / d).is_symlink():
                yield Item(name=str(here / d), skipped="a link to a folder: not followed")
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink()) if recursive else []
        for f in sorted(files):
            path = here / f
            if suffix_of(path) not in READERS and not path.is_symlink() and _kind(path) == "file":
                yield Item(name=str(path), skipped=f"unknown file type {path.suffix or '(none)'!r}; "
                                                   f"readable: {', '.join(sorted(READERS))}")
                continue
            yield from _read_file(path)


def _kind(path: Path) -> str:
    """'file', or what else the path is, in words."""
    try:
        mode = path.stat().st_mode  # follows a link: a dangling one or a loop raises
    except FileNotFoundError:
        return "a dangling link" if path.is_symlink() else "missing"
    except OSError as e:  # ELOOP
        return f"unreadable ({e.strerror})"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _read_file(path: Path) -> Iterator[Item]:
    name = str(path)
    kind = _kind(path)
    if kind != "file":  # reading a FIFO would block forever, a device may never end
        yield Item(name=name, error=InputError(f"{name}: cannot read: it is {kind}, not a file"
                                               if kind != "missing" else f"{name}: cannot read: no such file"))
        return
    fn = READERS.get(suffix_of(path))
    if fn is None:
        yield Item(name=name, error=InputError(f"{name}: unknown file type {path.suffix!r}; "
                                               f"readable: {', '.join(sorted(READERS))}"))
        return
    gz = path.suffix.lower() == ".gz"
    try:
        if fn is read_jsonl:
            with (gzip.open(path, "rb") if gz else path.open("rb")) as fh:
                yield from read_jsonl_stream(name, fh)
            return
        data = _read_limited(path, gz, settings.get_int("max_document_bytes"))
    except TooLarge as e:
        yield Item(name=name, error=e)
        return
    except (OSError, EOFError, zlib.error) as e:
        yield Item(name=name, error=InputError(f"{name}: cannot read file ({e})"))
        return
    yield from fn(name, data)


def _read_limited(path: Path, gz: bool, limit: int) -> bytes:
    """The file's bytes (inflated), refusing past ``limit`` without reading on: a small gzip may inflate
    to gigabytes. PDFs and HTML carry markup around their text, so they get ten times the limit."""
    cap = limit * (10 if suffix_of(path) in (".pdf", ".html", ".htm", ".xhtml") else 1)
    with (gzip.open(path, "rb") if gz else path.open("rb")) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise TooLarge(f"{path}: {'inflates past' if gz else 'is over'} the limit of {cap:,} bytes for one "
                       "document (set READOUTS_MAX_DOCUMENT_BYTES to raise it)")
    return data


def _looks_jsonl(data: bytes) -> bool:
    return data.lstrip()[:1] == b"{"
