"""A brand's figures for a period, and the same for the period before (week over week)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.config import Config
from storage import reports as q
from storage.db import Database
from storage.models import Conversation


@dataclass(frozen=True)
class Teammate:
    user: str
    replies: int
    first_responses: int
    average_first_response_seconds: float | None
    resolved: int


@dataclass(frozen=True)
class Day:
    day: date
    messages: int
    median_first_response_seconds: float | None
    p90_first_response_seconds: float | None
    """None on a day without a first response: nothing to show, not zero."""


@dataclass(frozen=True)
class Figures:
    since: datetime
    until: datetime
    messages: int
    conversations: int
    volume: list[tuple[str, str, int]]
    median_first_response_seconds: float | None
    p90_first_response_seconds: float | None
    median_first_response_business_seconds: float | None
    p90_first_response_business_seconds: float | None
    sla_met: int
    sla_due: int
    breaches_total: int
    breaches: list[tuple[str, str | None, datetime]]
    open_by_age: dict[str, int]
    teammates: list[Teammate]
    escalations_total: int
    escalations_by_tier: dict[str, int]
    days: list[Day]
    tags: dict[str, int]
    filtered: int
    """Messages that needed no answer (friend tags, spam) and got no thread."""

    @property
    def sla_percent(self) -> float | None:
        return 100.0 * self.sla_met / self.sla_due if self.sla_due else None


@dataclass(frozen=True)
class Report:
    brand_id: str
    brand_name: str
    timezone: str
    current: Figures
    previous: Figures

    def as_dict(self) -> dict[str, Any]:
        return {"brand": self.brand_id, "brand_name": self.brand_name, "timezone": self.timezone,
                "current": _plain(asdict(self.current)), "previous": _plain(asdict(self.previous))}

    def rows(self) -> list[tuple[str, Any, Any]]:
        """(metric, this period, previous period) for spreadsheets."""
        metrics = [
            ("messages", "messages"), ("new conversations", "conversations"),
            ("median first response (s)", "median_first_response_seconds"),
            ("p90 first response (s)", "p90_first_response_seconds"),
            ("median first response, business hours (s)", "median_first_response_business_seconds"),
            ("p90 first response, business hours (s)", "p90_first_response_business_seconds"),
            ("first replies on time (%)", "sla_percent"), ("breaches", "breaches_total"),
            ("escalations", "escalations_total"), ("filtered, no answer needed", "filtered"),
        ]
        rows = [(label, getattr(self.current, key), getattr(self.previous, key)) for label, key in metrics]
        rows += [(f"messages: {platform} {kind}", count, None) for platform, kind, count in self.current.volume]
        rows += [(f"open: {bucket}", count, None) for bucket, count in self.current.open_by_age.items()]
        rows += [(f"tag: {tag}", count, self.previous.tags.get(tag, 0)) for tag, count in self.current.tags.items()]
        return rows


def build_report(db: Database, config: Config, brand_id: str, since: datetime, until: datetime,
                 now: datetime) -> Report:
    brand = config.brands[brand_id]
    length = until - since
    periods = [(since - length, since), (since, until)]
    with db.transaction() as session:
        q.prepare_for_aggregates(session)
        previous, current = _figures(session, config, brand_id, periods, now)
    return Report(brand_id, brand.name, brand.timezone, current, previous)


def _figures(session: Any, config: Config, brand_id: str, periods: list[tuple[datetime, datetime]],
             now: datetime) -> list[Figures]:
    """Both periods' figures, each table read once for all of them (see storage.reports)."""
    days = [_local_days(config, brand_id, since, until) for since, until in periods]
    # Day buckets of every period in a row, then which of them belong to which period.
    day_edges = [periods[0][0]] + [end for period_days in days for _day, _start, end in period_days]
    day_ranges, first = [], 0
    for period_days in days:
        day_ranges.append(range(first, first + len(period_days)))
        first += len(period_days)
    edges = [periods[0][0]] + [until for _since, until in periods]

    messages = q.messages_by_bucket(session, brand_id, day_edges)
    opened = q.opened_by_bucket(session, brand_id, day_edges, now)
    totals = [_opened_totals(opened, day_range) for day_range in day_ranges]
    wall = Conversation.first_response_seconds
    business = Conversation.first_response_business_seconds
    wanted = []
    for (since, until), (_conversations, with_wall, with_business) in zip(periods, totals, strict=True):
        wanted += [(wall, since, until, (0.5, 0.9), with_wall), (business, since, until, (0.5, 0.9), with_business)]
    # Each day's median and 90th percentile too (the chart shows the statistics the text does).
    all_days = [(start, end) for period_days in days for _day, start, end in period_days]
    wanted += [(wall, start, end, (0.5, 0.9), sum(group.with_first_response for group in opened.get(bucket, [])))
               for bucket, (start, end) in enumerate(all_days)]
    percentiles = q.percentiles(session, brand_id, wanted)
    daily = percentiles[2 * len(periods):]
    breach_counts = q.breach_counts(session, brand_id, edges)
    open_by_age = q.open_by_age(session, brand_id, [min(until, now) for _since, until in periods])
    replies = q.replies_by_teammate(session, brand_id, edges)
    resolved = q.actions_by_actor(session, brand_id, "resolved", edges)
    escalations = q.escalations(session, brand_id, edges)

    figures = []
    for index, (since, until) in enumerate(periods):
        day_range = day_ranges[index]
        counts = [group for bucket in day_range for group in opened.get(bucket, [])]
        volume: dict[tuple[str, str], int] = {}
        per_day = dict.fromkeys(day_range, 0)
        for platform, kind, bucket, count in messages:
            if bucket in per_day:
                per_day[bucket] += count
                volume[platform, kind] = volume.get((platform, kind), 0) + count
        period_escalations = escalations.get(index, [])
        by_tier: dict[str, int] = {}
        for detail in period_escalations:
            tier = detail.get("tier")
            name = config.escalation[tier].name if tier in config.escalation else str(tier)
            by_tier[name] = by_tier.get(name, 0) + 1
        median_wall, p90_wall = percentiles[2 * index]
        median_business, p90_business = percentiles[2 * index + 1]
        figures.append(Figures(
            since=since, until=until,
            messages=sum(per_day.values()),
            conversations=totals[index][0],
            volume=[(platform, kind, count) for (platform, kind), count
                    in sorted(volume.items(), key=lambda item: (-item[1], item[0][0], item[0][1]))],
            median_first_response_seconds=median_wall,
            p90_first_response_seconds=p90_wall,
            median_first_response_business_seconds=median_business,
            p90_first_response_business_seconds=p90_business,
            sla_met=sum(c.sla_met for c in counts), sla_due=sum(c.sla_due for c in counts),
            breaches_total=breach_counts.get(index, 0),
            breaches=q.first_breaches(session, brand_id, since, until),
            open_by_age=open_by_age[index],
            teammates=_teammates(replies.get(index, {}), _first_responses(counts), resolved.get(index, {})),
            escalations_total=len(period_escalations), escalations_by_tier=by_tier,
            days=[Day(day, per_day[bucket], *daily[bucket])
                  for bucket, (day, _start, _end) in zip(day_range, days[index], strict=True)],
            tags=q.tag_counts(session, brand_id, since, until),
            filtered=sum(c.quiet for c in counts),
        ))
    return figures


