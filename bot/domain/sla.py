"""Response windows: when to warn, when a deadline is breached, when to escalate, each exactly once.

A conversation carries its deadlines (``response_due_at``, ``resolution_due_at``) and the instant
its next nudge is due (``next_nudge_at``, indexed), so a scan reads only the rows that need
something. Each nudge is a row with a unique key (conversation, deadline, due time, level): the
process whose insert wins sends it, in the same transaction as the outbox effects, so several
processes sharing one database, restarts and catch-up after downtime never send one twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import SlaPolicy
from bot.domain.outbox import Effect, enqueue
from bot.durations import format_duration
from storage.models import Conversation, Nudge, Status

if TYPE_CHECKING:
    from bot.domain.desk import Desk

log = logging.getLogger(__name__)

BATCH = 500
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


class SlaScanner:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def scan(self) -> int:
        """Send every nudge that has come due; returns how many were sent."""
        now = self.desk.clock.now()
        sent = 0
        while True:
            ids = self._due_ids(now)
            for conversation_id in ids:
                sent += self._nudge(conversation_id, now)
            if len(ids) < BATCH:
                break
        if sent:
            self.desk.notify_effects()
        return sent

    def _due_ids(self, now: datetime) -> list[int]:
        query = (
            select(Conversation.id)
            .where(Conversation.next_nudge_at <= now)
            .order_by(Conversation.next_nudge_at)
            .limit(BATCH)
        )
        with self.desk.db.transaction() as session:
            return list(session.scalars(query))

    def _nudge(self, conversation_id: int, now: datetime) -> int:
        breached: list[str] = []
        sent = self._nudge_in(conversation_id, now, breached)
        for brand_id in breached:  # counted once committed
            self.desk.metrics.sla_breaches.labels(brand_id).inc()
        return sent

    def _nudge_in(self, conversation_id: int, now: datetime, breached: list[str]) -> int:
        with self.desk.db.transaction() as session:
            query = select(Conversation).where(Conversation.id == conversation_id)
            if session.bind is not None and session.bind.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            conversation = session.scalars(query).one_or_none()
            if conversation is None or conversation.next_nudge_at is None or conversation.next_nudge_at > now:
                return 0  # another process has it, or it changed meanwhile
            policy = self.desk.config.sla_policy(conversation.brand_id, conversation.kind, conversation.priority)
            idle = conversation.status == Status.RESOLVED or conversation.paused_at is not None
            planned = [] if idle else levels(conversation, policy)
            due = [level for level in planned if level.at <= now]
            sent = 0
            for level in due:
                superseded = level.level == WARN and any(
                    other.deadline == level.deadline and other.level == BREACH for other in due
                )
                if self._claim(session, conversation, level, not superseded, now) and not superseded:
                    self._send(session, conversation, level, policy, now)
                    sent += 1
                    if level.level == BREACH:
                        breached.append(conversation.brand_id)
            upcoming = [level.at for level in planned if level.at > now]
            session.execute(
                update(Conversation).where(Conversation.id == conversation_id)
                .values(next_nudge_at=min(upcoming) if upcoming else None)
                .execution_options(synchronize_session=False)
            )
            return sent

    @staticmethod
    def _claim(session: Session, conversation: Conversation, level: Level, sent: bool, now: datetime) -> bool:
        try:
            with session.begin_nested():
                session.add(Nudge(conversation_id=conversation.id, deadline=level.deadline, due_at=level.due_at,
                                  level=level.level, sent=sent, created_at=now))
            return True
        except IntegrityError:
            return False

    def _send(self, session: Session, conversation: Conversation, level: Level, policy: SlaPolicy, now: datetime) -> None:
        desk = self.desk
        if level.level == ESCALATE:
            if conversation.status != Status.ESCALATED and policy.escalate_to and policy.escalate_after is not None:
                reason = f"No reply {format_duration(policy.escalate_after)} after the deadline (automatic)"
                desk.escalate_in(session, conversation, None, policy.escalate_to, reason, now)
            return
        mention = self._who_to_ping(conversation)
        action = "sla_warning" if level.level == WARN else "sla_breach"
        if level.deadline == "response":
            conversation.sla_level = "warned" if level.level == WARN else "overdue"
        activity = desk.record_activity(
            session, conversation, None, action, now,
            deadline=level.deadline, due_at=level.due_at.isoformat(), mention=mention,
        )
        if level.level == BREACH and conversation.assignee_slack_id:
            enqueue(session, Effect.DM_USER, conversation.id, now,
                    user=conversation.assignee_slack_id, activity_id=activity.id)

    def _who_to_ping(self, conversation: Conversation) -> str:
        if conversation.assignee_slack_id:
            return f"<@{conversation.assignee_slack_id}>"
        group = self.desk.config.brands[conversation.brand_id].on_duty_usergroup
        return f"<!subteam^{group}>" if group else ""

