"""Rebuilds that wait for the end of the transaction.

Derived rows (a person's summaries, an event's sides) are rebuilt from what is stored, so rebuilding
them once just before the commit gives the same rows as rebuilding after every change. An ingest batch
of 16 documents naming the same minister, or reporting into the same events, then rebuilds each
person's or event's rows once. What is touched is kept on the session until it commits; a rollback
forgets it with the changes themselves.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

Rebuild = Callable[[Session, set[int]], None]
_REBUILDS: dict[str, Rebuild] = {}


def rebuild_before_commit(name: str, rebuild: Rebuild) -> Callable[[Session, Iterable[int | None]], None]:
    """Register ``rebuild``; returns the function that marks ids for it in a session."""
    key = f"readouts.touched.{name}"
    _REBUILDS[key] = rebuild

    def touch(session: Session, ids: Iterable[int | None]) -> None:
        session.info.setdefault(key, set()).update(i for i in ids if i is not None)
    return touch


@event.listens_for(Session, "before_commit")
def _rebuild_touched(session: Session) -> None:
    for key, rebuild in _REBUILDS.items():
        touched = session.info.pop(key, None)
        if touched:
            rebuild(session, touched)


@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    for key in _REBUILDS:
        session.info.pop(key, None)
