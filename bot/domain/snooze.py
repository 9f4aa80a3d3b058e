"""Snooze: a conversation leaves the queues and its nudges wait until a chosen time, then comes back
with a note; a new customer message wakes it at once. The SLA scan wakes it through
``next_nudge_at`` (see ``Deadlines.replan``)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.business_hours import WEEKDAYS, BusinessCalendar
from bot.domain.activity import record_activity
from bot.domain.deadlines import Deadlines
from bot.domain.kernel import Kernel
from bot.domain.outcomes import ActionRefused, ActionResult, done, unchanged
from bot.domain.verbs import Happened, Verb
from storage.models import Conversation, Status

SNOOZE_FORMS = "30m, 2h, 3d, tomorrow, tomorrow 14:00, mon 9:00 or 2026-12-01 09:00"
LONGEST = timedelta(days=90)
MORNING = time(9, 0)
_DURATION = re.compile(r"^(\d{1,4})\s*(m|min|h|d)$")
_CLOCK = r"(?:\s+(\d{1,2}):(\d{2}))?"
_DAY = re.compile(rf"^(tomorrow|{'|'.join(WEEKDAYS)}){_CLOCK}$")
_DATE = re.compile(rf"^(\d{{4}}-\d{{2}}-\d{{2}}){_CLOCK}$")


def snooze_until(text: str, now: datetime, zone: ZoneInfo, calendar: BusinessCalendar | None) -> datetime:
    """When a snooze typed as ``text`` ends. Minutes and hours count open time on ``calendar``
    (a business-hours policy); days, ``tomorrow``, a weekday or a date are the brand's local time."""
    words = " ".join(text.lower().split())
    until = _parse(words, now.astimezone(UTC), zone, calendar)
    if until is None:
        raise ActionRefused(f"`{text.strip()[:40]}` is not a snooze time; use {SNOOZE_FORMS}.")
    if until <= now or until - now > LONGEST:
        raise ActionRefused(f"Snooze until a time in the next 90 days; use {SNOOZE_FORMS}.")
    return until


def _parse(words: str, now: datetime, zone: ZoneInfo, calendar: BusinessCalendar | None) -> datetime | None:
    if match := _DURATION.match(words):
        amount, unit = int(match.group(1)), match.group(2)
        if unit == "d":
            return _local(now.astimezone(zone).date() + timedelta(days=amount), now.astimezone(zone).time(), zone)
        span = timedelta(hours=amount) if unit == "h" else timedelta(minutes=amount)
        return calendar.add(now, span) if calendar else now + span
    today = now.astimezone(zone).date()
    if match := _DAY.match(words):
        at = _clock(match.group(2), match.group(3))
        if at is None:
            return None
        if match.group(1) == "tomorrow":
            return _local(today + timedelta(days=1), at, zone)
        ahead = (WEEKDAYS.index(match.group(1)) - today.weekday()) % 7
        until = _local(today + timedelta(days=ahead), at, zone)
        return until if until > now else _local(today + timedelta(days=ahead + 7), at, zone)
    if match := _DATE.match(words):
        at = _clock(match.group(2), match.group(3))
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            return None
        return _local(day, at, zone) if at is not None else None
    return None


def _clock(hour: str | None, minute: str | None) -> time | None:
    if hour is None or minute is None:
        return MORNING
    if int(hour) > 23 or int(minute) > 59:
        return None
    return time(int(hour), int(minute))


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(at.hour, at.minute), tzinfo=zone).astimezone(UTC)


def wake_up(session: Session, deadlines: Deadlines, conversation: Conversation, now: datetime,
            actor: str | None = None, reason: str = "time") -> bool:
    """End the snooze (its time came, the customer wrote, or a teammate unsnoozed it), with a note."""
    if conversation.snoozed_until is None:
        return False
    conversation.snoozed_until = None
    deadlines.replan(conversation)
    if conversation.status != Status.RESOLVED:
        record_activity(session, conversation, actor, Happened.UNSNOOZED, now, reason=reason)
    return True


class Snoozing:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.deadlines = kernel.deadlines

    def snooze(self, conversation_id: int, actor: str, when: str) -> ActionResult:
        with self.kernel.changing(conversation_id, actor, Verb.SNOOZE) as (session, conversation, now):
            if conversation.status == Status.RESOLVED:
                raise ActionRefused(f"{conversation.ref} is resolved; there is nothing to snooze.")
            policy = self.kernel.config.sla_policy(conversation.brand_id, conversation.kind, conversation.priority)
            calendar = self.deadlines.business_calendar(conversation.brand_id, policy, conversation.priority)
            until = snooze_until(when, now, self.kernel.config.brands[conversation.brand_id].zone, calendar)
            conversation.snoozed_until = until
            self.deadlines.replan(conversation)
            record_activity(session, conversation, actor, Happened.SNOOZED, now, until=until.isoformat())
            return done(conversation, f"{conversation.ref} snoozed until {self._shown(conversation, until)}.")

    def unsnooze(self, conversation_id: int, actor: str) -> ActionResult:
        with self.kernel.changing(conversation_id, actor, Verb.UNSNOOZE) as (session, conversation, now):
            if not wake_up(session, self.deadlines, conversation, now, actor, reason="unsnoozed"):
                return unchanged(conversation, f"{conversation.ref} is not snoozed.")
            return done(conversation, f"{conversation.ref} is back in the queues.")

    def _shown(self, conversation: Conversation, until: datetime) -> str:
        zone = self.kernel.config.brands[conversation.brand_id].zone
        return f"{until.astimezone(zone):%a %d %b %H:%M} ({zone.key})"
