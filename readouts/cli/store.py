"""``readouts ingest | reprocess | stats | merge | split``: the engagement store."""
from __future__ import annotations

from typing import Annotated

import typer

from readouts.cli.app import app, db_url
from readouts.cli.common import err_console, library_errors, print_json, show_progress, warn_item

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
ProgressOpt = Annotated[bool | None, typer.Option("--progress/--no-progress",
                                                  help="Progress bar on stderr (default: when a terminal).")]


def _open():
    from readouts.store import open_store
    return open_store(db_url())


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (.txt, .html, .pdf, .jsonl, .jsonl.gz); "
                                               "- reads stdin.")],
    batch_size: Annotated[int | None, typer.Option(help="Documents per spaCy batch.")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Extract in N local worker processes "
                                                "(with --dask local: the LocalCluster's workers).")] = None,
    dask: Annotated[str | None, typer.Option(metavar="ADDRESS|local|slurm|pbs|sge|lsf", help="Extract on "
                                             "the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), "
                                             "on a LocalCluster started here ('local'), or on --workers batch "
                                             "jobs (dask-jobqueue: 'slurm', 'pbs', 'sge', 'lsf').")] = None,
    progress: ProgressOpt = None,
    json: JsonOpt = False,
) -> None:
    """Extract and store documents; already stored texts are skipped. Safe to interrupt and re-run.
    This process alone writes the store, whatever extracts."""
    from readouts.store.pipeline import ingest as run

    label = f"ingesting (Dask {dask})" if dask else f"ingesting ({workers} workers)" if workers else "ingesting"
    with library_errors(), _open() as store, _Bar(label, progress) as tick:
        report = run(store, paths, batch_size=batch_size, progress=tick, workers=workers, dask=dask)
    _summary(report, json, "stored")


@app.command()
def reprocess(
    all_documents: Annotated[bool, typer.Option("--all", help="Re-extract every document, not only those "
                                                "made by another extractor version.")] = False,
    batch_size: Annotated[int | None, typer.Option(help="Documents per spaCy batch.")] = None,
    progress: ProgressOpt = None,
    json: JsonOpt = False,
) -> None:
    """Re-extract stored documents with the current extractor, replacing their facts (history kept)."""
    from readouts.store.pipeline import reprocess as run

    with library_errors(), _open() as store, _Bar("reprocessing", progress) as tick:
        report = run(store, everything=all_documents, batch_size=batch_size, progress=tick)
    _summary(report, json, "reprocessed")


@app.command()
def resolve(
    all_documents: Annotated[bool, typer.Option("--all/--pending", help="Re-resolve the whole store (default), "
                                                "or only around documents not yet resolved.")] = True,
    json: JsonOpt = False,
) -> None:
    """Re-run cross-document resolution: one person one entity, one meeting one event. Manual merges and
    splits hold; every link that changes is logged with its reason."""
    from readouts.store.resolve import resolve as run

    with library_errors(), _open() as store, store.session() as s:
        report = run(s, everything=all_documents,
                     progress=(lambda msg: err_console.print(f"resolving {msg}")) if show_progress() else None)
    if json:
        print_json(report.as_dict())
        return
    err_console.print(f"resolved {report.mentions} person mentions ({report.persons_changed} moved, "
                      f"{report.persons} persons) and {report.reports} event reports ({report.events_changed} "
                      f"moved, {report.events} events) in {report.seconds:.1f}s")


@app.command()
def stats(json: JsonOpt = False) -> None:
    """Counts of documents, persons, organizations, events, and sources per event."""
    from readouts.store.stats import stats as run

    with library_errors(), _open() as store, store.session() as s:
        figures = run(s)
    if json:
        print_json(figures)
        return
    for key, value in figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
            key = "events by number of sources" if key == "events_by_sources" else key
        typer.echo(f"{key.replace('_', ' '):<28} {value}")


@app.command()
def merge(
    keep: Annotated[int, typer.Argument(help="Person id that stays.")],
    other: Annotated[int, typer.Argument(help="Person id folded into it.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the correction).")] = None,
    json: JsonOpt = False,
) -> None:
    """Make two persons one. Recorded, and re-applied after reprocessing."""
    from readouts.store.overrides import merge as run

    with library_errors(), _open() as store, store.session() as s:
        person = run(s, keep, other, note=note)
        out = {"person": person.id, "name": person.name, "merged": other}
    print_json(out) if json else typer.echo(f"merged #{other} into #{person.id} ({person.name})")


@app.command()
def split(
    person: Annotated[int, typer.Argument(help="Person id to split.")],
    document: Annotated[list[str] | None, typer.Option("--document", "-d", help="Move this person's mentions "
                                                       "in this document (hash, source id or row id).")] = None,
    name: Annotated[list[str] | None, typer.Option("--name", "-n", help="Move the mentions with this name.")] = None,
    note: Annotated[str | None, typer.Option(help="Why (kept with the correction).")] = None,
    json: JsonOpt = False,
) -> None:
    """Move some of a person's mentions to a new person. Recorded, and re-applied after reprocessing."""
    from readouts.store.overrides import split as run

    with library_errors(), _open() as store, store.session() as s:
        new = run(s, person, documents=document, names=name, note=note)
        out = {"person": person, "new_person": new.id, "name": new.name}
    print_json(out) if json else typer.echo(f"split #{new.id} ({new.name}) off #{person}")


def _summary(report, as_json: bool, verb: str) -> None:  # type: ignore[no-untyped-def]
    for f in getattr(report, "ignored", ()):
        err_console.print(f"[yellow]ignored:[/] {f.name}: {f.reason}", soft_wrap=True)
    for f in getattr(report, "text_only", ()):
        err_console.print(f"[yellow]text only:[/] {f.name}: {f.reason}", soft_wrap=True)
    for f in report.failed:
        warn_item(f.name, f.reason)
    if as_json:
        print_json(report.as_dict())
    else:
        rate = report.stored / report.seconds if report.seconds else 0.0
        err_console.print(f"{verb} {report.stored}, skipped {report.skipped} (already present), "
                          f"failed {len(report.failed)} — {report.seconds:.1f}s, {rate:.1f} docs/s")
    if report.failed:
        raise typer.Exit(1)


class _Bar:
    """A rich progress bar with documents/second on stderr when wanted; otherwise a no-op."""

    def __init__(self, label: str, wanted: bool | None) -> None:
        self.label = label
        self.wanted = show_progress() if wanted is None else wanted

    def __enter__(self):  # type: ignore[no-untyped-def]
        if not self.wanted:
            return lambda _kind: None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        self.bar = Progress(SpinnerColumn(), TextColumn(self.label), TextColumn("{task.completed} docs"),
                            TextColumn("{task.fields[counts]}"), TextColumn("{task.fields[rate]}"),
                            TimeElapsedColumn(), console=err_console)
        self.bar.start()
        task = self.bar.add_task(self.label, total=None, counts="", rate="")
        counts = {"stored": 0, "skipped": 0, "failed": 0}

        def tick(kind: str) -> None:
            counts[kind] = counts.get(kind, 0) + 1
            self.bar.advance(task)
            t = self.bar.tasks[0]
            rate = f"{counts['stored'] / t.elapsed:.1f} docs/s" if t.elapsed else ""
            self.bar.update(task, rate=rate, counts=", ".join(f"{k} {v}" for k, v in counts.items()))
        return tick

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        if self.wanted:
            self.bar.stop()
