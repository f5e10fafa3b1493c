"""The whole-store aggregates :mod:`readouts.query` remembers per store fingerprint."""
from __future__ import annotations

from collections import Counter

from readouts import query
from readouts.store import open_store


def test_what_is_read_often_outlives_a_stream_of_one_off_keys(db_url, monkeypatch):
    """The cache drops the least recently used entry, not the oldest: the who-took-part arrays (read by
    every person page, 26 s to build on a million events) must not give way to one-off filters."""
    monkeypatch.setattr(query, "_CACHE", {})
    monkeypatch.setattr(query, "_CACHE_SIZE", 3)
    computed: Counter[str] = Counter()

    def get(session, key: str) -> str:
        def compute() -> str:
            computed[key] += 1
            return key.upper()
        return query._cached(session, key, compute)  # type: ignore[no-any-return]

    with open_store(db_url) as store, store.session() as s:
        assert get(s, "often") == "OFTEN"
        for n in range(10):
            assert get(s, f"once-{n}") == f"ONCE-{n}"
            assert get(s, "often") == "OFTEN"
        assert computed["often"] == 1
        assert len(query._CACHE) == 3
        assert get(s, "once-0") == "ONCE-0" and computed["once-0"] == 2  # long gone
