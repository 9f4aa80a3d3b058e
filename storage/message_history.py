"""A customer message found by its platform id, to record an edit or deletion the platform reports."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Message, OutboxJob


def message_by_external_id(session: Session, source_id: str, external_id: str) -> Message | None:
    return session.scalars(
        select(Message).where(Message.source_id == source_id, Message.external_id == external_id)
        .with_for_update()
    ).first()


def last_message_deleted(session: Session, conversation_id: int) -> bool:
    """Whether the customer deleted the message a reply would answer (the conversation's latest)."""
    deleted = session.scalars(
        select(Message.deleted_at).where(Message.conversation_id == conversation_id)
        .order_by(Message.id.desc()).limit(1)
    ).first()
    return deleted is not None


def first_message_id(session: Session, conversation_id: int) -> int | None:
    return session.scalars(
        select(Message.id).where(Message.conversation_id == conversation_id).order_by(Message.id).limit(1)
    ).first()


def deleted_by_moderation(session: Session, conversation_id: int, external_id: str) -> bool:
    """Whether a teammate asked the platform to delete this message (then its removal is no news)."""
    payloads = session.scalars(
        select(OutboxJob.payload).where(OutboxJob.conversation_id == conversation_id, OutboxJob.kind == "moderate")
    )
    return any(payload.get("action") == "delete" and payload.get("target") == external_id for payload in payloads)
