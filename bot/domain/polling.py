"""Polling sources: one tick reads what is new on the platform since the stored cursor and stores it.

The cursor lives in the database (``source_cursors``), so a restart neither loses nor re-posts
items: messages are stored first (ingest ignores ones it has seen), then the cursor moves on. A
lease on the source's row lets only one process poll a source at a time. Rate limits and server
errors back off (honouring Retry-After); a failure that needs a person (a revoked token, a missing
permission, or an outage that lasts) is shown once in the brand's channel, and so is the recovery.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.domain.counters import Counters, NoCounters
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.domain.outcomes import IngestResult
from bot.domain.sanitise import OverlongId
from bot.inbound import InboundMessage
from bot.platforms import PlatformError, PollingClient
from storage import polling as sources
from storage.db import Database

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(minutes=30)
SHOW_TRANSIENT_AFTER = 5
"""Consecutive temporary failures (rate limits, server errors) after which the channel hears of it."""


class SourcePoller:
    def __init__(self, source_id: str, client: PollingClient, ingest: Callable[[InboundMessage], IngestResult],
                 db: Database, clock: Clock, notify: Callable[[], None] = lambda: None,
                 counters: Counters | None = None) -> None:
        """``ingest`` stores one message (the desk's); ``notify`` is called after a commit that
        queued effects (the delivery worker wakes up)."""
        self.ingest = ingest
        self.db = db
        self.clock = clock
        self.notify = notify
        self.counters: Counters = counters or NoCounters()
        self.source_id = source_id
        self.client = client
        self.worker_id = uuid.uuid4().hex[:12]

    def tick(self) -> int:
        """Poll once if it is this process's turn and no backoff is running; returns how many new
        messages were stored."""
        cursor = self._claim(self.clock.now())
        if cursor is None:
            return 0
        stored = 0
        try:
            for page in self.client.poll(cursor):
                for message in page.messages:
                    try:
                        stored += not self.ingest(message).duplicate
                    except OverlongId as overlong:
                        log.warning("source %s: skipped a message whose %s is too long to store",
                                    self.source_id, overlong.field)
                if page.cursor:
                    self._save_cursor(page.cursor)
        except PlatformError as error:
            log.warning("source %s: poll failed: %s", self.source_id, error)
            self._failed(error)
        except Exception as error:  # a bug or an unexpected answer must not stop later polls
            log.exception("source %s: poll raised", self.source_id)
            self._failed(PlatformError(f"unexpected error: {type(error).__name__}: {error}", permanent=False))
        else:
            self._succeeded()
        return stored

    # -- the source's row --------------------------------------------------------------------

    def _claim(self, now: datetime) -> dict[str, Any] | None:
        with self.db.transaction() as session:
            sources.ensure_cursor_row(session, self.source_id)
        with self.db.transaction() as session:
            return sources.claim_source(session, self.source_id, self.worker_id, now, now + LEASE)

    def _save_cursor(self, cursor: dict[str, Any]) -> None:
        with self.db.transaction() as session:
            sources.save_cursor(session, self.source_id, self.worker_id, cursor)

    def _succeeded(self) -> None:
        now = self.clock.now()
        with self.db.transaction() as session:
            row = sources.locked_source(session, self.source_id)
            recovered = row.failure is not None
            if recovered:
                enqueue(session, Effect.POST_SOURCE_STATUS, None, now, source=self.source_id, state="recovered",
                        detail=row.failure)
            row.failures, row.failure, row.failing_since = 0, None, None
            row.next_poll_at, row.polled_at = None, now
            row.claimed_until, row.claimed_by = None, None
        if recovered:
            self.notify()

    def _failed(self, error: PlatformError) -> None:
        self.counters.platform_errors.labels(self.source_id, "poll").inc()
        now = self.clock.now()
        shown = False
        with self.db.transaction() as session:
            row = sources.locked_source(session, self.source_id)
            row.failures += 1
            if row.failure is None and (error.permanent or row.failures >= SHOW_TRANSIENT_AFTER):
                row.failure, row.failing_since = str(error)[:2000], now
                enqueue(session, Effect.POST_SOURCE_STATUS, None, now, source=self.source_id, state="failed",
                        detail=row.failure, permanent=error.permanent)
                shown = True
            row.next_poll_at = now + self._delay(error, row.failures)
            row.claimed_until, row.claimed_by = None, None
        if shown:
            self.notify()

    def _delay(self, error: PlatformError, failures: int) -> timedelta:
        interval = self.client.poll_interval
        if error.retry_after is not None:
            return timedelta(seconds=max(0.0, error.retry_after))
        if error.permanent:
            return interval
        return min(MAX_BACKOFF, interval * 2 ** (failures - 1))
