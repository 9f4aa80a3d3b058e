"""Business-time arithmetic: adding "24 business hours" across nights, weekends, holidays and DST.

Each day's opening and closing instants are built from the local date and wall-clock time in the
brand's zone, then converted to UTC; all sums and differences are done in UTC. (Adding a
timedelta to an aware datetime in a ZoneInfo zone is wall-clock arithmetic, which is wrong across
a DST change.)
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
SEARCH_LIMIT_DAYS = 3 * 366


def parse_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``"09:00-12:00, 13:00-18:00"`` as minutes after local midnight; ``24:00`` ends a day."""
    spans: list[tuple[int, int]] = []
    for part in text.split(","):
        match = _SPAN.match(part)
        if not match:
            raise ValueError(f"{part.strip()!r} is not a time span; write it like 09:00-18:00")
        h1, m1, h2, m2 = (int(value) for value in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or start >= 24 * 60 or end > 24 * 60 or start >= end:
            raise ValueError(f"{part.strip()!r} must run forward within one day (00:00-24:00)")
        if spans and start < spans[-1][1]:
            raise ValueError(f"{part.strip()!r} overlaps or comes before the previous span")
        spans.append((start, end))
    return tuple(spans)


@dataclass(frozen=True)
class BusinessCalendar:
    zone: ZoneInfo
    hours: dict[int, tuple[tuple[int, int], ...]]
    """Open spans by weekday (0 = Monday), in minutes after local midnight; a missing day is closed."""
    closed_dates: Container[date] = field(default_factory=frozenset)

    @classmethod
    def always_open(cls, zone: ZoneInfo) -> BusinessCalendar:
        return cls(zone, {day: ((0, 24 * 60),) for day in range(7)})

    def open_spans(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open intervals as UTC instants."""
        if day in self.closed_dates:
            return []
        midnight = datetime.combine(day, time(0), tzinfo=self.zone)
        return [
            (_local(midnight, start).astimezone(UTC), _local(midnight, end).astimezone(UTC))
            for start, end in self.hours.get(day.weekday(), ())
        ]

    def is_open(self, moment: datetime) -> bool:
        day = moment.astimezone(self.zone).date()
        return any(opens <= moment < closes for opens, closes in self.open_spans(day))

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which ``duration`` of open time has passed since ``start``."""
        remaining = duration
        start = start.astimezone(UTC)
        if remaining <= timedelta(0):
            return start
        for opens, closes in self._spans_from(start):
            begin = max(opens, start)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise ValueError("no business hours within three years; check business_hours and holidays")

    def subtract(self, end: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of open time before ``end`` (the mirror of ``add``)."""
        remaining = duration
        end = end.astimezone(UTC)
        if remaining <= timedelta(0):
            return end
        for opens, closes in self._spans_back_from(end):
            finish = min(closes, end)
            available = finish - opens
            if remaining <= available:
                return finish - remaining
            remaining -= available
        raise ValueError("no business hours within three years; check business_hours and holidays")

    def next_open(self, moment: datetime) -> datetime:
        """``moment`` itself when open, else the next opening."""
        moment = moment.astimezone(UTC)
        for opens, _closes in self._spans_from(moment):
            return max(opens, moment)
        raise ValueError("no business hours within three years; check business_hours and holidays")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Open time between two instants (zero when end is not after start)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        total = timedelta(0)
        if end <= start:
            return total
        for opens, closes in self._spans_from(start):
            if opens >= end:
                break
            total += min(closes, end) - max(opens, start)
        return total

    def _spans_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        day = start.astimezone(self.zone).date() - timedelta(days=1)
        for _ in range(SEARCH_LIMIT_DAYS):
            for opens, closes in self.open_spans(day):
                if closes > start:
                    yield opens, closes
            day += timedelta(days=1)


    def _spans_back_from(self, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        day = end.astimezone(self.zone).date() + timedelta(days=1)
        for _ in range(SEARCH_LIMIT_DAYS):
            for opens, closes in reversed(self.open_spans(day)):
                if opens < end:
                    yield opens, closes
            day -= timedelta(days=1)


def _local(midnight: datetime, minutes: int) -> datetime:
    """A wall-clock time of the day (24:00 is the next midnight), resolved in the day's zone."""
    day = midnight.date() + timedelta(days=minutes // (24 * 60))
    minutes %= 24 * 60
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=midnight.tzinfo)


class ClosedDates:
    """Public holidays of a country (and subdivision), from the ``holidays`` package, plus explicit dates."""

    def __init__(self, country: str | None = None, subdiv: str | None = None, dates: Iterable[date] = ()) -> None:
        import holidays

        self._public = holidays.country_holidays(country, subdiv=subdiv) if country else {}
        self._explicit = frozenset(dates)

    def __contains__(self, day: object) -> bool:
        return day in self._explicit or day in self._public
