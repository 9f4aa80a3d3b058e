"""What the delivery worker reports back: a reply delivered or failed, a moderation done or refused."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.activity import record_activity
from bot.domain.auto_replies import drop_if_answered
from bot.domain.kernel import Kernel
from bot.domain.verbs import Happened
from storage import repositories as repo
from storage.models import Conversation, Reply, ReplyStatus, Status


class WorkerOutcomes:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    def reply_delivered(self, reply_id: int, external_id: str | None) -> None:
        self.kernel.retrying(lambda session: self._reply_delivered(session, reply_id, external_id))
        self.kernel.notify_effects()

    def reply_failed(self, reply_id: int, error: str) -> None:
        self.kernel.retrying(lambda session: self._reply_failed(session, reply_id, error))
        self.kernel.notify_effects()

    def drop_if_answered(self, reply_id: int) -> bool:
        """Whether an automatic reply about to be sent was dropped: a person answered since."""
        dropped = self.kernel.retrying(lambda session: drop_if_answered(session, reply_id, self.kernel.clock.now()))
        if dropped:
            self.kernel.notify_effects()
        return dropped

    def moderation_done(self, conversation_id: int, actor: str | None, action: str, error: str | None = None) -> None:
        """The platform did it (or refused for good): say so in the thread."""
        def record(session: Session) -> None:
            conversation = session.get_one(Conversation, conversation_id)
            outcome = Happened.MODERATION_FAILED if error else Happened.MODERATED
            record_activity(session, conversation, actor, outcome, self.kernel.clock.now(), update_parent=False,
                            what=action, **({"error": error[:500]} if error else {}))
        self.kernel.retrying(record)
        self.kernel.notify_effects()

    def _reply_delivered(self, session: Session, reply_id: int, external_id: str | None) -> None:
        reply = session.get_one(Reply, reply_id)
        # Locked: a customer message stored at the same moment is either seen below or waits.
        conversation = session.get_one(Conversation, reply.conversation_id, with_for_update=True)
        now = self.kernel.clock.now()
        reply.status = ReplyStatus.SENT
        reply.external_id = external_id
        reply.sent_at = now
        if reply.automatic:
            # The customer still waits for a person: deadlines and first-response figures stand.
            record_activity(session, conversation, None, Happened.AUTO_REPLIED, now, update_parent=False,
                            reply_id=reply.id, template=reply.template)
            return
        deadlines = self.kernel.deadlines
        # The customer may have written again while the reply was on its way: that message
        # is still unanswered and keeps a (next-response) deadline.
        newer = repo.first_message_after(session, conversation.id, reply.in_reply_to)
        if newer is not None:
            conversation.response_due_at = deadlines.due(conversation.brand_id, conversation.kind,
                                                         conversation.priority, newer.sent_at, first=False)
        else:
            conversation.response_due_at = None
            if conversation.status not in (Status.RESOLVED, Status.WAITING):
                conversation.status = Status.REPLIED
        if conversation.first_response_at is None:
            conversation.first_response_at = now
            conversation.first_responder_slack_id = reply.author_slack_id
            conversation.first_response_seconds = (now - conversation.created_at).total_seconds()
            conversation.first_response_business_seconds = deadlines.calendar(conversation.brand_id).between(
                conversation.created_at, now).total_seconds()
        deadlines.replan(conversation)
        conversation.updated_at = now
        record_activity(session, conversation, reply.author_slack_id, Happened.REPLIED, now, reply_id=reply.id)

    def _reply_failed(self, session: Session, reply_id: int, error: str) -> None:
        reply = session.get_one(Reply, reply_id)
        conversation = session.get_one(Conversation, reply.conversation_id)
        reply.status = ReplyStatus.FAILED
        reply.error = error
        record_activity(session, conversation, reply.author_slack_id, Happened.REPLY_FAILED, self.kernel.clock.now(),
                        reply_id=reply.id, error=error, update_parent=False)
