"""Every format also runs on PostgreSQL, filtered (temporary scope tables) and not."""
from __future__ import annotations

import pytest

from readouts.filters import EventFilter
from tests.export.conftest import known_record


@pytest.mark.postgres
def test_every_format_on_postgres(postgres_url, tmp_path):
    from readouts.export import export, exporters
    from readouts.model import document_id
    from readouts.store import open_store
    from readouts.store.write import store_record

    with open_store(postgres_url) as store:
        record = known_record()
        with store.session() as s:
            store_record(s, record, doc_hash=document_id(record.document.text))
        for fmt in exporters():
            for f in (None, EventFilter(between=("MEX", "USA"), type="call")):
                out = tmp_path / f"{fmt.name}-{bool(f)}"
                report = export(store, format=fmt.name, out=out, filter=f)
                assert sum(report.counts.values()) > 0, (fmt.name, f)
        narrowed = export(store, format="csv", out=tmp_path / "calls", filter=EventFilter(type="call"))
        assert narrowed.counts["events"] == 1 and narrowed.counts["persons"] == 2
