"""Throw-away databases for one benchmark run: a SQLite file, or a PostgreSQL schema."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import Database, temporary_schema


@contextmanager
def scratch_database(kind: str, postgres_url: str | None, label: str) -> Iterator[str]:
    """A fresh, migrated database; yields its URL and removes it afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"bench-{label}-") as folder:
            url = f"sqlite:///{Path(folder) / 'socialdesk.db'}"
            _migrate(url)
            yield url
        return
    if postgres_url is None:
        raise ValueError("a PostgreSQL URL is needed")
    with postgres_schema(postgres_url, label) as url:
        _migrate(url)
        yield url


def postgres_schema(base_url: str, label: str) -> AbstractContextManager[str]:
    return temporary_schema(base_url, f"bench_{label}")


def postgres_version(base_url: str) -> str:
    engine = create_engine(make_url(base_url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


def _migrate(url: str) -> None:
    db = Database(url)
    try:
        db.migrate()
    finally:
        db.dispose()
