"""``readouts search | person | events | network | serve``: asking the store."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any

import typer

from readouts.cli.app import app, db_url
from readouts.cli.common import SinceOpt, UntilOpt, fail, library_errors, print_json, with_event_filter
from readouts.filters import EventFilter

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, max=500, help="How many to show.")]
OffsetOpt = Annotated[int, typer.Option("--offset", min=0, help="How many to skip (pagination).")]


def _ask(fn: Any, **kwargs: Any) -> Any:
    """Run a query in one read session; library errors become one-line CLI errors."""
    from readouts.store import open_store

    with library_errors(), open_store(db_url()) as store, store.session() as s:
        return fn(s, **kwargs)


def _table(title: str, columns: list[str], rows: list[list[Any]], caption: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*["" if v is None else str(v) for v in r])
    Console().print(table)


def _paged(page: Any) -> str:
    shown = f"{page.offset + 1}–{page.offset + len(page.items)}" if page.items else "0"
    return f"{shown} of over {page.total - 1:,}" if page.estimated else f"{shown} of {page.total}"


def _names(refs: list[Any], n: int = 4) -> str:
    names = ", ".join(r.name for r in refs[:n])
    return names + (f" +{len(refs) - n}" if len(refs) > n else "")


def _event_rows(items: list[Any]) -> list[list[Any]]:
    return [[e.id, e.date or "?", e.type, _names(e.persons) or _names(e.organizations), " ".join(e.countries),
             ", ".join(e.topics), e.n_sources] for e in items]


EVENT_COLUMNS = ["id", "date", "type", "who", "countries", "topics", "sources"]


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words that must all occur (accents and case ignored).")],
    limit: LimitOpt = 20, offset: OffsetOpt = 0, json: JsonOpt = False,
) -> None:
    """Full-text search over stored documents, with persons and organizations named like the words."""
    from readouts import query

    result = _ask(query.search, text=text, limit=limit, offset=offset)
    if json:
        print_json(dataclasses.asdict(result))
        return
    if result.persons:
        _table("Persons", ["id", "name", "country", "documents"],
               [[p.id, p.name, p.country, p.n_documents] for p in result.persons])
    if result.organizations:
        _table("Organizations", ["id", "name", "country", "documents"],
               [[o.id, o.name + (f" ({o.acronym})" if o.acronym else ""), o.country, o.n_documents]
                for o in result.organizations])
    docs = result.documents
    _table(f"Documents matching {text!r}", ["id", "date", "title", "snippet"],
           [[h.document.id, h.document.date, h.document.title or h.document.external_id, h.snippet]
            for h in docs.items], caption=_paged(docs))


@app.command()
def person(
    name: Annotated[str, typer.Argument(help="A name or part of it (accents and case ignored), or a person id.")],
    limit: LimitOpt = 20, offset: OffsetOpt = 0, json: JsonOpt = False,
) -> None:
    """A person: positions over time, counterparts, events and sources. Exit 1 if nobody matches."""
    from readouts import query

    p = _ask(query.person, name_or_id=name, limit=limit, offset=offset)
    if json:
        print_json(dataclasses.asdict(p))
        return
    typer.echo(f"{p.name} (#{p.id}){' · ' + p.country if p.country else ''}")
    if p.aliases:
        typer.echo("also written: " + " · ".join(p.aliases))
    _table("Positions", ["title", "organization", "first seen", "last seen", "documents"],
           [[x.title, x.organization.name if x.organization else None, x.first_seen, x.last_seen, x.n_documents]
            for x in p.positions])
    _table("Counterparts", ["id", "name", "country", "events together"],
           [[c.person.id, c.person.name, c.person.country, c.n_events] for c in p.counterparts])
    _table("Events", EVENT_COLUMNS, _event_rows(p.events.items), caption=_paged(p.events))
    _table("Sources", ["id", "date", "title"],
           [[d.id, d.date, d.title or d.external_id or d.source] for d in p.documents.items],
           caption=_paged(p.documents))


@app.command()
@with_event_filter
def events(limit: LimitOpt = 20, offset: OffsetOpt = 0, json: JsonOpt = False, *, f: EventFilter) -> None:
    """Events, newest first, narrowed by any of the filters."""
    from readouts import query

    page = _ask(query.events, f=f, limit=limit, offset=offset)
    if json:
        print_json(dataclasses.asdict(page))
        return
    _table("Events", EVENT_COLUMNS, _event_rows(page.items), caption=_paged(page))


@app.command()
def network(
    country: Annotated[str | None, typer.Option(help="Keep links where one side serves this country (ISO3).")] = None,
    topic: Annotated[str | None, typer.Option(help="Only events on this topic.")] = None,
    since: SinceOpt = None, until: UntilOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=2000, help="Strongest links to show.")] = 30,
    json: JsonOpt = False,
) -> None:
    """Who met whom: pairs of persons and how many events they shared, strongest first."""
    from readouts import query

    net = _ask(query.network, country=country, topic=topic, since=since, until=until, max_edges=limit)
    if json:
        print_json(dataclasses.asdict(net))
        return
    names = {n.id: (n.name, n.country) for n in net.nodes}

    def who(pid: int) -> str:
        name, c = names[pid]
        return f"{name} ({c})" if c else name
    _table("Who met whom", ["person", "person", "events"],
           [[who(e.source), who(e.target), e.n_events] for e in net.edges],
           caption=f"{len(net.edges)} of {net.total_edges} links, {len(net.nodes)} persons")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    api_token_file: Annotated[Path | None, typer.Option(
        help="File holding the token that unlocks the write endpoints (or set READOUTS_API_TOKEN). "
             "Not given on the command line, where `ps` would show it.")] = None,
) -> None:
    """Serve the web UI and the JSON API (/api/, described at /api/docs) over the store."""
    import uvicorn

    from readouts import settings
    from readouts.web import create_app

    try:
        token = api_token_file.read_text(encoding="utf-8").strip() if api_token_file else settings.get("api_token")
    except OSError as e:
        raise fail(f"cannot read the token file {api_token_file}: {e.strerror}") from None
    if api_token_file and not token:
        raise fail(f"the token file {api_token_file} is empty")
    with library_errors():
        web_app = create_app(db_url(), api_token=str(token) if token else None)
    typer.echo(f"readouts on http://{host}:{port}/  (API: http://{host}:{port}/api/docs)", err=True)
    uvicorn.run(web_app, host=host, port=port, log_level="info")
