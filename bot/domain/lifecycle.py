"""Changes of a conversation that more than one verb makes: tags (and the lead hand-off they may
start), and a filtered conversation brought back into the channel."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.kernel import Kernel
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.triage.rules import Verdict, rank
from storage import repositories as repo
from storage.models import Conversation, ConversationTag, Message, Status


def add_tags(session: Session, conversation: Conversation, tags: Sequence[str], actor: str | None,
             now: datetime) -> list[str]:
    """Add the tags the conversation does not have yet; returns those added."""
    if not tags:
        return []
    have = set(repo.tags_of(session, conversation.id))
    added = [tag for tag in dict.fromkeys(tags) if tag not in have]
    for tag in added:
        session.add(ConversationTag(conversation_id=conversation.id, tag=tag, added_by=actor, created_at=now))
    if added:
        session.flush()
    return added


def hand_off_lead(kernel: Kernel, session: Session, conversation: Conversation, actor: str | None,
                  now: datetime) -> None:
    """A conversation tagged `lead` is posted in the brand's sales channel, when it has one."""
    channel = kernel.config.lead_channel_for(conversation.brand_id)
    if channel is not None:
        enqueue(session, Effect.POST_LEAD, conversation.id, now, channel=channel, actor=actor)


def bring_back(kernel: Kernel, session: Session, conversation: Conversation, message: Message, now: datetime,
               verdict: Verdict | None) -> None:
    """A quiet conversation needs an answer after all: it gets its thread and its deadline."""
    conversation.status = Status.OPEN
    conversation.quiet_reason = None
    if verdict is not None and rank(verdict.priority) > rank(conversation.priority):
        conversation.priority = verdict.priority
    deadlines = kernel.deadlines
    due = deadlines.due(conversation.brand_id, conversation.kind, conversation.priority, message.sent_at, first=True)
    conversation.response_due_at = conversation.first_response_due_at = due
    conversation.updated_at = now
    deadlines.replan(conversation)
    enqueue(session, Effect.UPDATE_PARENT if conversation.slack_ts else Effect.POST_PARENT, conversation.id, now)
