"""Who took part in which canonical event, held as numpy arrays: the network, a person's counterparts
and a person's events are counted from it in milliseconds.

The arrays are built by one read of ``event_persons`` (migration 0009) and one of the events (:func:`build`), and
:mod:`readouts.query` keeps them per store fingerprint. On a million events a filtered network was a
walk over every event in Python (1.2-1.7 s); here it is a mask over the events, a gather of the
co-participations those events hold and one ``bincount`` of their pairs.

Persons are counted by the id their participant rows carry (a person merged into another keeps its
own id here, as the network always showed it); events without a date never pass a ``since`` or
``until``.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.orm import Session

from readouts.store.schema import Event, EventPerson, Person

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]
NO_DATE = np.iinfo(np.int64).min  # sorts before every real ordinal


@dataclass
class Copresence:
    # events, in id order
    event_ids: Ints
    event_dates: Ints  # date.toordinal(), NO_DATE when undated
    topic_events: dict[str, Ints]  # lower-cased topic -> positions of the events carrying it
    # persons, in id order (every person row, merged ones included)
    person_ids: Ints
    names: list[str]
    countries: list[str | None]
    # one row per (event, person) that took part, sorted by event then person: positions
    part_event: Ints
    part_person: Ints
    by_person: Ints  # row numbers of part_* in person order
    person_start: Ints  # rows of person i: by_person[person_start[i]:person_start[i + 1]]
    # one row per pair of persons in one event (src < dst): the event and the pair's number
    pair_event: Ints
    pair_id: Ints
    pair_src: Ints  # per pair number: person positions; pair numbers follow (src id, dst id) order
    pair_dst: Ints

    def person_pos(self, person_id: int) -> int | None:
        i = int(np.searchsorted(self.person_ids, person_id))
        return i if i < len(self.person_ids) and self.person_ids[i] == person_id else None

    def events_of(self, person_ids: list[int]) -> Ints:
        """Positions of the events these persons took part in, each once."""
        rows = [self.by_person[self.person_start[i]:self.person_start[i + 1]]
                for i in (self.person_pos(p) for p in person_ids) if i is not None]
        return np.unique(self.part_event[np.concatenate(rows)]) if rows else np.empty(0, np.int64)

    def sorted_events(self, positions: Ints, *, oldest_first: bool) -> Ints:
        """Event ids by date (newest or oldest first), undated last, then by id."""
        dates = self.event_dates[positions]
        undated = dates == NO_DATE
        ids = self.event_ids[positions]
        order = np.lexsort((ids, dates if oldest_first else -np.where(undated, 0, dates), undated))
        return ids[order]  # type: ignore[no-any-return]

    def counterparts(self, person_id: int, limit: int) -> list[tuple[int, int]]:
        """(person id, shared events) of those who took part in events with ``person_id``: most shared
        first, then by name and id."""
        i = self.person_pos(person_id)
        if i is None:
            return []
        marked = np.zeros(len(self.event_ids), np.bool_)
        marked[self.events_of([person_id])] = True
        shared = np.bincount(self.part_person[marked[self.part_event]], minlength=len(self.person_ids))
        shared[i] = 0
        top = _top(shared, limit)
        ranked = sorted(top, key=lambda p: (-shared[p], self.names[p], self.person_ids[p]))[:limit]
        return [(int(self.person_ids[p]), int(shared[p])) for p in ranked]

    def pairs(self, *, country: str | None, topic: str | None, since: date | None, until: date | None,
              max_edges: int) -> tuple[list[tuple[int, int, int]], int]:
        """The heaviest pairs (src id, dst id, events) among the events the filters keep, by weight then
        ids, and how many pairs there are. ``country``: at least one side serves it."""
        keep = np.ones(len(self.event_ids), np.bool_)
        if topic is not None:
            keep[:] = False
            keep[self.topic_events.get(topic, np.empty(0, np.int64))] = True
        if since is not None:
            keep &= (self.event_dates != NO_DATE) & (self.event_dates >= since.toordinal())
        if until is not None:
            keep &= (self.event_dates != NO_DATE) & (self.event_dates <= until.toordinal())
        counts = np.bincount(self.pair_id[keep[self.pair_event]], minlength=len(self.pair_src))
        if country is not None:
            serves = np.asarray(np.array(self.countries, dtype=object) == country, np.bool_)
            counts[~(serves[self.pair_src] | serves[self.pair_dst])] = 0
        total = int(np.count_nonzero(counts))
        top = _top(counts, max_edges, ties_by_position=True)
        ranked = top[np.lexsort((top, -counts[top]))][:max_edges]
        return [(int(self.person_ids[self.pair_src[k]]), int(self.person_ids[self.pair_dst[k]]), int(counts[k]))
                for k in ranked], total


def _top(counts: Ints, n: int, *, ties_by_position: bool = False) -> Ints:
    """Positions of the non-zero counts that can be among the ``n`` largest: those above the n-th
    largest and those equal to it — all of them, or with ``ties_by_position`` only the lowest
    positions that still fit (ties broken by position, so the rest cannot be in the first ``n``)."""
    nonzero = np.flatnonzero(counts)
    if len(nonzero) <= n:
        return nonzero
    values = counts[nonzero]
    cut = np.partition(values, len(values) - n)[len(values) - n]
    if not ties_by_position:
        return nonzero[values >= cut]
    above = nonzero[values > cut]
    return np.concatenate([above, nonzero[values == cut][:n - len(above)]])


def build(session: Session) -> Copresence:
    """Read the participants, events and persons once and lay them out as arrays.

    Rows are read through the connection, not the ORM session, and each distinct topic list is parsed
    once: on a million events, parsing every event's topics as JSON and loading ORM rows took 20 of the
    build's 26 seconds."""
    conn = session.connection()
    events = _events(conn)
    people = conn.execute(sa.select(Person.id, Person.name, Person.country).order_by(Person.id)).all()
    person_ids = np.array([p.id for p in people], np.int64)
    rows = conn.execute(sa.select(EventPerson.event_id, EventPerson.person_id)).all()
    raw = np.fromiter(itertools.chain.from_iterable(rows), np.int64, count=2 * len(rows)).reshape(-1, 2)
    part_event = np.searchsorted(events[0], raw[:, 0]).astype(np.int64)
    part_person = np.searchsorted(person_ids, raw[:, 1]).astype(np.int64)
    order = np.lexsort((part_person, part_event))
    part_event, part_person = part_event[order], part_person[order]
    by_person = np.argsort(part_person, kind="stable").astype(np.int64)
    person_start = np.searchsorted(part_person[by_person], np.arange(len(person_ids) + 1)).astype(np.int64)
    pair_event, pair_id, pair_src, pair_dst = _pairs(part_event, part_person, len(person_ids))
    return Copresence(events[0], events[1], events[2], person_ids, [p.name for p in people],
                      [p.country for p in people], part_event, part_person, by_person, person_start,
                      pair_event, pair_id, pair_src, pair_dst)


