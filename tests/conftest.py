"""Shared fixtures: where the shared eval/corpus folders are, the CLI runner."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("READOUTS_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "eval" / "dev"
CORPUS = SHARED / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def dev_dir() -> Path:
    if not DEV.is_dir():
        pytest.skip(f"dev set not present at {DEV}")
    return DEV


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not present at {CORPUS}")
    return CORPUS


@pytest.fixture()
def cli():
    """Invoke the real Typer app in-process: cli(*args) -> Result."""
    from typer.testing import CliRunner

    from readouts.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)
    return run
