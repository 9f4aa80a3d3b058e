"""Requests already taken, so that a replayed or retried one is recognised and done only once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

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
        """Record the key; False when it was recorded before."""
        try:
            with self.db.transaction() as session:
                session.add(SeenRequest(key=key[:128], seen_at=self.clock.now()))
        except IntegrityError:
            return False
        return True

    def forget_old(self) -> int:
        with self.db.transaction() as session:
            result = session.execute(delete(SeenRequest).where(SeenRequest.seen_at < self.clock.now() - KEEP_FOR))
            return result.rowcount or 0
