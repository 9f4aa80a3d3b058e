"""What the domain counts, as a protocol: the running bot passes its Prometheus metrics
(``bot.metrics.Metrics`` fits it), everything else may pass nothing and count nothing."""

from __future__ import annotations

from typing import Protocol


class Counted(Protocol):
    def inc(self) -> None: ...


class Counter(Protocol):
    def labels(self, *values: str) -> Counted: ...


class Counters(Protocol):
    @property
    def messages_ingested(self) -> Counter:
        """By source and brand, duplicates left out."""

    @property
    def sla_breaches(self) -> Counter:
        """By brand."""

    @property
    def platform_errors(self) -> Counter:
        """By source and operation (poll, reply, moderate)."""

    @property
    def jobs_failed(self) -> Counter:
        """By effect kind; counted by the delivery worker, which reads the counters from the desk."""


class _NotCounted:
    def labels(self, *values: str) -> _NotCounted:
        return self

    def inc(self) -> None:
        return None


class NoCounters:
    """Counts nothing (a desk built without metrics: tests, benchmarks, one-off commands)."""

    messages_ingested = sla_breaches = platform_errors = jobs_failed = _NotCounted()
