"""The root Typer app and its global options."""
from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    name="readouts",
    help="Turn diplomatic press releases and readouts into a structured, searchable record of engagements.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, str | None] = {"db": None}


def _version(value: bool) -> None:
    if value:
        from readouts import __version__
        typer.echo(f"readouts {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: Annotated[str | None, typer.Option(
        "--db", envvar="READOUTS_DB",
        help="Database URL (sqlite:///path.db or postgresql://…); default: a SQLite file in the user data dir.",
    )] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    _state["db"] = db


def db_url() -> str:
    """The database URL chosen by --db, READOUTS_DB or the default."""
    from readouts import settings
    return _state["db"] or str(settings.get("db"))