def _events(conn: Any) -> tuple[Ints, Ints, dict[str, Ints]]:
    """Event ids in order, their dates as ordinals, and per lower-cased topic the positions of its events."""
    rows = conn.execute(sa.select(Event.id, Event.date, sa.cast(Event.topics, sa.Text)).order_by(Event.id)).all()
    ids = np.fromiter((r[0] for r in rows), np.int64, count=len(rows))
    ordinals = np.fromiter((_ordinal(r[1]) for r in rows), np.int64, count=len(rows))
    lists: dict[str | None, int] = {}  # each distinct topic list (as stored) -> its number
    codes = np.fromiter((lists.setdefault(r[2], len(lists)) for r in rows), np.int64, count=len(rows))
    carrying: dict[str, list[int]] = {}  # topic -> numbers of the lists holding it
    for text, number in lists.items():
        for t in {str(t).lower() for t in (json.loads(text) if text else None) or []}:
            carrying.setdefault(t, []).append(number)
    return ids, ordinals, {t: np.flatnonzero(np.isin(codes, numbers)).astype(np.int64)
                           for t, numbers in carrying.items()}


def _ordinal(d: Any) -> int:
    if d is None:
        return int(NO_DATE)
    return (date.fromisoformat(d) if isinstance(d, str) else d).toordinal()  # type: ignore[no-any-return]


def _pairs(part_event: Ints, part_person: Ints, n_persons: int) -> tuple[Ints, Ints, Ints, Ints]:
    """Every pair of rows ``d`` apart within one event, for each ``d`` up to the largest event: the
    rows are sorted by event then person, so each pair comes once with src < dst."""
    events, srcs, dsts = [], [], []
    d = 1
    while d < len(part_event):
        same = np.flatnonzero(part_event[d:] == part_event[:-d])
        if not len(same):
            break
        events.append(part_event[same])
        srcs.append(part_person[same])
        dsts.append(part_person[same + d])
        d += 1
    if not events:
        empty = np.empty(0, np.int64)
        return empty, empty, empty, empty
    keys = np.concatenate(srcs) * n_persons + np.concatenate(dsts)
    unique, pair_id = np.unique(keys, return_inverse=True)
    return (np.concatenate(events), pair_id.astype(np.int64), (unique // n_persons).astype(np.int64),
            (unique % n_persons).astype(np.int64))
