"""What happened to a conversation, recorded: a row in its history, a note in its Slack thread, an
entry in the audit log when a teammate did it, and the App Homes that show it refreshed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.domain.verbs import Happened, Verb
from storage.models import Activity, AuditEntry, Conversation


def record_activity(
    session: Session,
    conversation: Conversation,
    actor: str | None,
    action: Happened,
    now: datetime,
    update_parent: bool = True,
    **detail: object,
) -> Activity:
    conversation.updated_at = now
    activity = Activity(
        conversation_id=conversation.id, actor_slack_id=actor, action=action.value, detail=detail, created_at=now,
        brand_id=conversation.brand_id,
    )
    session.add(activity)
    session.flush()
    if actor is not None:
        audit(session, now, actor, action, "done", conversation, activity_id=activity.id)
    enqueue(session, Effect.POST_NOTE, conversation.id, now, activity_id=activity.id)
    if update_parent:
        enqueue(session, Effect.UPDATE_PARENT, conversation.id, now)
    for person in {conversation.assignee_slack_id, detail.get("previous_assignee")} - {None}:
        enqueue(session, Effect.PUBLISH_HOME, None, now, user=person)
    return activity


def audit(session: Session, at: datetime, actor: str | None, action: Verb | Happened, outcome: str,
          conversation: Conversation, **detail: object) -> None:
    """An audit entry in the running transaction: ``outcome`` is "done" or "queued"."""
    session.add(AuditEntry(at=at, actor_slack_id=actor, brand_id=conversation.brand_id,
                           conversation_id=conversation.id, action=action.value, outcome=outcome, detail=detail))


def refusal_entry(at: datetime, actor: str | None, action: Verb | str, reason: str, brand_id: str | None,
                  conversation_id: int | None) -> AuditEntry:
    """A refused request, audited on its own (the change it asked for was rolled back). ``action`` is
    the verb, or the kind of a request refused before any verb (one from another workspace)."""
    return AuditEntry(at=at, actor_slack_id=actor, brand_id=brand_id, conversation_id=conversation_id,
                      action=str(action), outcome="refused", detail={"reason": reason[:500]})
