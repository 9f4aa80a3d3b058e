"""Crisis alerts and surge mode: a brand's messages jump above their usual level.

Every scan tick reads, per brand with crisis alerts on, the messages of the last ``window`` and
compares them with the brand's usual level for that hour: the same local time on the same weekday
over the previous ``baseline_weeks`` weeks (only weeks the brand already had messages in), or the
average window of the last seven days when there is no such history yet.

One alert per episode, not per message: an episode is a row whose ``open_brand_id`` is unique, so
among several processes and across restarts only the insert that wins queues the alert, in the same
transaction. The open episode's row is locked while a process updates it, so the all-clear is queued
once too. While an episode is open, new conversations of the priorities in ``surge_below`` are
grouped in one surge thread (see ``surge_episode_for`` and the delivery worker).
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.config import Config, Crisis
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.triage.words import top_words
from storage import crisis as episodes
from storage import volume
from storage.db import Database
from storage.models import CrisisEpisode
from storage.volume import Span

log = logging.getLogger(__name__)

FALLBACK_SPAN = timedelta(days=7)
SAMPLES = 3
TOP_WORDS = 8
WORDS_FROM_AT_MOST = 1000
"""The newest messages of the window that the top words are computed from."""
VOLUME, NEGATIVE = "volume", "negative"


@dataclass(frozen=True)
class Reading:
    """A brand's messages in the current window against its usual level."""

    volume: int
    negative: int
    usual_volume: float
    usual_negative_share: float
    baseline: str
    """How the usual level was found: "same hour, last N weeks", "last 7 days" or "no history"."""

    @property
    def negative_share(self) -> float:
        return self.negative / self.volume if self.volume else 0.0


def volume_threshold(reading: Reading, settings: Crisis) -> float:
    return max(settings.min_messages, settings.volume_factor * reading.usual_volume)


def negative_threshold(reading: Reading, settings: Crisis) -> float:
    return max(settings.negative_share, settings.negative_factor * reading.usual_negative_share)


def alarms(reading: Reading, settings: Crisis) -> list[str]:
    """Which thresholds the reading is at or above: "volume", "negative", or none."""
    raised = []
    if reading.volume >= volume_threshold(reading, settings):
        raised.append(VOLUME)
    if reading.volume >= settings.min_messages and reading.negative_share >= negative_threshold(reading, settings):
        raised.append(NEGATIVE)
    return raised


def same_hour_in_past_weeks(now: datetime, window: timedelta, weeks: int, zone: ZoneInfo) -> list[Span]:
    """The window ending at the same local time on the same weekday, one to ``weeks`` weeks ago
    (wall-clock arithmetic in the brand's zone, so a DST change does not shift the hour)."""
    local = now.astimezone(zone)
    spans = []
    for back in range(1, weeks + 1):
        end = (local - timedelta(weeks=back)).astimezone(UTC)
        spans.append((end - window, end))
    return spans


def read(session: Session, brand_id: str, settings: Crisis, zone: ZoneInfo, now: datetime) -> Reading:
    window = settings.window
    current: Span = (now - window, now)
    first = volume.first_message_at(session, brand_id)
    weeks = [span for span in same_hour_in_past_weeks(now, window, settings.baseline_weeks, zone)
             if first is not None and first < span[1]]
    history_from = max(first or now, now - FALLBACK_SPAN)
    history = now - window - history_from
    # Spans leave out their start; the brand's very first message belongs to its history.
    fallback: Span = (history_from - timedelta(microseconds=1), now - window)
    counted = volume.tallies(session, brand_id, [current, *weeks] if weeks else [current, fallback])
    now_tally, past = counted[0], counted[1:]
    past_messages = sum(tally.messages for tally in past)
    past_negative = sum(tally.negative for tally in past)
    share = past_negative / past_messages if past_messages else 0.0
    if weeks:
        plural = "s" if len(weeks) > 1 else ""
        usual, baseline = past_messages / len(weeks), f"same hour, last {len(weeks)} week{plural}"
    elif history >= window:
        usual, baseline = past_messages * (window / history), "last 7 days"
    else:
        usual, baseline, share = 0.0, "no history", 0.0
    return Reading(now_tally.messages, now_tally.negative, usual, share, baseline)


