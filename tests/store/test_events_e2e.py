"""Event de-duplication end to end: real corpus documents through the real extractor and ingest.

``test_resolution.py`` checks the same rules on hand-made records; these check that what the
extractor gives today lets them work.
"""
from __future__ import annotations

import sqlalchemy as sa

from readouts.store import schema as t
from tests.store.conftest import ingest_documents


def _ingest(db_url, corpus, tmp_path, ids):
    return ingest_documents(db_url, [corpus[i] for i in ids], tmp_path)


def _events_of(s, external_id: str, type_: str) -> set[int]:
    return set(s.scalars(sa.select(t.EventReport.event_id).join(t.Document).where(
        t.Document.external_id == external_id, t.EventReport.type == type_)))


def test_readout_and_remarks_of_the_blinken_ebrard_meeting_are_one_event(db_url, corpus, tmp_path):
    readout, remarks = "usstate-bc64a53eea9b", "usstate-067ddf44b186"
    with _ingest(db_url, corpus, tmp_path, [readout, remarks]) as store, store.session() as s:
        meeting = _events_of(s, readout, "meeting")
        assert len(meeting) == 1
        assert _events_of(s, remarks, "meeting") == meeting
        sources = s.scalar(sa.select(sa.func.count(sa.distinct(t.EventReport.document_id)))
                           .where(t.EventReport.event_id == next(iter(meeting))))
        assert sources == 2


def test_alike_meetings_in_tokyo_stay_apart(db_url, corpus, tmp_path):
    """Sherman with Mori on 20 July, with Kishi on 21 July, and the trilateral with Mori and Choi on 21 July."""
    mori, kishi, trilateral = "usstate-307fcee4923a", "usstate-d3eef2f90f9e", "usstate-8cb1a18beb0f"
    with _ingest(db_url, corpus, tmp_path, [mori, kishi, trilateral]) as store, store.session() as s:
        found = [_events_of(s, doc, "meeting") for doc in (mori, kishi, trilateral)]
        assert all(len(f) == 1 for f in found), found
        assert len(set.union(*found)) == 3
        sherman = set(s.scalars(sa.select(t.PersonMention.person_id).where(t.PersonMention.name.like("Wendy%"))))
        assert len(sherman) == 1  # the same Sherman in all three: kept apart by who else took part
