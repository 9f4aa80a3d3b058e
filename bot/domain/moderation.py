"""Moderation: hide, unhide, delete, block the author, or mark as spam, done on the platform."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.activity import audit, record_activity
from bot.domain.kernel import Kernel
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.domain.outcomes import ActionRefused, ActionResult, done
from bot.domain.verbs import Happened, Verb
from bot.moderation_labels import MODERATION_LABELS
from bot.platforms import moderation
from storage import repositories as repo
from storage.models import Conversation, Status


class Moderation:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    def moderation_options(self, conversation: Conversation) -> list[str]:
        return moderation.supported(self.kernel.platform(conversation.source_id), conversation.kind)

    def moderate(self, conversation_id: int, actor: str, action: str) -> ActionResult:
        """Done on the platform through the outbox, recorded in the thread when the platform has done it."""
        with self.kernel.changing(conversation_id, actor, Verb.MODERATE) as (session, conversation, now):
            options = self.moderation_options(conversation)
            if action not in options:
                possible = ", ".join(options)
                raise ActionRefused(f"{conversation.platform} does not let socialdesk do that to {conversation.ref} "
                                    f"(possible: {possible}).")
            first = repo.first_message_after(session, conversation.id, None)
            assert first is not None
            if action == "spam":
                self._file_as_spam(session, conversation, actor, now)
                if "hide" in options:
                    enqueue(session, Effect.MODERATE, conversation.id, now, action="hide", target=first.external_id,
                            actor=actor)
                return done(conversation, f"{conversation.ref} marked as spam.")
            enqueue(session, Effect.MODERATE, conversation.id, now, action=action, target=first.external_id,
                    actor=actor)
            audit(session, self.kernel.clock.now(), actor, Verb.MODERATE, "queued", conversation, what=action)
            return done(conversation, f"{MODERATION_LABELS[action]} on {conversation.platform}…")

    def _file_as_spam(self, session: Session, conversation: Conversation, actor: str, now: datetime) -> None:
        conversation.status = Status.QUIET
        conversation.quiet_reason = "marked as spam"
        conversation.response_due_at = None
        self.kernel.deadlines.replan(conversation)
        record_activity(session, conversation, actor, Happened.MARKED_SPAM, now)
