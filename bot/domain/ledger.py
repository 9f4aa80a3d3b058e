"""Requests already taken, so that a replayed or retried one is recognised and done only once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.clock import Clock
from storage.db import Database
from storage.models import SeenRequest

KEEP_FOR = timedelta(hours=1)
"""Longer than Slack's 5-minute signature window and its event retries (within minutes)."""


class RequestLedger:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def first_time(self, key: str) -> bool:
        """Record the key; False when it was recorded before.

        One INSERT .. ON CONFLICT DO NOTHING on a plain connection (no ORM session, no error
        raised and rolled back for a replay): the key's primary key still decides, atomically,
        which of two concurrent requests is the first."""
        engine = self.db.engine
        insert = postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert
        statement = (insert(SeenRequest).values(key=key[:128], seen_at=self.clock.now())
                     .on_conflict_do_nothing().returning(SeenRequest.key))
        with engine.begin() as connection:
            return connection.execute(statement).first() is not None

    def forget_old(self) -> int:
        with self.db.transaction() as session:
            result = session.execute(delete(SeenRequest).where(SeenRequest.seen_at < self.clock.now() - KEEP_FOR))
            return result.rowcount or 0
