"""Response windows: when to warn, when a deadline is breached, when to escalate, each exactly once.

A conversation carries its deadlines (``response_due_at``, ``resolution_due_at``) and the instant
its next nudge is due (``next_nudge_at``, indexed), so a scan reads only the rows that need
something. Each nudge is a row with a unique key (conversation, deadline, due time, level): the
process whose insert wins sends it, in the same transaction as the outbox effects, so several
processes sharing one database, restarts and catch-up after downtime never send one twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypedDict

from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.config import Config, SlaPolicy
from bot.domain.activity import record_activity
from bot.domain.counters import Counters, NoCounters
from bot.domain.deadlines import BREACH, ESCALATE, WARN, Deadlines, Level, superseded
from bot.domain.escalation import escalate_in
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.domain.snooze import wake_up
from bot.domain.verbs import Happened
from bot.durations import format_duration
from storage import deadlines as stored
from storage.db import Database
from storage.models import Conversation, Status

log = logging.getLogger(__name__)

BATCH = 500


class _Notify(TypedDict, total=False):
    notify_user: str
    notify_group: str


class SlaScanner:
    def __init__(self, db: Database, config: Config, clock: Clock, notify: Callable[[], None] = lambda: None,
                 counters: Counters | None = None) -> None:
        """``notify`` is called after a scan that queued effects (the delivery worker wakes up)."""
        self.db = db
        self.config = config
        self.clock = clock
        self.notify = notify
        self.counters: Counters = counters or NoCounters()
        self.deadlines = Deadlines(config)

    def scan(self) -> int:
        """Send every nudge that has come due; returns how many were sent."""
        now = self.clock.now()
        sent = 0
        while True:
            with self.db.transaction() as session:
                ids = stored.due_for_a_nudge(session, now, BATCH)
            for conversation_id in ids:
                sent += self._nudge(conversation_id, now)
            if len(ids) < BATCH:
                break
        if sent:
            self.notify()
        return sent

    def _nudge(self, conversation_id: int, now: datetime) -> int:
        breached: list[str] = []
        sent = self._nudge_in(conversation_id, now, breached)
        for brand_id in breached:  # counted once committed
            self.counters.sla_breaches.labels(brand_id).inc()
        return sent

    def _nudge_in(self, conversation_id: int, now: datetime, breached: list[str]) -> int:
        with self.db.transaction() as session:
            conversation = stored.conversation_to_nudge(session, conversation_id)
            if conversation is None or conversation.next_nudge_at is None or conversation.next_nudge_at > now:
                return 0  # another process has it, or it changed meanwhile
            if conversation.snoozed_until is not None:
                if conversation.snoozed_until > now:
                    stored.set_next_nudge(session, conversation_id, conversation.snoozed_until)
                    return 0
                wake_up(session, self.deadlines, conversation, now)
            policy, planned = self.deadlines.plan(conversation)
            if conversation.status == Status.RESOLVED or conversation.paused_at is not None:
                planned = []
            due = [level for level in planned if level.at <= now]
            on_call = self._on_call(conversation, policy, now) if due else None
            held_until = self._held_until(conversation, policy, now) if due and on_call is None else None
            if held_until is not None:  # outside business hours: nothing is sent before the day opens
                stored.set_next_nudge(session, conversation_id, held_until)
                return 0
            sent = 0
            for level in due:
                stale = superseded(level, due)
                claimed = stored.claim_nudge(session, conversation.id, level.deadline, level.due_at, level.level,
                                             not stale, now)
                if claimed and not stale:
                    self._send(session, conversation, level, policy, now, on_call)
                    sent += 1
                    if level.kind == BREACH:
                        breached.append(conversation.brand_id)
            upcoming = [level.at for level in planned if level.at > now]
            stored.set_next_nudge(session, conversation_id, min(upcoming) if upcoming else None)
            return sent

    def _held_until(self, conversation: Conversation, policy: SlaPolicy, now: datetime) -> datetime | None:
        """The next opening when the brand's business-hours policy has it closed now, else None."""
        if not policy.business_hours:
            return None
        calendar = self.deadlines.calendar(conversation.brand_id)
        return None if calendar.is_open(now) else calendar.next_open(now)

    def _on_call(self, conversation: Conversation, policy: SlaPolicy, now: datetime) -> str | None:
        """The on-call group to page: the priority has one and the brand is closed now."""
        group = policy.on_call_group(conversation.priority)
        if group is None or self._held_until(conversation, policy, now) is None:
            return None
        return group

    def _send(self, session: Session, conversation: Conversation, level: Level, policy: SlaPolicy,
              now: datetime, on_call: str | None) -> None:
        if level.kind == ESCALATE:
            if conversation.status != Status.ESCALATED and policy.escalate_to and policy.escalate_after is not None:
                reason = f"No reply {format_duration(policy.escalate_after)} after the deadline (automatic)"
                escalate_in(session, conversation, None, policy.escalate_to, reason, now)
            return
        action = Happened.SLA_WARNING if level.kind == WARN else Happened.SLA_BREACH
        if level.deadline == "response":
            conversation.sla_level = "warned" if level.kind == WARN else "overdue"
        notify = _Notify(notify_group=on_call) if on_call else self._who_to_notify(conversation)
        activity = record_activity(session, conversation, None, action, now, deadline=level.deadline,
                                   due_at=level.due_at.isoformat(), **notify)
        if level.kind == BREACH and conversation.assignee_slack_id:
            enqueue(session, Effect.DM_USER, conversation.id, now,
                    user=conversation.assignee_slack_id, activity_id=activity.id)

    def _who_to_notify(self, conversation: Conversation) -> _Notify:
        """Who the note names: the assignee, else the brand's on-duty user group, else nobody.
        Stored as ids (``notify_user`` / ``notify_group``); the thread note makes them mentions."""
        if conversation.assignee_slack_id:
            return _Notify(notify_user=conversation.assignee_slack_id)
        group = self.config.brands[conversation.brand_id].on_duty_usergroup
        return _Notify(notify_group=group) if group else _Notify()
