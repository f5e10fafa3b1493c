"""Rebuilds deferred to the commit run once per transaction, over everything touched in it, and a
rollback forgets what it touched (a session lives on after it: the web API's, say)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from readouts.store import deferred, open_store


def test_one_rebuild_per_commit_and_none_after_a_rollback(db_url, monkeypatch):
    calls: list[set[int]] = []
    monkeypatch.setattr(deferred, "_REBUILDS", {})
    touch = deferred.rebuild_before_commit("probe", lambda _session, ids: calls.append(set(ids)))
    with open_store(db_url) as store, Session(store.engine) as s:
        touch(s, [1, 2, None])
        s.flush()
        touch(s, [2, 3])
        assert not calls  # nothing before the commit
        s.commit()
        assert calls == [{1, 2, 3}]
        s.execute(sa.text("SELECT 1"))  # a transaction on the database, as a write's
        touch(s, [7])
        s.rollback()
        touch(s, [8])
        s.commit()
        assert calls == [{1, 2, 3}, {8}]  # 7 went with its rolled-back transaction
