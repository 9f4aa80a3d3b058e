"""Moderation on the customer's platform (hide, delete, block), reported back to the desk."""

from __future__ import annotations

from bot.delivery.attempt import Attempt
from bot.delivery.errors import Retry
from bot.domain.effects import Moderate
from bot.platforms import DeliveryError, moderation
from storage.models import Conversation


def moderate(attempt: Attempt, payload: Moderate) -> None:
    conversation_id = attempt.conversation_id
    desk = attempt.desk
    with attempt.db.transaction() as session:
        conversation = session.get_one(Conversation, conversation_id)
    try:
        moderation.perform(desk.platform(conversation.source_id), payload.action, payload.target,
                           conversation.platform)
    except DeliveryError as error:
        desk.metrics.platform_errors.labels(conversation.source_id, "moderate").inc()
        if not error.permanent:
            raise Retry(str(error), error.retry_after) from None
        desk.moderation_done(conversation_id, payload.actor, payload.action, error=str(error))
        return
    desk.moderation_done(conversation_id, payload.actor, payload.action)
