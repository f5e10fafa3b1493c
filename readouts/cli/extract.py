"""``readouts extract``: records of documents to standard output."""
from __future__ import annotations

import enum
import json
import sys
from typing import Annotated

import typer

from readouts.cli.app import app
from readouts.cli.common import err_console, library_errors, show_progress, warn_item


class Format(str, enum.Enum):
    json = "json"
    jsonl = "jsonl"


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt, .jsonl, .jsonl.gz); - reads stdin.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="json: one object (an array for "
                                           "several documents); jsonl: one record per line.")] = Format.json,
    batch_size: Annotated[int, typer.Option(help="Documents per spaCy batch.")] = 16,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress",
                                                  help="Progress bar on stderr (default: when a terminal).")] = None,
) -> None:
    """Print the engagement record of each document (persons, organizations, delegations, events).

    A document that cannot be read or extracted is reported on stderr with its
    name and the reason; the others go on. Exit status 1 if any failed.
    """
    from readouts.extract import extract_documents
    from readouts.extract.languages import has_pack, no_pack_reason
    from readouts.ingest import read_paths

    failed = done = 0
    records: list[dict] = []
    items = read_paths(paths)

    def sources():
        nonlocal failed
        for item in items:
            if item.skipped is not None:
                err_console.print(f"[yellow]ignored:[/] {item.name}: {item.skipped}", soft_wrap=True)
            elif item.error is not None:
                failed += 1
                warn_item(item.name, str(item.error))
            else:
                yield item.document

    with library_errors(), _progress(progress) as advance:
        for src, result in extract_documents(sources(), batch_size=batch_size):
            advance()
            if isinstance(result, Exception):
                failed += 1
                warn_item(src.name, str(result))
                continue
            done += 1
            if not has_pack(result.document.language):
                err_console.print(f"[yellow]text only:[/] {src.name}: {no_pack_reason(result.document.language)}",
                                  soft_wrap=True)
            data = result.model_dump(mode="json")
            if format is Format.jsonl:
                sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
                sys.stdout.flush()
            else:
                records.append(data)
    if format is Format.json and (records or not failed):
        out = records[0] if len(records) == 1 else records
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    if failed or show_progress():
        err_console.print(f"extracted {done} document(s), {failed} failed")
    if failed:
        raise typer.Exit(1)


class _progress:
    """A rich progress bar on stderr when wanted; otherwise a no-op."""

    def __init__(self, wanted: bool | None) -> None:
        self.wanted = show_progress() if wanted is None else wanted

    def __enter__(self):
        if not self.wanted:
            return lambda: None
        from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        self.bar = Progress(SpinnerColumn(), TextColumn("extracting"), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), console=err_console)
        self.bar.start()
        task = self.bar.add_task("extract", total=None, rate="")

        def advance() -> None:
            self.bar.advance(task)
            t = self.bar.tasks[0]
            if t.elapsed:
                self.bar.update(task, rate=f"{t.completed / t.elapsed:.1f} docs/s")
        return advance

    def __exit__(self, *exc) -> None:
        if self.wanted:
            self.bar.stop()
