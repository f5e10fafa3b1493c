"""Exporters registered by name; the built-in formats use the same path as plugins.

A format is a function ``write(source, target) -> dict[str, int]`` (counts of what it wrote)
registered with :func:`exporter`. Plugins register theirs from a module named by an entry
point in the ``readouts.exporters`` group; importing the module registers the format.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from readouts.errors import InputError

if TYPE_CHECKING:
    from readouts.export.source import Source
    from readouts.export.target import Target

WriteFn = Callable[["Source", "Target"], dict[str, int]]
ENTRY_POINT_GROUP = "readouts.exporters"


@dataclass(frozen=True)
class Exporter:
    name: str
    write: WriteFn
    description: str
    suffix: str  # what a file of this format is called: ".jsonl", ".gexf"; "/" for a folder
    open_with: str  # the tools that read it, for the CLI help and the README

    @property
    def writes_folder(self) -> bool:
        return self.suffix == "/"


EXPORTERS: dict[str, Exporter] = {}


def exporter(name: str, *, description: str, suffix: str, open_with: str) -> Callable[[WriteFn], WriteFn]:
    """Register ``write`` as the format ``name``; a later registration under the same name wins."""
    def register(fn: WriteFn) -> WriteFn:
        EXPORTERS[name] = Exporter(name, fn, description, suffix, open_with)
        return fn
    return register


def get_exporter(name: str) -> Exporter:
    _load_plugins()
    try:
        return EXPORTERS[name]
    except KeyError:
        raise InputError(f"no export format {name!r}; choose one of {', '.join(sorted(EXPORTERS))}") from None


def exporters() -> list[Exporter]:
    _load_plugins()
    return [EXPORTERS[n] for n in sorted(EXPORTERS)]


_plugins_loaded = False


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        ep.load()
