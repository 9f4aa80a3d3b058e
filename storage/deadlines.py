"""The SLA scanner's queries: conversations whose next nudge has come due, and the nudges sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import Conversation, Nudge


def due_for_a_nudge(session: Session, now: datetime, limit: int) -> list[int]:
    """Ids of the conversations whose next nudge is due, the longest due first."""
    query = (
        select(Conversation.id)
        .where(Conversation.next_nudge_at <= now)
        .order_by(Conversation.next_nudge_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def conversation_to_nudge(session: Session, conversation_id: int) -> Conversation | None:
    """The conversation, locked for this process; None when it is gone or (PostgreSQL) another
    process holds it."""
    query = select(Conversation).where(Conversation.id == conversation_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).one_or_none()


def claim_nudge(session: Session, conversation_id: int, deadline: str, due_at: datetime, level: str, sent: bool,
                now: datetime) -> bool:
    """Record the nudge; False when it was recorded before (by this process or another)."""
    try:
        with session.begin_nested():
            session.add(Nudge(conversation_id=conversation_id, deadline=deadline, due_at=due_at, level=level,
                              sent=sent, created_at=now))
        return True
    except IntegrityError:
        return False


def set_next_nudge(session: Session, conversation_id: int, at: datetime | None) -> None:
    session.execute(
        update(Conversation).where(Conversation.id == conversation_id)
        .values(next_nudge_at=at)
        .execution_options(synchronize_session=False)
    )
