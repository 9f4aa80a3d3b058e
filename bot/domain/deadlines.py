"""A conversation's deadlines: when a reply or the resolution is due, paused and resumed, and the
nudges (warning, breach, automatic escalation) they call for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.business_hours import BusinessCalendar
from bot.config import Config, SlaPolicy
from bot.durations import parse_duration
from storage.models import Conversation, Status

WARN, BREACH, ESCALATE = "warn", "breach", "escalate"


@dataclass(frozen=True)
class Level:
    deadline: str  # "response" or "resolution"
    due_at: datetime
    level: str
    """The nudge's name, unique per deadline: ``warn`` (the single ``warn_before``), ``warn@80%``,
    ``warn@30m``, ``breach`` or ``escalate``."""
    at: datetime

    @property
    def kind(self) -> str:
        return self.level.partition("@")[0]


def levels(conversation: Conversation, policy: SlaPolicy, calendar: BusinessCalendar | None = None) -> list[Level]:
    """Every nudge the conversation's current deadlines call for, earliest first. Warnings are
    counted back from the deadline on ``calendar`` (business time) when given."""
    planned: list[Level] = []
    for deadline, due in (("response", conversation.response_due_at), ("resolution", conversation.resolution_due_at)):
        if due is None:
            continue
        window = _window(conversation, policy, deadline)
        for point in policy.warn_points():
            before = _before(point, policy, window)
            if before is not None:
                at = calendar.subtract(due, before) if calendar else due - before
                planned.append(Level(deadline, due, f"{WARN}@{point}" if point else WARN, at))
        planned.append(Level(deadline, due, BREACH, due))
        if deadline == "response" and policy.escalate_after is not None and policy.escalate_to:
            planned.append(Level(deadline, due, ESCALATE, due + policy.escalate_after))
    return sorted(planned, key=lambda level: level.at)


def _window(conversation: Conversation, policy: SlaPolicy, deadline: str) -> timedelta | None:
    if deadline == "resolution":
        return policy.resolution
    if conversation.first_response_at is None:
        return policy.first_response
    return policy.next_response or policy.first_response


def _before(point: str, policy: SlaPolicy, window: timedelta | None) -> timedelta | None:
    """How long before the deadline a warning point falls (None: a share of an unknown window)."""
    if not point:
        return policy.warn_before
    if point.endswith("%"):
        return window * (1 - float(point[:-1]) / 100) if window else None
    return parse_duration(point)


def superseded(level: Level, due: list[Level]) -> bool:
    """A warning that a later warning or the breach of the same deadline, due as well, makes stale
    (after downtime, or held back overnight): only the latest is sent."""
    if level.kind != WARN:
        return False
    later = due[due.index(level) + 1:]
    return any(other.deadline == level.deadline and other.kind in (WARN, BREACH) for other in later)


def first_nudge_at(conversation: Conversation, policy: SlaPolicy,
                   calendar: BusinessCalendar | None = None) -> datetime | None:
    if conversation.status == Status.RESOLVED or conversation.paused_at is not None:
        return None
    planned = levels(conversation, policy, calendar)
    return planned[0].at if planned else None


class Deadlines:
    """Deadlines by each brand's policy, in business hours where the policy says so."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._calendars: dict[str, BusinessCalendar] = {}

    def calendar(self, brand_id: str) -> BusinessCalendar:
        if brand_id not in self._calendars:
            self._calendars[brand_id] = self.config.calendar(brand_id)
        return self._calendars[brand_id]

    def due(self, brand_id: str, kind: str, priority: str, since: datetime, first: bool) -> datetime | None:
        """When a reply to a message sent ``since`` is due (the first reply's window, or the next's)."""
        policy = self.config.sla_policy(brand_id, kind, priority)
        window = policy.first_response if first else (policy.next_response or policy.first_response)
        return self.after(brand_id, policy, since, window, priority)

    def after(self, brand_id: str, policy: SlaPolicy, since: datetime, window: timedelta | None,
              priority: str | None = None) -> datetime | None:
        if window is None:
            return None
        calendar = self.business_calendar(brand_id, policy, priority)
        return calendar.add(since, window) if calendar else since + window

    def business_calendar(self, brand_id: str, policy: SlaPolicy, priority: str | None) -> BusinessCalendar | None:
        """The calendar the policy's clock runs on; None when it runs round the clock (no business
        hours, or an on-call group for this priority)."""
        if not policy.business_hours or (priority is not None and policy.on_call_group(priority)):
            return None
        return self.calendar(brand_id)

    def plan(self, conversation: Conversation) -> tuple[SlaPolicy, list[Level]]:
        """The conversation's policy and every nudge its deadlines call for."""
        policy = self.config.sla_policy(conversation.brand_id, conversation.kind, conversation.priority)
        calendar = self.business_calendar(conversation.brand_id, policy, conversation.priority)
        return policy, levels(conversation, policy, calendar)

    def replan(self, conversation: Conversation) -> None:
        """Deadlines changed: the next nudge is recomputed and the overdue badge starts afresh."""
        policy = self.config.sla_policy(conversation.brand_id, conversation.kind, conversation.priority)
        calendar = self.business_calendar(conversation.brand_id, policy, conversation.priority)
        conversation.next_nudge_at = first_nudge_at(conversation, policy, calendar)
        if conversation.snoozed_until is not None:  # the scan wakes it then; nothing is sent before
            conversation.next_nudge_at = conversation.snoozed_until
        conversation.sla_level = None

    def resume(self, conversation: Conversation, now: datetime) -> None:
        """End a pause: every deadline moves on by the time the clocks were stopped."""
        if conversation.paused_at is None:
            return
        paused_for = now - conversation.paused_at
        for field in ("response_due_at", "resolution_due_at"):
            due = getattr(conversation, field)
            if due is not None:
                setattr(conversation, field, due + paused_for)
        conversation.paused_at = None
        self.replan(conversation)

    def raise_priority(self, conversation: Conversation, priority: str, since: datetime) -> None:
        """A later message made it more pressing: its tighter window applies if it ends sooner."""
        conversation.priority = priority
        if conversation.response_due_at is not None:
            first = conversation.first_response_at is None
            due = self.due(conversation.brand_id, conversation.kind, priority, since, first)
            if due is not None and due < conversation.response_due_at:
                conversation.response_due_at = due
                self.replan(conversation)
