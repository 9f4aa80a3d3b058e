"""When the team must answer and when it is open: SLA policies, business hours, holidays, the digest schedule."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from bot.business_hours import WEEKDAYS, parse_spans
from bot.config.fields import KINDS, PRIORITIES, Duration, SlackUsergroupId, Strict
from bot.durations import parse_duration

_PERCENT = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)\s*%\s*$")


def warn_point(value: object) -> str:
    """One point of ``warn_at``: a share of the window (``"80%"``, counted from its start) or a
    duration before the deadline (``"30m"``), kept as text: it names the warning's nudge."""
    text = str(value).strip().lower().replace(" ", "")
    if len(text) > 10:  # it names the nudge (warn@<point>, 16 characters at most)
        raise ValueError(f"{value!r} is too long for a warning point; write it like 80% or 30m")
    match = _PERCENT.match(text)
    if match:
        if not 0 < float(match.group(1)) < 100:
            raise ValueError(f"{text!r}: a share of the window must be between 0% and 100%")
        return text
    try:
        parse_duration(text)
    except ValueError:
        raise ValueError(f"{value!r} is not a warning point; write a share of the window like 80% "
                         "or a time before the deadline like 30m") from None
    return text


WarnPoint = Annotated[str, BeforeValidator(warn_point)]


class SlaPolicy(Strict):
    first_response: Duration | None = None
    next_response: Duration | None = None
    resolution: Duration | None = None
    business_hours: bool | None = None
    warn_before: Duration | None = None
    """One warning this long before the deadline; ``warn_at`` replaces it when set."""
    warn_at: list[WarnPoint] | None = Field(default=None, max_length=5)
    """Several warnings: shares of the window (``80%``) or times before the deadline (``30m``)."""
    on_call: dict[str, SlackUsergroupId] | None = None
    """By priority, the user group paged at any hour: that priority's windows run round the clock."""
    escalate_after: Duration | None = None
    escalate_to: str | None = None
    pause_while_waiting: bool | None = None
    """Stop the clocks while the conversation is waiting on the customer."""

    @field_validator("on_call")
    @classmethod
    def _priorities(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        unknown = sorted(set(value or {}) - set(PRIORITIES))
        if unknown:
            raise ValueError(f"unknown priority {unknown[0]!r}; use {', '.join(PRIORITIES)}")
        return value

    def warn_points(self) -> list[str]:
        """The warnings' points: ``warn_at``, else the single ``warn_before`` (named ``""``)."""
        if self.warn_at is not None:
            return list(self.warn_at)
        return [""] if self.warn_before else []

    def on_call_group(self, priority: str) -> str | None:
        return (self.on_call or {}).get(priority)


DEFAULT_SLA: dict[str, SlaPolicy] = {
    "default": SlaPolicy(first_response=timedelta(hours=1), next_response=timedelta(hours=4),
                         business_hours=False, warn_before=timedelta(minutes=15)),
    "dm": SlaPolicy(first_response=timedelta(hours=24), next_response=timedelta(hours=24)),
    "review": SlaPolicy(first_response=timedelta(hours=24), next_response=timedelta(hours=24)),
}


def check_sla_keys(value: dict[str, SlaPolicy]) -> dict[str, SlaPolicy]:
    unknown = sorted(set(value) - {"default", *KINDS, *PRIORITIES})
    if unknown:
        raise ValueError(
            f"unknown kind or priority {unknown[0]!r}; use default, {', '.join(KINDS)} or {', '.join(PRIORITIES)}"
        )
    return value


SlaTable = Annotated[dict[str, SlaPolicy], Field(default_factory=dict)]


def check_business_hours(value: dict[str, str]) -> dict[str, tuple[tuple[int, int], ...]]:
    unknown = sorted(set(value) - set(WEEKDAYS))
    if unknown:
        raise ValueError(f"unknown day {unknown[0]!r}; use {', '.join(WEEKDAYS)}")
    parsed: dict[str, tuple[tuple[int, int], ...]] = {}
    for day, spans in value.items():
        try:
            parsed[day] = parse_spans(str(spans))
        except ValueError as error:
            raise ValueError(f"{day}: {error}") from None
    return parsed


def valid_business_hours(value: dict[str, str]) -> dict[str, str]:
    check_business_hours(value)
    return value


BusinessHours = Annotated[dict[str, str], AfterValidator(valid_business_hours)]
DEFAULT_BUSINESS_HOURS = {day: "09:00-18:00" for day in WEEKDAYS[:5]}


class Holidays(Strict):
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    subdiv: str | None = None
    dates: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_country(self) -> Holidays:
        if self.country:
            import holidays

            if self.country not in holidays.list_supported_countries():
                raise ValueError(f"country {self.country!r} is not known to the holidays package")
        return self


class DigestSchedule(Strict):
    schedule: str = "mon 09:00"
    template: str | None = None
    """A jinja2 file (relative to app.yaml) replacing the built-in digest text."""

    @field_validator("schedule")
    @classmethod
    def _valid(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @property
    def days_and_time(self) -> tuple[tuple[int, ...], time] | None:
        return parse_schedule(self.schedule)


def parse_schedule(text: str) -> tuple[tuple[int, ...], time] | None:
    """``"mon 09:00"``, ``"mon,thu 09:00"`` or ``"daily 08:30"``: weekdays (0 = Monday) and a local
    time; ``"off"`` for no scheduled digest."""
    if text.strip().lower() == "off":
        return None
    match = re.fullmatch(r"\s*([a-z,]+)\s+(\d{1,2}):(\d{2})\s*", text.lower())
    if not match:
        raise ValueError(f"{text!r} is not a schedule; write it like 'mon 09:00', 'daily 08:30' or 'off'")
    names, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r}: the time must be between 00:00 and 23:59")
    if names == "daily":
        return tuple(range(7)), time(hour, minute)
    days = []
    for name in names.split(","):
        if name not in WEEKDAYS:
            raise ValueError(f"{text!r}: unknown day {name!r}; use {', '.join(WEEKDAYS)} or daily")
        days.append(WEEKDAYS.index(name))
    return tuple(sorted(set(days))), time(hour, minute)
