"""Requests already taken, so that a replayed or retried one is recognised and done only once."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from bot.domain.batching import Batcher
from storage.db import Database
from storage.ledger import SeenRequests, forget_seen_before

KEEP_FOR = timedelta(hours=1)
"""Longer than Slack's 5-minute signature window and its event retries (within minutes)."""


class RequestLedger:
    """Every Slack request asks, before its ack, whether its key is new. A key asked while no batch
    is being written is written by the asking thread itself; the keys asked while a batch was being
    written go to the database together, in one statement, from the batcher's thread (see
    ``storage/ledger.py``): a busy server pays one round trip per batch, not per request."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._seen = SeenRequests(db)
        self._writer = db.own_connection()  # used by one batch at a time (see Batcher)
        self._batcher: Batcher[str, bool] = Batcher(self._record_keys, "socialdesk-ledger")

    def first_time(self, key: str) -> bool:
        """Record the key; False when it was recorded before (an error of the database is raised)."""
        return self._batcher.ask(key[:128])

    def stop(self) -> None:
        """End the writer thread once what it was asked is answered (a later question starts it again)."""
        self._batcher.stop()
        self._writer.close()

    def forget_old(self) -> int:
        with self.db.transaction() as session:
            return forget_seen_before(session, self.clock.now() - KEEP_FOR)

    def _record_keys(self, keys: list[str]) -> list[bool]:
        new = self._seen.record(self._writer, list(dict.fromkeys(keys)), self.clock.now())
        answers = []
        for key in keys:
            # The same key twice in one batch: only the first of the two is new.
            answers.append(key in new)
            new.discard(key)
        return answers
