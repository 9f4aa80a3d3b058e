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
    average_first_response_seconds: float | None


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


def build_report(db: Database, config: Config, brand_id: str, since: datetime, until: datetime, now: datetime) -> Report:
    brand = config.brands[brand_id]
    length = until - since
    with db.transaction() as session:
        current = _figures(session, config, brand_id, since, until, now)
        previous = _figures(session, config, brand_id, since - length, since, now)
    return Report(brand_id, brand.name, brand.timezone, current, previous)


def _figures(session: Any, config: Config, brand_id: str, since: datetime, until: datetime, now: datetime) -> Figures:
    wall = Conversation.first_response_seconds
    business = Conversation.first_response_business_seconds
    met, due = q.sla_counts(session, brand_id, since, until, now)
    breaches_total, breach_list = q.breaches(session, brand_id, since, until)
    escalations = q.escalations(session, brand_id, since, until)
    by_tier: dict[str, int] = {}
    for detail in escalations:
        name = config.escalation[detail["tier"]].name if detail.get("tier") in config.escalation else str(detail.get("tier"))
        by_tier[name] = by_tier.get(name, 0) + 1
    return Figures(
        since=since, until=until,
        messages=q.messages_between(session, brand_id, since, until),
        conversations=q.conversations_opened(session, brand_id, since, until),
        volume=q.volume_by_platform_and_kind(session, brand_id, since, until),
        median_first_response_seconds=q.percentile(session, wall, brand_id, since, until, 0.5),
        p90_first_response_seconds=q.percentile(session, wall, brand_id, since, until, 0.9),
        median_first_response_business_seconds=q.percentile(session, business, brand_id, since, until, 0.5),
        p90_first_response_business_seconds=q.percentile(session, business, brand_id, since, until, 0.9),
        sla_met=met, sla_due=due,
        breaches_total=breaches_total, breaches=breach_list,
        open_by_age=q.open_by_age(session, brand_id, min(until, now)),
        teammates=_teammates(session, brand_id, since, until),
        escalations_total=len(escalations), escalations_by_tier=by_tier,
        days=_days(session, config, brand_id, since, until),
        tags=q.tag_counts(session, brand_id, since, until),
        filtered=q.quiet_count(session, brand_id, since, until),
    )


def _teammates(session: Any, brand_id: str, since: datetime, until: datetime) -> list[Teammate]:
    replies = q.replies_by_teammate(session, brand_id, since, until)
    first = q.first_responses_by_teammate(session, brand_id, since, until)
    resolved = q.actions_by_actor(session, brand_id, "resolved", since, until)
    people = sorted(set(replies) | set(first) | set(resolved), key=lambda u: (-replies.get(u, 0), u))
    return [
        Teammate(user, replies.get(user, 0), first.get(user, (0, 0.0))[0],
                 first[user][1] if user in first else None, resolved.get(user, 0))
        for user in people
    ]


def _days(session: Any, config: Config, brand_id: str, since: datetime, until: datetime) -> list[Day]:
    """One row per local day of the brand (day boundaries in its time zone, DST included)."""
    zone = config.brands[brand_id].zone
    day = since.astimezone(zone).date()
    rows: list[Day] = []
    while True:
        start = max(since, datetime.combine(day, datetime.min.time(), tzinfo=zone))
        end = min(until, datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone))
        if start >= until:
            break
        rows.append(Day(day, q.messages_between(session, brand_id, start, end),
                        q.daily_average_first_response(session, brand_id, start, end)))
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
