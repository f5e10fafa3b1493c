"""The who-took-part-in-what arrays (readouts.copresence) hold every event's date and topics as stored."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from readouts import copresence
from readouts.store import open_store
from readouts.store import schema as t
from readouts.store.write import store_record
from tests.store.test_event_countries import _meeting


def test_the_arrays_hold_each_events_date_and_its_topics_once_in_lower_case(db_url, corpus):
    with open_store(db_url) as store:
        with store.session() as s:
            for n, country in enumerate(["CAN", None, "FRA", "DEU"]):
                store_record(s, _meeting(corpus, extra_country=country), doc_hash=f"h{n}")
        with store.session() as s:
            ids = list(s.scalars(sa.select(t.Event.id).order_by(t.Event.id)))
            assert len(ids) == 4
            for event_id, topics, when in zip(ids, [["Climate", "climate", "Trade"], [], ["trade"], ["climate"]],
                                              [date(2021, 3, 1), date(2020, 1, 2), None, date(2021, 3, 1)],
                                              strict=True):
                s.execute(sa.update(t.Event).where(t.Event.id == event_id).values(topics=topics, date=when))
            s.commit()
            idx = copresence.build(s)
            assert idx.event_ids.tolist() == ids
            assert idx.event_dates.tolist() == [date(2021, 3, 1).toordinal(), date(2020, 1, 2).toordinal(),
                                                copresence.NO_DATE, date(2021, 3, 1).toordinal()]
            assert {k: v.tolist() for k, v in idx.topic_events.items()} == {"climate": [0, 3], "trade": [0, 2]}
