"""A corpus of bad and odd inputs, written into a folder: what an ingest meets in the wild.

``write_cases(folder, good_text)`` makes every case and returns, per file name, what must come of
it: "failed" (reported by name with a reason), "ignored" (listed as not read), or a number of
documents that must be stored. Cases that need the OS (FIFOs, links) are made where it allows.
"""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

LIMIT = 1_000_000  # the default READOUTS_MAX_DOCUMENT_BYTES


def _line(obj: object) -> bytes:
    return (json.dumps(obj) + "\n").encode()


def write_cases(folder: Path, good: str) -> dict[str, str | int]:
    folder.mkdir(parents=True, exist_ok=True)
    want: dict[str, str | int] = {}

    def put(name: str, data: bytes, expect: str | int) -> None:
        (folder / name).write_bytes(data)
        want[name] = expect

    doc = {"id": "good-1", "title": "A release", "date": "2022-02-13", "text": good}
    # plain text
    put("empty.txt", b"", "failed")
    put("blank.txt", b" \n\t\n  ", "failed")
    put("nul-bytes.txt", b"abc\x00def" * 10, "failed")
    put("latin1.txt", "Reunión del canciller".encode("latin-1"), "failed")
    put("utf16-bom.txt", (good + " U16.").encode("utf-16"), 1)
    put("utf32-bom.txt", (good + " U32.").encode("utf-32"), 1)
    put("utf16-no-bom.txt", good.encode("utf-16-le"), "failed")
    put("huge.txt", b"word " * (LIMIT // 5 + 10), "failed")
    put("bad-utf8-tail.txt", good.encode() + b"\xff\xfe\xfa", "failed")
    put("notes.md", (good + " Md.").encode(), 1)
    # JSON lines
    put("empty.jsonl", b"", "failed")
    put("blank-lines.jsonl", b"\n\n   \n", "failed")
    put("not-json.jsonl", b"this is not json\n", "failed")
    put("a-list.jsonl", b"[1, 2, 3]\n", "failed")
    put("no-text.jsonl", _line({"id": "x", "title": "no text"}), "failed")
    put("text-number.jsonl", _line({"id": "x", "text": 42}), "failed")
    put("text-empty.jsonl", _line({"id": "x", "text": ""}), "failed")
    put("text-nul.jsonl", _line({"id": "x", "text": "a\u0000b"}), "failed")
    put("lone-surrogate.jsonl", b'{"id": "s", "text": "Minister \\ud800 met"}\n', "failed")
    put("deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "failed")
    put("huge-int-id.jsonl", b'{"id": ' + b"9" * 5000 + b', "text": "Minister met."}\n', "failed")
    put("long-string-id.jsonl", _line({"id": "i" * 5000, "text": good}), "failed")
    put("over-long-line.jsonl", _line({"id": "big", "text": "x" * (2 * LIMIT + 70_000)}), "failed")
    put("bad-utf8.jsonl", b'{"id": "u", "text": "caf\xe9"}\n', "failed")
    put("bom-line.jsonl", b"\xef\xbb\xbf" + _line(doc | {"id": "bom", "text": good + " Bom."}), 1)
    put("crlf.jsonl", _line(doc | {"id": "crlf", "text": good + " Crlf."}).replace(b"\n", b"\r\n"), 1)
    put("mixed.jsonl", _line(doc | {"id": "m1", "text": good + " One."}) + b"garbage\n"
        + _line(doc | {"id": "m2", "text": good + " Two."}), "failed")  # one bad line; two stored
    want["mixed.jsonl:1"], want["mixed.jsonl:3"] = 1, 1
    put("odd-fields.jsonl", _line({"id": 7, "title": {"nested": True}, "date": "not a date", "text": good + " Odd."}),
        1)
    # gzip
    put("broken.jsonl.gz", b"\x1f\x8b\x08\x00garbage", "failed")
    put("truncated.jsonl.gz", gzip.compress(_line(doc))[:-12], "failed")
    put("bomb.txt.gz", gzip.compress(b"a" * (LIMIT * 4)), "failed")
    put("bomb-line.jsonl.gz", gzip.compress(b'{"text": "' + b"a" * (LIMIT * 3) + b'"}\n'), "failed")
    put("good.jsonl.gz", gzip.compress(_line(doc | {"id": "gz", "text": good + " Gz."})), 1)
    # other readers
    put("empty.html", b"", "failed")
    put("no-body.html", b"<html><head><title>x</title></head></html>", "failed")
    put("garbage.pdf", b"%PDF-1.4 this is not really a pdf", "failed")
    put("empty.pdf", b"", "failed")
    # not read at all, but listed
    put("data.json", _line(doc), "ignored")
    put("table.csv", b"a,b\n1,2\n", "ignored")
    put("README", b"no suffix", "ignored")
    # the file system's own oddities
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")
        want["pipe.txt"] = "failed"
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    want["dangling.txt"] = "failed"
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    want["loop-a.txt"] = want["loop-b.txt"] = "failed"
    sub = folder / "sub.txt"  # a folder whose name looks like a file
    sub.mkdir()
    (sub / "inner.txt").write_text(good + " Inner.", encoding="utf-8")
    want["inner.txt"] = 1
    (folder / "back-up").symlink_to(folder, target_is_directory=True)  # a link loop through a folder
    want["back-up"] = "ignored"
    return want
