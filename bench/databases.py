"""Throw-away databases for one benchmark run: a SQLite file, or a PostgreSQL schema."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage.db import Database


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


@contextmanager
def postgres_schema(base_url: str, label: str) -> Iterator[str]:
    schema = f"bench_{label}_{uuid.uuid4().hex[:8]}"
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
