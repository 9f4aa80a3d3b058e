"""Slack's pace: one post per second per channel, and a 429's Retry-After for what it concerns."""

from __future__ import annotations

import threading
import time


class Pacer:
    """At most one post per ``interval`` per channel, and a 429's Retry-After for what it concerns.
    Real time, whatever the bot's clock: Slack counts in real seconds."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._free_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        with self._lock:
            return max(0.0, self._free_at.get(key, 0.0) - time.monotonic())

    def used(self, key: str) -> None:
        with self._lock:
            self._free_at[key] = max(self._free_at.get(key, 0.0), time.monotonic() + self.interval)

    def hold(self, key: str, seconds: float) -> None:
        with self._lock:
            self._free_at[key] = max(self._free_at.get(key, 0.0), time.monotonic() + seconds)

    def next_free(self, keys: set[str]) -> float | None:
        waits = [self.wait(key) for key in keys]
        return min(waits) if waits else None
