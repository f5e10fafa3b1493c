"""What every command shares: error output, JSON output, progress bars."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console

from readouts.errors import ReadoutsError

err_console = Console(stderr=True, highlight=False)
T = TypeVar("T")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def warn_item(name: str, reason: str) -> None:
    err_console.print(f"[red]failed:[/] {reason if reason.startswith(name) else f'{name}: {reason}'}",
                      soft_wrap=True)


@contextmanager
def library_errors() -> Iterator[None]:
    """Translate the library's own errors into one-line CLI errors (the edge)."""
    try:
        yield
    except ReadoutsError as e:
        raise fail(str(e)) from None


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def show_progress() -> bool:
    return sys.stderr.isatty()


def call(fn: Callable[..., T], **kwargs: Any) -> T:
    with library_errors():
        return fn(**kwargs)
