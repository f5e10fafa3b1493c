"""The ``readouts`` command: thin Typer commands over library functions.

Each module in this package registers its commands on :data:`app`; they are
discovered here so that a new command group needs no edit to a shared file.
Command modules import heavy libraries (spaCy, SQLAlchemy, FastAPI) inside
the command functions, so ``readouts --help`` stays fast.
"""
from __future__ import annotations

import importlib
import pkgutil

from readouts.cli.app import app

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name not in {"app", "common"}:
        importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = ["app"]
