"""Escalating a conversation to a tier: by a teammate's Escalate, or automatically when its reply is late."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.activity import record_activity
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.domain.verbs import Happened
from storage.models import Conversation, Status


def escalate_in(session: Session, conversation: Conversation, actor: str | None, tier_id: str, reason: str,
                now: datetime) -> None:
    """Escalate inside a running transaction: the tier's channel hears of it."""
    conversation.status = Status.ESCALATED
    conversation.escalation_tier = tier_id
    conversation.resolved_at = None
    activity = record_activity(session, conversation, actor, Happened.ESCALATED, now, tier=tier_id, reason=reason)
    enqueue(session, Effect.POST_ESCALATION, conversation.id, now, activity_id=activity.id)
