"""Teammates' corrections of triage, read for export: what the customer wrote and what was decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Activity, Conversation, Message

CORRECTED = "triage_corrected"


@dataclass(frozen=True)
class Correction:
    ref: str
    text: str
    sentiment: str
    previous: str
    priority: str
    category: str | None
    """The category triage saw, when there was one."""
    by: str | None
    at: datetime


def corrections(session: Session, since: datetime | None = None, brand_id: str | None = None) -> list[Correction]:
    """Every correction, oldest first, with the conversation's first message (the one triaged)."""
    first = (select(Message.conversation_id, func.min(Message.id).label("message_id"))
             .group_by(Message.conversation_id).subquery())
    query = (select(Activity, Conversation.ref, Conversation.sentiment, Message.text)
             .join(Conversation, Conversation.id == Activity.conversation_id)
             .join(first, first.c.conversation_id == Activity.conversation_id)
             .join(Message, Message.id == first.c.message_id)
             .where(Activity.action == CORRECTED))
    if since is not None:
        query = query.where(Activity.created_at >= since)
    if brand_id is not None:
        query = query.where(Activity.brand_id == brand_id)
    rows = session.execute(query.order_by(Activity.id))
    return [
        Correction(ref=ref, text=text, sentiment=sentiment, previous=str(activity.detail.get("previous")),
                   priority=str(activity.detail.get("priority")), category=activity.detail.get("category"),
                   by=activity.actor_slack_id, at=activity.created_at)
        for activity, ref, sentiment, text in rows
    ]
