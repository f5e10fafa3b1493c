"""event_countries: each event's sides, filled at write time, kept in step, backfilled by the migration."""
from __future__ import annotations

import sqlalchemy as sa

from readouts import query
from readouts.filters import EventFilter
from readouts.model import document_id
from readouts.store import open_store
from readouts.store import schema as t
from readouts.store.db import upgrade
from readouts.store.overrides import merge, split
from readouts.store.write import delete_facts, store_record
from tests.store.conftest import make_record

MEET = "Secretary of State Antony J. Blinken met today with Mexican Foreign Secretary Marcelo Ebrard"


def _sides(s) -> dict[int, set[str]]:
    """Each event's sides; and every time they are read, event_country_pairs must hold their pairs."""
    out: dict[int, set[str]] = {}
    for event_id, country in s.execute(sa.select(t.EventCountry.event_id, t.EventCountry.country)):
        out.setdefault(event_id, set()).add(country)
    p = t.EventCountryPair
    pairs = {tuple(r) for r in s.execute(sa.select(p.country_a, p.country_b, p.event_id))}
    assert pairs == {(a, b, e) for e, sides in out.items() for a in sides for b in sides if a < b}
    return out


def _meeting(corpus, blinken_country="USA", extra_country=None):
    return make_record(corpus["usstate-bc64a53eea9b"], [("Antony J. Blinken", blinken_country),
                                                        ("Marcelo Ebrard", "MEX")],
                       [{"type": "meeting", "persons": ["Antony J. Blinken", "Marcelo Ebrard"], "evidence": MEET,
                             "countries": [extra_country] if extra_country else []}])


def test_sides_are_written_and_filters_use_them(db_url, corpus):
    with open_store(db_url) as store:
        with store.session() as s:
            store_record(s, _meeting(corpus, extra_country="CAN"), doc_hash="h1")
        with store.session() as s:
            assert list(_sides(s).values()) == [{"USA", "MEX", "CAN"}]
            for f in (EventFilter(country="MEX"), EventFilter(between=("USA", "MEX")),
                      EventFilter(between=("CAN", "USA"))):
                page = query.events(s, f)
                assert page.total == 1 and page.items[0].countries == ["CAN", "MEX", "USA"]
            assert query.events(s, EventFilter(country="FRA")).total == 0
            assert query.timeline(s, "MEX", "USA").total == 1


def test_between_reads_the_pairs_as_the_sides_say(db_url, corpus):
    """Every way of naming sides gives the events whose sides include them: a pair in either order, the
    same country twice, a pair with a third country, a pair with an event filter."""
    with open_store(db_url) as store:
        with store.session() as s:
            store_record(s, _meeting(corpus, extra_country="CAN"), doc_hash="h1")
            store_record(s, _meeting(corpus), doc_hash="h2")
            store_record(s, _meeting(corpus, blinken_country="CAN"), doc_hash="h3")
        with store.session() as s:
            sides = _sides(s)
            assert len(sides) == 3
            for f in (EventFilter(between=("USA", "MEX")), EventFilter(between=("mex", "usa")),
                      EventFilter(between=("CAN", "USA")), EventFilter(between=("USA", "USA")),
                      EventFilter(between=("MEX", "USA"), country="CAN"), EventFilter(between=("CAN", "FRA")),
                      EventFilter(between=("MEX", "CAN"), type="meeting"), EventFilter(between=("MEX", "CAN"), type="call")):
                named = {c.upper() for c in (*(f.between or ()), f.country) if c}
                want = {e for e, got in sides.items() if named <= got} if f.type != "call" else set()
                assert set(s.scalars(query.event_ids(s, f))) == want, f
                assert query.events(s, f).total == len(want), f


def test_sides_follow_reprocessing_and_person_corrections(db_url, corpus):
    rec = _meeting(corpus)
    with open_store(db_url) as store:
        with store.session() as s:
            doc = store_record(s, rec, doc_hash=document_id(rec.document.text))
            store_record(s, make_record(corpus["usstate-52aa1f2d5942"], [("Juan Gonzalez", "GTM")]), doc_hash="h2")
        with store.session() as s:
            event_id = s.scalar(sa.select(t.EventReport.event_id))
            ebrard, gonzalez = (s.scalar(sa.select(t.PersonMention.person_id).where(t.PersonMention.name == n))
                                for n in ("Marcelo Ebrard", "Juan Gonzalez"))
            merge(s, gonzalez, ebrard)  # a wrong manual merge: the Mexican side now has a Guatemalan's country
        with store.session() as s:
            assert _sides(s) == {event_id: {"USA", "GTM"}}
            split(s, gonzalez, names=["Marcelo Ebrard"])
        with store.session() as s:
            assert _sides(s)[event_id] == {"USA", "MEX"}
            delete_facts(s, doc.id)  # reprocessing starts by removing the document's facts
        with store.session() as s:
            assert _sides(s) == {}
            store_record(s, rec, doc_hash=doc.hash, document=s.get(t.Document, doc.id))
        with store.session() as s:
            assert list(_sides(s).values()) == [{"USA", "MEX"}]


def _downgrade(store, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from readouts.store.db import MIGRATIONS
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def test_migration_backfills_existing_events(db_url, corpus):
    with open_store(db_url) as store:
        with store.session() as s:
            store_record(s, _meeting(corpus, extra_country="CAN"), doc_hash="h1")
        with store.session() as s:
            before = _sides(s)
        _downgrade(store, "0001")  # back to before event_countries existed, then forward again
        upgrade(store, "head")
        with store.session() as s:
            assert _sides(s) == before and before
            indexes = {i["name"] for i in sa.inspect(s.connection()).get_indexes("events")}
            assert "ix_events_date" in indexes
