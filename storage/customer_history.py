"""The customer's earlier conversations with a brand, for the line in a new conversation's parent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Conversation, ConversationTag, Status
from storage.query_results import CustomerHistory, EarlierConversation

SHOWN = 3
"""How many of the earlier conversations are named (the newest first); the rest are counted."""


def customer_history(session: Session, conversation: Conversation) -> CustomerHistory | None:
    """The author's conversations with the brand before this one (by their identity on the
    platform; quiet ones never had a thread and are left out), or None for a first-time customer.
    One statement on ix_conversations_brand_author, the count taken with the rows; the tags of the
    named ones in a second only when there is a history."""
    total = func.count().over().label("total")
    rows = session.execute(
        select(Conversation.id, Conversation.ref, Conversation.status, Conversation.created_at,
               Conversation.slack_permalink, total)
        .where(Conversation.brand_id == conversation.brand_id, Conversation.platform == conversation.platform,
               Conversation.author_external_id == conversation.author_external_id,
               Conversation.id < conversation.id, Conversation.status != Status.QUIET)
        .order_by(Conversation.id.desc())
        .limit(SHOWN)
    ).all()
    if not rows:
        return None
    tags: dict[int, list[str]] = {}
    for conversation_id, tag in session.execute(
            select(ConversationTag.conversation_id, ConversationTag.tag)
            .where(ConversationTag.conversation_id.in_([row.id for row in rows])).order_by(ConversationTag.id)):
        tags.setdefault(conversation_id, []).append(tag)
    latest = tuple(EarlierConversation(row.ref, row.status, row.created_at, row.slack_permalink,
                                       tuple(tags.get(row.id, ()))) for row in rows)
    return CustomerHistory(rows[0].total, latest)
