"""Requests already taken, so that a replayed or retried one is recognised and done only once."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.clock import Clock
from storage.db import Database
from storage.models import SeenRequest

KEEP_FOR = timedelta(hours=1)
"""Longer than Slack's 5-minute signature window and its event retries (within minutes)."""


@dataclass
class _Question:
    key: str
    answered: threading.Event = field(default_factory=threading.Event)
    first: bool = False
    error: Exception | None = None


class RequestLedger:
    """Every Slack request asks, before its ack, whether its key is new. The keys asked while the
    previous batch was being written go to the database together, in one INSERT .. ON CONFLICT
    DO NOTHING .. RETURNING: the primary key decides, atomically and across processes, which of
    two deliveries is the first, and a busy server pays one round trip per batch, not per request."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        self._record = insert(SeenRequest).on_conflict_do_nothing().returning(SeenRequest.key)
        self._waiting: list[_Question] = []
        self._wake = threading.Condition()
        self._writer: threading.Thread | None = None
        self._stopping = False

    def first_time(self, key: str) -> bool:
        """Record the key; False when it was recorded before (an error of the database is raised)."""
        question = _Question(key[:128])
        with self._wake:
            self._waiting.append(question)
            self._start_writer()
            self._wake.notify()
        question.answered.wait()
        if question.error is not None:
            raise question.error
        return question.first

    def stop(self) -> None:
        """End the writer thread once what it was asked is answered (a later question starts it again)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
            writer = self._writer
        if writer is not None:
            writer.join(timeout=5)

    def forget_old(self) -> int:
        with self.db.transaction() as session:
            result = session.execute(delete(SeenRequest).where(SeenRequest.seen_at < self.clock.now() - KEEP_FOR))
            return result.rowcount or 0

    def _start_writer(self) -> None:  # called holding self._wake
        self._stopping = False
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_forever, name="socialdesk-ledger", daemon=True)
            self._writer.start()

    def _write_forever(self) -> None:
        while True:
            with self._wake:
                while not self._waiting and not self._stopping:
                    self._wake.wait()
                if not self._waiting:
                    self._writer = None
                    return
                batch, self._waiting = self._waiting, []
            self._answer(batch)

    def _answer(self, batch: list[_Question]) -> None:
        try:
            keys = list(dict.fromkeys(question.key for question in batch))
            now = self.clock.now()
            rows = self.db.execute_alone(self._record, [{"key": key, "seen_at": now} for key in keys])
            new = {row.key for row in rows}
            for question in batch:
                # The same key twice in one batch: only the first of the two is new.
                question.first = question.key in new
                new.discard(question.key)
        except Exception as error:  # every waiter gets the database's error, as if it had asked alone
            for question in batch:
                question.error = error
        finally:
            for question in batch:
                question.answered.set()