def _opened_totals(opened: dict[int, list[q.OpenedCounts]], buckets: range) -> tuple[int, int, int]:
    counts = [group for bucket in buckets for group in opened.get(bucket, [])]
    return (sum(c.conversations for c in counts), sum(c.with_first_response for c in counts),
            sum(c.with_business_first_response for c in counts))


def _average(groups: list[q.OpenedCounts]) -> float | None:
    """Average first response of the conversations of the groups (those with one)."""
    answered = sum(group.with_first_response for group in groups)
    return sum(group.first_response_seconds_total for group in groups) / answered if answered else None


def _first_responses(groups: list[q.OpenedCounts]) -> dict[str, tuple[int, float]]:
    """(first responses, their average seconds) per first responder."""
    by_person: dict[str, list[q.OpenedCounts]] = {}
    for group in groups:
        if group.first_responder is not None:
            by_person.setdefault(group.first_responder, []).append(group)
    return {person: (sum(group.conversations for group in mine), _average(mine) or 0.0)
            for person, mine in by_person.items()}


def _teammates(replies: dict[str, int], first: dict[str, tuple[int, float]],
               resolved: dict[str, int]) -> list[Teammate]:
    people = sorted(set(replies) | set(first) | set(resolved), key=lambda u: (-replies.get(u, 0), u))
    return [
        Teammate(user, replies.get(user, 0), first.get(user, (0, 0.0))[0],
                 first[user][1] if user in first else None, resolved.get(user, 0))
        for user in people
    ]


def _local_days(config: Config, brand_id: str, since: datetime,
                until: datetime) -> list[tuple[date, datetime, datetime]]:
    """(day, start, end) per local day of the brand (day boundaries in its time zone, DST included)."""
    zone = config.brands[brand_id].zone
    day = since.astimezone(zone).date()
    rows: list[tuple[date, datetime, datetime]] = []
    while True:
        start = max(since, datetime.combine(day, datetime.min.time(), tzinfo=zone))
        end = min(until, datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone))
        if start >= until:
            break
        rows.append((day, start, end))
        day += timedelta(days=1)
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
