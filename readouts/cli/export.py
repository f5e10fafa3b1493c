"""``readouts export``: the store in another format, narrowed by the same filters as ``readouts events``."""
from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from readouts.cli.app import app, db_url
from readouts.cli.common import err_console, library_errors, with_event_filter
from readouts.filters import EventFilter

FORMATS_HELP = "ftm | popolo | plover | gexf | graphml | csv | parquet (and any plugin's)"


@app.command()
@with_event_filter
def export(
    format: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {FORMATS_HELP}.")],
    out: Annotated[str, typer.Option("--out", "-o", help="File to write, - for standard output; a folder for "
                                     "csv and parquet.")] = "-",
    *, f: EventFilter,
) -> None:
    """Export events, persons, organizations and positions, streamed: FollowTheMoney, Popolo, PLOVER,
    a who-met-whom network (GEXF, GraphML), or tables (CSV, Parquet). Filters narrow the events and
    keep the documents, persons and organizations they reach."""
    from readouts.export import export as run
    from readouts.export import get_exporter
    from readouts.store import open_store

    with library_errors():
        fmt = get_exporter(format)
        if fmt.writes_folder and out == "-":
            raise typer.BadParameter(f"the {format} export writes a folder of tables; give it with --out FOLDER",
                                     param_hint="--out")
        with open_store(db_url()) as store:
            try:
                report = run(store, format=format, out=out, filter=f)
            except BrokenPipeError:  # the reader of standard output stopped early (| head): not an error
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(0) from None
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    err_console.print(f"exported {counts} as {report.format} to {report.target} in {report.seconds:.1f}s",
                      soft_wrap=True, highlight=False)
