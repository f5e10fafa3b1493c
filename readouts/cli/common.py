"""What every command shares: error output, JSON output, progress bars, the event filter options."""
from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from readouts.errors import ReadoutsError
from readouts.filters import EventFilter

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


# --- the event filter, as options of every command that narrows events ------------------------

SinceOpt = Annotated[str | None, typer.Option(help="From this ISO date on (inclusive).")]
UntilOpt = Annotated[str | None, typer.Option(help="Up to this ISO date (inclusive).")]
_FILTER_OPTIONS: dict[str, Any] = {
    "between": Annotated[tuple[str, str] | None, typer.Option(
        help="Two ISO alpha-3 codes: events with participants from both, e.g. --between MEX USA.")],
    "country": Annotated[str | None, typer.Option(help="ISO alpha-3: events with a participant from it.")],
    "person": Annotated[str | None, typer.Option(help="A person's name or id.")],
    "topic": Annotated[str | None, typer.Option(help="A topic label, e.g. migration.")],
    "type": Annotated[str | None, typer.Option("--type", help="call | meeting | visit | signing | statement")],
    "status": Annotated[str | None, typer.Option(help="happened | planned | referenced")],
    "since": SinceOpt,
    "until": UntilOpt,
}


def event_filter(*, between: tuple[str, str] | None = None, country: str | None = None, **rest: Any) -> EventFilter:
    """The filter the options ask for (country codes upper-cased)."""
    return EventFilter(between=(between[0].upper(), between[1].upper()) if between else None,
                       country=country.upper() if country else None, **rest)


def with_event_filter(command: Callable[..., T]) -> Callable[..., T]:
    """Give a command the event filter options (--between, --country, --person, --topic, --type, --status,
    --since, --until); it receives them as one keyword argument ``f: EventFilter``."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "f"]
    options = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
               for name, annotation in _FILTER_OPTIONS.items()]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> T:
        chosen = {name: kwargs.pop(name) for name in _FILTER_OPTIONS}
        return command(f=event_filter(**chosen), **kwargs)

    params = [*(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own), *options]
    wrapper.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper
