"""A customer's edit or deletion of a message the desk has: the message keeps every earlier text,
the thread is told once, and a reply to a deleted message is refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session, object_session

from bot.domain.activity import record_activity
from bot.domain.kernel import Kernel
from bot.domain.outcomes import ActionRefused, IngestResult
from bot.domain.verbs import Happened
from bot.inbound import DELETED, InboundMessage
from storage import message_history
from storage.models import Conversation, Message, Status

NOTED_TEXT_LIMIT = 4000
"""How much of an edited text the thread note keeps (the note shows less; the message keeps it all)."""


def ingest_with_changes(kernel: Kernel, inbounds: Sequence[InboundMessage],
                        ingest_new: Callable[[Sequence[InboundMessage]], list[IngestResult]]) -> list[IngestResult]:
    """New messages ingested as usual, edits and deletions applied; results in the given order."""
    new = [inbound for inbound in inbounds if inbound.change is None]
    changes = [inbound for inbound in inbounds if inbound.change is not None]
    new_results = iter(ingest_new(new) if new else [])
    change_results = iter(apply_changes(kernel, changes))
    return [next(change_results if inbound.change else new_results) for inbound in inbounds]


def apply_changes(kernel: Kernel, changes: Sequence[InboundMessage]) -> list[IngestResult]:
    results = kernel.retrying(lambda session: [_apply(session, change, kernel.clock.now()) for change in changes])
    if not all(result.duplicate for result in results):
        kernel.notify_effects()
    return results


def _apply(session: Session, change: InboundMessage, now: datetime) -> IngestResult:
    message = message_history.message_by_external_id(session, change.source_id, change.external_id)
    if message is None:
        return IngestResult(0, "", created=False, duplicate=True, unknown=True)
    conversation = session.get(Conversation, message.conversation_id)
    assert conversation is not None
    first = message.id == message_history.first_message_id(session, conversation.id)
    # A filtered conversation has no thread to tell; its messages still keep what changed.
    shown = conversation.status != Status.QUIET
    if change.change == DELETED:
        changed = _delete(message, now)
        if changed and shown and not message_history.deleted_by_moderation(session, conversation.id,
                                                                           message.external_id):
            record_activity(session, conversation, None, Happened.CUSTOMER_DELETED, now, update_parent=first,
                            message_id=message.id, first=first)
    else:
        changed = _edit(message, change, now)
        if changed and shown:
            record_activity(session, conversation, None, Happened.CUSTOMER_EDITED, now, update_parent=first,
                            message_id=message.id, first=first, text=change.text[:NOTED_TEXT_LIMIT])
    return IngestResult(conversation.id, conversation.ref, created=False, duplicate=not changed)


def _delete(message: Message, now: datetime) -> bool:
    if message.deleted_at is not None:
        return False
    message.deleted_at = now
    return True


def _edit(message: Message, change: InboundMessage, now: datetime) -> bool:
    """The new text kept, the replaced one added to the history; the same edit again changes nothing."""
    attachments = stored_attachments(change) or message.attachments
    if message.deleted_at is not None or (change.text == message.text and attachments == message.attachments):
        return False
    message.earlier_texts = [*(message.earlier_texts or []), {"text": message.text, "until": now.isoformat()}]
    message.text = change.text
    message.attachments = attachments
    message.edited_at = now
    return True


def stored_attachments(inbound: InboundMessage) -> list[dict[str, str | None]] | None:
    return [asdict(attachment) for attachment in inbound.attachments] or None


def refuse_reply_to_deleted(kernel: Kernel, conversation: Conversation) -> None:
    """A reply answers the conversation's latest message: none is sent once its author deleted it."""
    session = object_session(conversation)
    if session is not None:  # within the reply's own transaction: a second connection would wait on it
        deleted = message_history.last_message_deleted(session, conversation.id)
    else:
        with kernel.db.reading() as reading:
            deleted = message_history.last_message_deleted(reading, conversation.id)
    if deleted:
        raise ActionRefused(f"{conversation.ref}: the customer deleted the message this would answer, "
                            "so the platform has nothing to reply to.")
