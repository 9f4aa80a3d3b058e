"""A conversation's deadlines: when a reply or the resolution is due, paused and resumed, and the
nudges (warning, breach, automatic escalation) they call for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.business_hours import BusinessCalendar
from bot.config import Config, SlaPolicy
from storage.models import Conversation, Status

WARN, BREACH, ESCALATE = "warn", "breach", "escalate"


@dataclass(frozen=True)
class Level:
    deadline: str  # "response" or "resolution"
    due_at: datetime
    level: str
    at: datetime


def levels(conversation: Conversation, policy: SlaPolicy) -> list[Level]:
    """Every nudge the conversation's current deadlines call for, earliest first."""
    planned: list[Level] = []
    for deadline, due in (("response", conversation.response_due_at), ("resolution", conversation.resolution_due_at)):
        if due is None:
            continue
        if policy.warn_before:
            planned.append(Level(deadline, due, WARN, due - policy.warn_before))
        planned.append(Level(deadline, due, BREACH, due))
        if deadline == "response" and policy.escalate_after is not None and policy.escalate_to:
            planned.append(Level(deadline, due, ESCALATE, due + policy.escalate_after))
    return sorted(planned, key=lambda level: level.at)


def first_nudge_at(conversation: Conversation, policy: SlaPolicy) -> datetime | None:
    if conversation.status == Status.RESOLVED or conversation.paused_at is not None:
        return None
    planned = levels(conversation, policy)
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
        return self.after(brand_id, policy, since, window)

    def after(self, brand_id: str, policy: SlaPolicy, since: datetime, window: timedelta | None) -> datetime | None:
        if window is None:
            return None
        if policy.business_hours:
            return self.calendar(brand_id).add(since, window)
        return since + window

    def replan(self, conversation: Conversation) -> None:
        """Deadlines changed: the next nudge is recomputed and the overdue badge starts afresh."""
        policy = self.config.sla_policy(conversation.brand_id, conversation.kind, conversation.priority)
        conversation.next_nudge_at = first_nudge_at(conversation, policy)
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
