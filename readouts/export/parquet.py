"""The tables of :mod:`readouts.export.tables` as Parquet files in a folder, written in batches."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readouts.export.registry import exporter
from readouts.export.source import Source
from readouts.export.tables import TABLES, Row, Table
from readouts.export.target import Target, replacing

if TYPE_CHECKING:
    import pyarrow as pa

BATCH_ROWS = 1000


def arrow_schema(table: Table) -> pa.Schema:
    import pyarrow as pa

    types = {"int": pa.int64(), "str": pa.string(), "date": pa.date32(), "list": pa.list_(pa.string())}
    return pa.schema([pa.field(name, types[kind]) for name, kind in table.columns])


@exporter("parquet", description="the CSV tables as Parquet files (typed: dates, lists)", suffix="/",
          open_with="DuckDB (`SELECT … FROM 'folder/*.parquet'`), pandas/polars (`read_parquet`), R (`arrow`)")
def write_parquet(source: Source, target: Target) -> dict[str, int]:
    folder = target.folder("parquet")
    return {t.name: _write_table(source, t, folder / f"{t.name}.parquet") for t in TABLES}


def _write_table(source: Source, table: Table, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    dates = [name for name, kind in table.columns if kind == "date"]
    n = 0
    with replacing(path) as partial, pq.ParquetWriter(partial, schema, compression="zstd") as writer:
        for batch in _batches(table.rows(source)):
            for row in batch:
                for d in dates:
                    row[d] = date.fromisoformat(row[d]) if row[d] else None
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def _batches(rows: Iterator[Row]) -> Iterator[list[dict[str, Any]]]:
    while batch := list(islice(rows, BATCH_ROWS)):
        yield batch
