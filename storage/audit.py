"""The audit trail as `socialdesk audit` prints it: who did what, on which conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AuditEntry, Conversation


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor_slack_id: str | None
    ref: str | None
    """The conversation's reference (ACME-12), None for an entry about no conversation."""
    action: str
    outcome: str
    detail: dict[str, Any]


def audit_trail(session: Session, *, conversation_id: int | None = None, actor: str | None = None,
                limit: int = 200) -> list[AuditLine]:
    """The newest ``limit`` entries, oldest first, each with its conversation's reference."""
    query = (
        select(AuditEntry.at, AuditEntry.actor_slack_id, Conversation.ref, AuditEntry.action, AuditEntry.outcome,
               AuditEntry.detail)
        .outerjoin(Conversation, Conversation.id == AuditEntry.conversation_id)
    )
    if conversation_id is not None:
        query = query.where(AuditEntry.conversation_id == conversation_id)
    if actor is not None:
        query = query.where(AuditEntry.actor_slack_id == actor)
    newest = session.execute(query.order_by(AuditEntry.id.desc()).limit(limit)).all()
    return [AuditLine(*row) for row in reversed(newest)]
