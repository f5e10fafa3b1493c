"""The tables kept at write time (migration 0009) — event_persons, event_organizations and the
per-person summaries — equal a recomputation from the rows they summarise after every kind of write:
ingest, resolve, merge, split, reprocess, deletion; and the pages read from them answer as before."""
from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from readouts import query
from readouts.store import open_store
from readouts.store import schema as t
from readouts.store.db import upgrade
from readouts.store.overrides import merge, split
from readouts.store.pipeline import ingest, reprocess
from readouts.store.resolve import resolve
from readouts.store.sides import _parties
from readouts.store.summaries import SUMMARIES
from readouts.store.write import delete_facts

# readouts of meetings with ministers, a delegation list and titled officials (Blinken, Ebrard, Biden)
DOCS = ["usstate-bc64a53eea9b", "usstate-52aa1f2d5942", "usstate-69e7cfe7d1de", "usstate-93f8981ef4f5",
        "uswh-bf283a485ecc", "usstate-a5380a4c0f6c", "usstate-bffd89ef7d2d", "usstate-44762061f7c4",
        "usstate-1d8ed8adc534"]


def _stored(s, table) -> set[tuple]:
    cols = [c for c in table.__table__.columns if c.name != "id"]
    return set(s.execute(sa.select(*cols)).tuples())


def _recomputed(s) -> dict[str, set[tuple]]:
    out = {"event_persons": set(s.execute(_parties(None, t.EventParticipant.person_id)).tuples()),
           "event_organizations": set(s.execute(_parties(None, t.EventParticipant.organization_id)).tuples())}
    for table, _, select, _ in SUMMARIES:
        out[table.__tablename__] = set(s.execute(select()).tuples())
    return out


def _country_pairs(s) -> set[tuple]:
    sides: dict[int, set[str]] = {}
    for event_id, country in s.execute(sa.select(t.EventCountry.event_id, t.EventCountry.country)):
        sides.setdefault(event_id, set()).add(country)
    return {(a, b, e) for e, cs in sides.items() for a in cs for b in cs if a < b}


def _check(store) -> dict[str, set[tuple]]:
    with store.session() as s:
        want = {**_recomputed(s), "event_country_pairs": _country_pairs(s)}
        tables = [t.EventPerson, t.EventOrganization, t.EventCountryPair, *(x[0] for x in SUMMARIES)]
        got = {table.__tablename__: _stored(s, table) for table in tables}
    for name, rows in want.items():
        assert got[name] == rows, name
    return got


def _write(tmp_path, corpus, ids):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(corpus[i]) + "\n" for i in ids), encoding="utf-8")
    return path


def _busiest(store, n: int) -> list[int]:
    with store.session() as s:
        return list(s.scalars(sa.select(t.PersonMention.person_id).where(t.PersonMention.person_id.is_not(None))
                              .group_by(t.PersonMention.person_id).order_by(sa.func.count().desc(),
                                                                            t.PersonMention.person_id).limit(n)))


def test_summaries_follow_every_write(db_url, corpus, tmp_path):
    with open_store(db_url) as store:
        ingest(store, [_write(tmp_path, corpus, DOCS)])
        after_ingest = _check(store)
        assert all(after_ingest[k] for k in ("event_persons", "person_positions", "person_aliases",
                                             "organization_people")), {k: len(v) for k, v in after_ingest.items()}
        with store.session() as s:
            resolve(s, everything=True)
        _check(store)
        first, second = _busiest(store, 2)
        with store.session() as s:
            merge(s, first, second)
        merged = _check(store)
        assert not any(p == second for p, _ in merged["person_aliases"])
        with store.session() as s:
            doc = s.scalar(sa.select(t.PersonMention.document_id).where(t.PersonMention.person_id == first)
                           .order_by(t.PersonMention.document_id))
            split(s, first, documents=[str(doc)])
        _check(store)
        reprocess(store, everything=True)
        _check(store)
        with store.session() as s:
            delete_facts(s, doc)
        _check(store)


def test_the_migration_backfills_what_writes_keep(db_url, corpus, tmp_path):
    from tests.store.test_event_countries import _downgrade

    with open_store(db_url) as store:
        ingest(store, [_write(tmp_path, corpus, DOCS[:5])])
        before = _check(store)
        _downgrade(store, "0008")
        upgrade(store, "head")
        assert _check(store) == before


def test_a_merged_persons_page_counts_from_the_positions(db_url, corpus, tmp_path):
    """A person with another merged into it whose positions stayed apart (resolution gave the merged one
    new mentions) is read from the positions themselves, not by adding two summaries."""
    with open_store(db_url) as store:
        ingest(store, [_write(tmp_path, corpus, DOCS[:5])])
        first, second = _busiest(store, 2)
        with store.session() as s:
            summary = query._positions(s, [first])
            assert summary == query._positions_counted(s, [first])
            both = query._positions(s, [first, second])
            assert both == query._positions_counted(s, [first, second])


@pytest.mark.parametrize("budget", [1, 10_000])
def test_a_persons_documents_come_newest_first_on_every_page(db_url, corpus, tmp_path, monkeypatch, budget):
    """However a page of a person's documents is found on PostgreSQL (a walk down the newest documents, a
    sort of them all), it is that page of the person's documents by date, newest first (undated last), then
    by id; a walk whose window is too short for the page says so (None) rather than give a wrong page."""
    monkeypatch.setattr(query, "WALK_BUDGET", budget)
    with open_store(db_url) as store:
        ingest(store, [_write(tmp_path, corpus, DOCS)])
        person = _busiest(store, 1)[0]
        with store.session() as s:
            mine = sorted(set(s.scalars(sa.select(t.PersonMention.document_id)
                                        .where(t.PersonMention.person_id == person))))
            assert len(mine) >= 4
            # one undated document and two of one date (ordered by id)
            s.execute(sa.update(t.Document).where(t.Document.id == mine[0]).values(date=None))
            s.execute(sa.update(t.Document).where(t.Document.id.in_(mine[1:3])).values(date=date(2021, 3, 1)))
            s.commit()
            dates = dict(s.execute(sa.select(t.Document.id, t.Document.date)).all())
            want = sorted(mine, key=lambda d: (dates[d] is None, -(dates[d] or date.min).toordinal(), -d))
            for limit in (1, 2, 3):
                got = [x.id for offset in range(0, len(want) + limit, limit)
                       for x in query.person(s, person, limit=limit, offset=offset).documents.items]
                assert got == want, (limit, budget)
            assert query.person(s, person).documents.total == len(want)
            if db_url.startswith("postgresql"):  # the walk alone: a page, or None when its window is too short
                cond = t.PersonMention.person_id == person
                outcomes = set()
                for walk_budget in range(1, len(dates) + 1):
                    for offset in range(len(want) + 1):
                        page = query._walk_newest(s, t.PersonMention.document_id, cond, walk_budget, len(want),
                                                  2, offset)
                        outcomes.add(page is None)
                        assert page is None or page == want[offset:offset + 2], (walk_budget, offset)
                assert outcomes == {True, False}
