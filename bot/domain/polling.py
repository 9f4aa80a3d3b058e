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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from bot.domain.desk import Desk
from bot.domain.outbox import Effect, enqueue
from bot.domain.sanitise import OverlongId
from bot.platforms import PlatformError, PollingClient
from storage.models import SourceCursor

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(minutes=30)
SHOW_TRANSIENT_AFTER = 5
"""Consecutive temporary failures (rate limits, server errors) after which the channel hears of it."""


class SourcePoller:
    def __init__(self, desk: Desk, source_id: str, client: PollingClient) -> None:
        self.desk = desk
        self.source_id = source_id
        self.client = client
        self.worker_id = uuid.uuid4().hex[:12]

    def tick(self) -> int:
        """Poll once if it is this process's turn and no backoff is running; returns how many new
        messages were stored."""
        cursor = self._claim(self.desk.clock.now())
        if cursor is None:
            return 0
        stored = 0
        try:
            for page in self.client.poll(cursor):
                for message in page.messages:
                    try:
                        stored += not self.desk.ingest(message).duplicate
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
        self._ensure_row()
        with self.desk.db.transaction() as session:
            claimed = session.execute(
                update(SourceCursor)
                .where(
                    SourceCursor.source_id == self.source_id,
                    or_(SourceCursor.claimed_until.is_(None), SourceCursor.claimed_until < now),
                    or_(SourceCursor.next_poll_at.is_(None), SourceCursor.next_poll_at <= now),
                )
                .values(claimed_until=now + LEASE, claimed_by=self.worker_id)
            )
            if claimed.rowcount != 1:
                return None
            return dict(session.get_one(SourceCursor, self.source_id).cursor)

    def _ensure_row(self) -> None:
        with self.desk.db.transaction() as session:
            if session.get(SourceCursor, self.source_id) is not None:
                return
            try:
                with session.begin_nested():
                    session.add(SourceCursor(source_id=self.source_id, cursor={}, failures=0))
            except IntegrityError:
                pass  # another process created it a moment ago

    def _save_cursor(self, cursor: dict[str, Any]) -> None:
        with self.desk.db.transaction() as session:
            session.execute(update(SourceCursor).where(SourceCursor.source_id == self.source_id,
                                                       SourceCursor.claimed_by == self.worker_id)
                            .values(cursor=cursor))

    def _succeeded(self) -> None:
        now = self.desk.clock.now()
        with self.desk.db.transaction() as session:
            row = session.get_one(SourceCursor, self.source_id, with_for_update=True)
            recovered = row.failure is not None
            if recovered:
                enqueue(session, Effect.POST_SOURCE_STATUS, None, now, source=self.source_id, state="recovered",
                        detail=row.failure)
            row.failures, row.failure, row.failing_since = 0, None, None
            row.next_poll_at, row.polled_at = None, now
            row.claimed_until, row.claimed_by = None, None
        if recovered:
            self.desk.notify_effects()

    def _failed(self, error: PlatformError) -> None:
        self.desk.metrics.platform_errors.labels(self.source_id, "poll").inc()
        now = self.desk.clock.now()
        shown = False
        with self.desk.db.transaction() as session:
            row = session.get_one(SourceCursor, self.source_id, with_for_update=True)
            row.failures += 1
            if row.failure is None and (error.permanent or row.failures >= SHOW_TRANSIENT_AFTER):
                row.failure, row.failing_since = str(error)[:2000], now
                enqueue(session, Effect.POST_SOURCE_STATUS, None, now, source=self.source_id, state="failed",
                        detail=row.failure, permanent=error.permanent)
                shown = True
            row.next_poll_at = now + self._delay(error, row.failures)
            row.claimed_until, row.claimed_by = None, None
        if shown:
            self.desk.notify_effects()

    def _delay(self, error: PlatformError, failures: int) -> timedelta:
        interval = self.client.poll_interval
        if error.retry_after is not None:
            return timedelta(seconds=max(0.0, error.retry_after))
        if error.permanent:
            return interval
        return min(MAX_BACKOFF, interval * 2 ** (failures - 1))
