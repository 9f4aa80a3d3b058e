"""A teammate's reply, sent to the customer's platform."""

from __future__ import annotations

from bot.delivery.attempt import Attempt
from bot.delivery.errors import Retry
from bot.domain.effects import SendReply
from bot.domain.signature import signed
from bot.platforms import DeliveryError, OutgoingReply
from storage import deliveries
from storage.models import Conversation, Reply, ReplyStatus


def send_reply(attempt: Attempt, payload: SendReply) -> None:
    reply_id = payload.reply_id
    with attempt.db.transaction() as session:
        reply = session.get_one(Reply, reply_id)
        conversation = session.get_one(Conversation, reply.conversation_id)
        recorded = deliveries.other_reply_ids(session, conversation.id, reply_id)
    if reply.status != ReplyStatus.PENDING:
        return
    desk = attempt.desk
    if reply.automatic and desk.drop_if_answered(reply_id):
        return
    platform = desk.platform(conversation.source_id)
    outgoing = OutgoingReply(reply.reply_key, conversation.external_id, reply.in_reply_to,
                             signed(reply.text, reply.signature), reply.created_at,
                             maybe_sent=attempt.job is not None and attempt.job.suspect, recorded_ids=recorded,
                             agent_name=reply.agent_name, private=reply.private,
                             agent_slack_id=None if reply.automatic else reply.author_slack_id)
    try:
        sent = platform.send_reply(outgoing)
    except DeliveryError as error:
        desk.metrics.platform_errors.labels(conversation.source_id, "reply").inc()
        if error.permanent:
            desk.reply_failed(reply_id, str(error))
            return
        raise Retry(str(error), error.retry_after) from None
    desk.reply_delivered(reply_id, sent.external_id)
