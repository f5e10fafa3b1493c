"""The engagement store: SQLAlchemy tables, Alembic migrations, and the only place that opens sessions.

``open_store(url)`` returns a :class:`Store`; ``ingest``/``reprocess`` write documents
with all their facts in one transaction each; ``stats`` counts what is there.
"""
from readouts.store.db import Store, normalise_url, open_store

__all__ = ["Store", "normalise_url", "open_store"]
