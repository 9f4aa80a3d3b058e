"""When digests are due: each brand's schedule in its own time zone, claimed once per occurrence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import Config
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from storage.db import Database
from storage.schedule_claims import claim_occurrence

LATE_LIMIT = timedelta(days=1)
"""A digest missed while the bot was down is still sent up to a day late, then skipped."""


def latest_occurrence(days: tuple[int, ...], at: time, zone: ZoneInfo, now: datetime) -> datetime | None:
    """The most recent scheduled instant at or before ``now`` (within the last eight days)."""
    local_day = now.astimezone(zone).date()
    for back in range(8):
        day = local_day - timedelta(days=back)
        if day.weekday() in days:
            moment = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
            if moment <= now:
                return moment
    return None


class DigestTicker:
    def __init__(self, db: Database, config: Config, clock: Clock, notify: Callable[[], None] = lambda: None) -> None:
        """``notify`` is called after a tick that queued digests (the delivery worker wakes up)."""
        self.db = db
        self.config = config
        self.clock = clock
        self.notify = notify

    def tick(self) -> int:
        """Queue every brand digest whose time has come; returns how many were queued."""
        now = self.clock.now()
        queued = sum(self._maybe_queue(brand_id, now) for brand_id in self.config.brands)
        if queued:
            self.notify()
        return queued

    def _maybe_queue(self, brand_id: str, now: datetime) -> bool:
        schedule = self.config.digest_for(brand_id).days_and_time
        if schedule is None:
            return False
        days, at = schedule
        zone = self.config.brands[brand_id].zone
        until = latest_occurrence(days, at, zone, now)
        if until is None or now - until > LATE_LIMIT:
            return False
        since = latest_occurrence(days, at, zone, until - timedelta(seconds=1)) or until - timedelta(days=7)
        with self.db.transaction() as session:
            if not claim_occurrence(session, f"digest:{brand_id}:{until.isoformat()}", now):
                return False
            enqueue(session, Effect.POST_DIGEST, None, now, brand=brand_id, since=since.isoformat(),
                    until=until.isoformat())
        return True
