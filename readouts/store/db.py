"""Opening the store: URL handling, engine settings, migrations, sessions.

This is the only module that creates engines and sessions; everything else
asks a :class:`Store` for ``store.session()``.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from readouts.errors import StoreError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def normalise_url(url: str) -> str:
    """A SQLAlchemy URL: plain ``postgresql://`` uses psycopg 3, a bare path means SQLite."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().resolve())
    return url


class Store:
    """An open database with the current schema."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    @contextmanager
    def one_writer(self) -> Iterator[None]:
        """A whole run of writes (ingest, reprocess). SQLite takes one writer at a time: a second
        process that starts writing into the same file is refused at once, with a message saying so,
        rather than failing document by document on "database is locked" once the wait for the
        other's transaction runs out. PostgreSQL takes many: their canonical entities are serialised
        per transaction (readouts.store.write.one_writer_at_a_time)."""
        database = self.engine.url.database if self.dialect == "sqlite" else None
        if not database or database == ":memory:":
            yield
            return
        import fcntl
        with open(database + ".writer", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(f"another process is writing to the SQLite store {database}: SQLite takes "
                                 "one writer at a time. Run again when it has finished, or use a "
                                 "PostgreSQL store (--db postgresql://...) for concurrent ingests") from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Open (creating if needed) the store at ``url`` and bring its schema up to date."""
    sa_url = normalise_url(url)
    try:
        parsed = make_url(sa_url)
    except ArgumentError as e:
        raise StoreError(f"not a database URL: {url!r} ({e}); use sqlite:///path.db or postgresql://…") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(sa_url, future=True)
    except (ArgumentError, ImportError) as e:
        raise StoreError(f"cannot use database {url!r}: {e}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine)
    if migrate:
        try:
            upgrade(store)
        except OperationalError as e:
            engine.dispose()
            raise StoreError(f"cannot open database {_safe(url)}: {e.orig}; check the URL, that the "
                             "server runs and that you may write there") from None
        except SQLAlchemyError as e:
            engine.dispose()
            raise StoreError(f"cannot migrate database {_safe(url)}: {e}") from None
    return store


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL: readers never block the writer, and a commit is one append; NORMAL sync is still
    # crash-safe for the application (kill -9), only a power cut may lose the last commits.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def upgrade(store: Store, revision: str = "head") -> None:
    """Run the shipped Alembic migrations up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _safe(url: str) -> str:
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return url
