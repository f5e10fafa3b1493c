"""A folder of CSV tables (see :mod:`readouts.export.tables`) with a Frictionless ``datapackage.json``.

UTF-8, a header row, RFC 4180 quoting; an empty field is a missing value; list columns hold a
JSON array (``["migration", "security"]``). ``datapackage.json`` gives every column's type and
which columns point at which table, for ``frictionless``, R's ``frictionless`` and the like.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from readouts.export.registry import exporter
from readouts.export.source import Source
from readouts.export.tables import TABLES, Table
from readouts.export.target import Target, replacing

FRICTIONLESS_TYPES = {"int": "integer", "str": "string", "date": "date", "list": "string"}


@exporter("csv", description="a folder of CSV tables (documents, persons, positions, organizations, events, "
          "participants, …) that join on their ids", suffix="/",
          open_with="pandas (`pd.read_csv`), R (`readr::read_csv`), DuckDB (`read_csv_auto`), a spreadsheet")
def write_csv(source: Source, target: Target) -> dict[str, int]:
    folder = target.folder("csv")
    counts = {t.name: _write_table(source, t, folder / f"{t.name}.csv") for t in TABLES}
    (folder / "datapackage.json").write_text(json.dumps(datapackage(), indent=2) + "\n", encoding="utf-8")
    return counts


def _write_table(source: Source, table: Table, path: Path) -> int:
    n = 0
    with replacing(path) as partial, partial.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(table.names)
        for row in table.rows(source):
            out.writerow([cell(row[name], kind) for name, kind in table.columns])
            n += 1
    return n


def cell(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return ""
    if kind == "list":
        return json.dumps(list(value), ensure_ascii=False)
    return value


def datapackage() -> dict[str, Any]:
    return {"name": "readouts-export", "profile": "tabular-data-package", "resources": [
        {"name": t.name, "path": f"{t.name}.csv", "profile": "tabular-data-resource", "encoding": "utf-8",
         "schema": {"fields": [_field(c, k) for c, k in t.columns], **_keys(t)}} for t in TABLES]}


def _field(name: str, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": FRICTIONLESS_TYPES[kind]}
    if kind == "list":
        out["description"] = "a JSON array of strings"
    return out


_POINTS_TO = {"person_id": "persons", "organization_id": "organizations", "document_id": "documents",
              "event_id": "events", "delegation_id": "delegations", "report_id": "event_sources"}


def _keys(t: Table) -> dict[str, Any]:
    own = "report_id" if t.name == "event_sources" else "id" if "id" in t.names else None
    out: dict[str, Any] = {"primaryKey": own} if own else {}
    fks = [{"fields": c, "reference": {"resource": _POINTS_TO[c], "fields": "report_id" if c == "report_id" else "id"}}
           for c in t.names if c in _POINTS_TO and c != own]
    if fks:
        out["foreignKeys"] = fks
    return out
