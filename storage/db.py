"""Engines, sessions and schema migrations."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, Executable, Row, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage.operations import current_revision, head_revision
from storage.search import register_sqlite_function

DEFAULT_DATABASE_URL = "sqlite:///socialdesk.db"
"""Where the bot keeps its data when DATABASE_URL is not set: a file in the current folder."""
MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 7_312_001  # PostgreSQL advisory lock id: one process migrates at a time


_UNIQUE_VIOLATION = "23505"


def refused_as_data(error: BaseException) -> bool:
    """The database refused what it was given (a value too long, a character it cannot hold, a
    missing required value): trying again with the same data fails again. A duplicate key is not
    one of these: it is a concurrent writer, and a retry finds its row."""
    if isinstance(error, DataError):
        return True
    if isinstance(error, IntegrityError):
        orig = getattr(error, "orig", None)
        state = getattr(orig, "sqlstate", None)
        if state is not None:
            return state != _UNIQUE_VIOLATION
        return "UNIQUE" not in str(orig)
    return False


def short_reason(error: BaseException) -> str:
    """The database's own words, first line only, without the statement or its parameters."""
    orig = getattr(error, "orig", None) or error
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:200]


class DatabaseError(Exception):
    """The database URL or server is not usable; the message is one line for the user."""


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"DATABASE_URL: {url!r} is not a database URL (e.g. {DEFAULT_DATABASE_URL})") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise DatabaseError(
            f"DATABASE_URL: no driver for {parsed.drivername} ({exc}); for PostgreSQL install "
            "socialdesk[postgres]"
        ) from None


def _sqlite_engine(url: URL) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
        register_sqlite_function(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection: Connection) -> None:
        # Take the write lock up front: two deferred transactions that both upgrade to writing
        # would otherwise fail with "database is locked" instead of waiting their turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def open_existing(url: str) -> Database:
    """The database at ``url`` for a command that only reads it: never created, never migrated. A
    missing database, one that cannot be reached, or one without the bot's current schema is a
    DatabaseError naming the URL tried (without its password)."""
    shown = _shown(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"DATABASE_URL: {url!r} is not a database URL (e.g. {DEFAULT_DATABASE_URL})") from None
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if path in ("", ":memory:") or not Path(path).is_file():
            raise DatabaseError(
                f"no database at {shown} ({Path(path or '.').resolve()} does not exist); run this where the bot's "
                "database is, or set DATABASE_URL to it"
            )
    db = Database(url)
    try:
        with db.reading() as session:
            revision = current_revision(session)
    except (OperationalError, DBAPIError) as exc:
        db.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseError(f"cannot open the database at {shown} ({reason}); check DATABASE_URL") from None
    head = head_revision(str(MIGRATIONS))
    if revision != head:
        db.dispose()
        if revision is None:
            raise DatabaseError(f"{shown} holds no socialdesk data (no schema); set DATABASE_URL to the bot's database")
        raise DatabaseError(f"the database at {shown} has schema {revision}, this version of socialdesk reads {head}; "
                            "run `socialdesk migrate` (or upgrade socialdesk, if the database is the newer one)")
    return db


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


@contextmanager
def temporary_schema(base_url: str, prefix: str) -> Iterator[str]:
    """A PostgreSQL schema of its own for the duration (tests, benchmarks): the URL to use, with
    that schema as its search path; the schema and everything in it are dropped afterwards."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._autocommit = _autocommit_engine(self.engine)
        self._reading_sessions = sessionmaker(self._autocommit, expire_on_commit=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session that only reads (a lookup before a modal, a command's answer): on PostgreSQL
        each statement stands alone in autocommit, one round trip, no BEGIN/COMMIT or pool ping.
        Reads of several statements that must agree with each other use transaction()."""
        with self._reading_sessions() as session:
            yield session

    @contextmanager
    def reading_rows(self) -> Iterator[Connection]:
        """Like reading(), without the ORM session: a connection for the hottest reads, statements built
        once that return plain rows (the queue, the conversation a button opens a form on)."""
        with self._autocommit.connect() as connection:
            yield connection

    def own_connection(self) -> OwnConnection:
        """A connection for one writer thread of hot statements that each stand alone (the replay ledger)."""
        return OwnConnection(self._autocommit)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Create the schema or bring an older one up to date."""
        try:
            self._migrate()
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise DatabaseError(
                f"DATABASE_URL: cannot open the database ({reason}); check that it is running and reachable"
            ) from None

    def _migrate(self) -> None:
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK})
            alembic_config = AlembicConfig()
            alembic_config.set_main_option("script_location", str(MIGRATIONS))
            alembic_config.attributes["connection"] = connection
            command.upgrade(alembic_config, "head")

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        if self._autocommit is not self.engine:
            self._autocommit.dispose()
        self.engine.dispose()


class OwnConnection:
    """A connection that one thread keeps between its statements, each a transaction by itself: no pool
    checkout, pre-ping, BEGIN or COMMIT round trip per statement on PostgreSQL, where it is in autocommit
    (on SQLite each statement is its own short transaction). A connection the server dropped is noticed by
    the statement itself, which is tried once more on a new one."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def execute(self, statement: Executable, params: dict[str, Any] | list[dict[str, Any]]) -> list[Row[Any]]:
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = self._engine.connect()
            try:
                with self._connection.begin():
                    return list(self._connection.execute(statement, params).all())
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _autocommit_engine(engine: Engine) -> Engine:
    """For statements that stand alone (the replay ledger on every Slack request, reads answered
    before an ack): on PostgreSQL a pool of its own in autocommit, without the pre-ping round trip;
    SQLite has no round trips."""
    if engine.dialect.name == "sqlite":
        return engine
    return create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_size=5, max_overflow=15)