def surge_episode_for(session: Session, config: Config, brand_id: str, priority: str) -> int | None:
    """The open episode a new conversation of this priority is grouped under, if any."""
    settings = config.crisis_for(brand_id)
    if settings is None or priority not in settings.surge_below:
        return None
    return episodes.open_episode_id(session, brand_id)


class CrisisWatch:
    def __init__(self, db: Database, config: Config, clock: Clock, notify: Callable[[], None] = lambda: None) -> None:
        """``notify`` is called after a scan that queued effects (the delivery worker wakes up)."""
        self.db = db
        self.config = config
        self.clock = clock
        self.notify = notify

    def scan(self) -> int:
        """Check every brand with crisis alerts on; returns how many alerts and all-clears were queued."""
        now = self.clock.now()
        queued = 0
        for brand_id in self.config.brands:
            settings = self.config.crisis_for(brand_id)
            if settings is not None:
                try:
                    queued += self._check(brand_id, settings, now)
                except IntegrityError:
                    log.info("crisis: another process updated %s's episode at the same moment", brand_id)
        if queued:
            self.notify()
        return queued

    def _check(self, brand_id: str, settings: Crisis, now: datetime) -> bool:
        zone = self.config.brands[brand_id].zone
        with self.db.transaction() as session:
            reading = read(session, brand_id, settings, zone, now)
            raised = alarms(reading, settings)
            episode = episodes.open_episode(session, brand_id, lock=True)
            if episode is None:
                if not raised or episodes.open_episode(session, brand_id) is not None:
                    return False  # calm, or another process is updating the open episode
                return self._open(session, brand_id, settings, reading, raised, now)
            return self._follow(session, episode, settings, reading, raised, now)

    def _open(self, session: Session, brand_id: str, settings: Crisis, reading: Reading, raised: list[str],
              now: datetime) -> bool:
        episode = CrisisEpisode(brand_id=brand_id, open_brand_id=brand_id, started_at=now,
                                numbers=self._numbers(session, brand_id, settings, reading, raised, now))
        if not episodes.add_episode(session, episode):
            return False  # another process opened it first
        enqueue(session, Effect.POST_CRISIS_ALERT, None, now, episode=episode.id)
        if settings.surge_below:
            enqueue(session, Effect.POST_SURGE_THREAD, None, now, episode=episode.id)
        log.warning("crisis: %s is above its usual level (%s): %d messages, usually %.1f",
                    brand_id, ", ".join(raised), reading.volume, reading.usual_volume)
        return True

    @staticmethod
    def _numbers(session: Session, brand_id: str, settings: Crisis, reading: Reading, raised: list[str],
                 now: datetime) -> dict[str, Any]:
        """What the alert shows, fixed at the moment it was raised."""
        messages = volume.messages_in(session, brand_id, (now - settings.window, now), WORDS_FROM_AT_MOST)
        samples: list[int] = []
        seen_conversations: set[int] = set()
        for message in messages:
            if len(samples) < SAMPLES and message.conversation_id not in seen_conversations:
                samples.append(message.id)
                seen_conversations.add(message.conversation_id)
        return {
            **asdict(reading),
            "negative_share": reading.negative_share,
            "volume_threshold": volume_threshold(reading, settings),
            "negative_threshold": negative_threshold(reading, settings),
            "window_seconds": settings.window.total_seconds(),
            "raised": raised,
            "peak_volume": reading.volume,
            "surge_below": list(settings.surge_below),
            "samples": samples,
            "top_words": top_words((message.text for message in messages), TOP_WORDS),
        }

    @staticmethod
    def _follow(session: Session, episode: CrisisEpisode, settings: Crisis, reading: Reading, raised: list[str],
                now: datetime) -> bool:
        """An open episode: still hot, calming down, or calm for long enough to be cleared."""
        if raised:
            episode.calm_since = None
            if reading.volume > episode.numbers.get("peak_volume", 0):
                episode.numbers = {**episode.numbers, "peak_volume": reading.volume}
            return False
        if episode.calm_since is None:
            episode.calm_since = now
            return False
        if now - episode.calm_since < settings.clear_after:
            return False
        episode.cleared_at = now
        episode.open_brand_id = None
        enqueue(session, Effect.POST_CRISIS_ALL_CLEAR, None, now, episode=episode.id)
        if episode.numbers.get("surge_below"):
            enqueue(session, Effect.POST_SURGE_ENDED, None, now, episode=episode.id)
        log.warning("crisis: %s is back to its usual level", episode.brand_id)
        return True
