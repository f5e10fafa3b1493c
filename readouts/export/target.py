"""Where an export goes: a file, standard output, or a folder of tables."""
from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from readouts.errors import InputError


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A path to write ``path`` at: renamed to it when the block ends, removed if the block fails,
    so that an interrupted export never leaves a truncated file under the final name."""
    partial = path.with_name(path.name + ".partial")
    try:
        yield partial
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)


@dataclass(frozen=True)
class Target:
    """``path`` None means standard output (or ``stream``, when a caller hands one in)."""

    path: Path | None = None
    stream: IO[bytes] | None = None

    @classmethod
    def of(cls, out: str | Path | IO[bytes] | None) -> Target:
        if out is None or out == "-":
            return cls()
        if isinstance(out, (str, Path)):
            return cls(path=Path(out))
        return cls(stream=out)

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "standard output"

    @contextmanager
    def binary(self) -> Iterator[IO[bytes]]:
        """The output as a byte stream (a file is written through :func:`replacing`)."""
        if self.path is None:
            out = self.stream or sys.stdout.buffer
            yield out
            out.flush()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(self.path) as partial, partial.open("wb") as fh:
            yield fh

    @contextmanager
    def text(self) -> Iterator[IO[str]]:
        with self.binary() as raw:
            wrapper = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
            try:
                yield wrapper
                wrapper.flush()
            finally:
                wrapper.detach()

    def folder(self, fmt: str) -> Path:
        """The folder a table format writes into (created; existing tables in it are replaced)."""
        if self.path is None:
            raise InputError(f"the {fmt} export writes a folder of tables; give one with --out FOLDER")
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"{self.path} is a file; the {fmt} export needs a folder for its tables")
        self.path.mkdir(parents=True, exist_ok=True)
        return self.path
