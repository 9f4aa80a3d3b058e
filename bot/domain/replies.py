"""Replies to the customer: queued, held for approval, approved or rejected, sent again."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.activity import audit, record_activity
from bot.domain.auto_replies import step_back
from bot.domain.cutoff import Cutoff
from bot.domain.kernel import Kernel
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.domain.outcomes import (
    ActionRefused, ActionResult, Person, ReplyCrossed, ReplyRepeated, Said, done, unchanged,
)
from bot.domain.reply_text import check_reply, is_private
from bot.domain.signature import Agent, render_signature
from bot.domain.verbs import Happened, Verb
from storage import repositories as repo
from storage.models import Conversation, Reply, ReplyStatus

REPEAT_WINDOW = timedelta(minutes=1)
"""The same reply text again within this long is asked about before it is sent."""


class Replies:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    def reply(self, conversation_id: int, actor: str, text: str, request_key: str | None = None,
              seen_reply_id: int | None = None, cutoff: Cutoff | None = None,
              repeat_of: int | None = None, agent: Agent | None = None,
              private: bool | None = None) -> ActionResult:
        """Queue a reply to the customer. It counts as replied once the platform has taken it.
        ``seen_reply_id`` is the latest reply when the teammate started writing: a reply someone else
        sent since is shown to them first, so the customer does not get two answers. The same text
        sent within REPEAT_WINDOW is asked about first (ReplyRepeated) unless ``repeat_of`` names
        that earlier reply. With a ``cutoff``, nothing is stored once its waiter has given up. ``agent``:
        the teammate's names, for the brand's signature and the webhook payload. ``private``: answer
        privately (True) or publicly (False) where the platform allows both; None: the brand's default."""
        with self.kernel.changing(conversation_id, actor, Verb.REPLY) as (session, conversation, now):
            if request_key and repo.reply_by_request_key(session, request_key):
                return unchanged(conversation, "This reply was already sent.")
            agent = agent or Agent(actor)
            brand = self.kernel.config.brands[conversation.brand_id]
            signature = render_signature(brand.replying.signature, agent, brand.name, conversation.platform)
            text = check_reply(self.kernel, conversation, text, signature)
            private = is_private(self.kernel, conversation, private)
            newer = repo.latest_reply(session, conversation.id) if seen_reply_id is not None else None
            if newer is not None and seen_reply_id is not None and newer.id > seen_reply_id \
                    and newer.author_slack_id != actor:
                crossed = Said(Person(newer.author_slack_id), f" replied to {conversation.ref} while you were ",
                               "writing. Read the thread first; to send yours as well, press Send again.")
                raise ReplyCrossed(crossed, newer.id)
            earlier = repo.recent_reply_with_text(session, conversation.id, text, now - REPEAT_WINDOW)
            if earlier is not None and earlier.id != repeat_of:
                who = "You" if earlier.author_slack_id == actor else Person(earlier.author_slack_id)
                ago = max(1, int((now - earlier.created_at).total_seconds()))
                raise ReplyRepeated(Said(who, f" sent this same reply to {conversation.ref} {ago} s ago."), earlier.id)
            last = repo.last_customer_message(session, conversation.id)
            reply = Reply(
                conversation_id=conversation.id,
                brand_id=conversation.brand_id,
                reply_key=uuid.uuid4().hex,
                request_key=request_key,
                author_slack_id=actor,
                text=text,
                in_reply_to=last.external_id if last else None,
                created_at=now,
                agent_name=agent.name or None,
                signature=signature,
                private=private,
            )
            session.add(reply)
            session.flush()
            if self.kernel.access.needs_approval(actor, conversation.brand_id, conversation.priority):
                reply.status = ReplyStatus.DRAFT
                draft = record_activity(session, conversation, actor, Happened.DRAFTED, now, update_parent=False,
                                        reply_id=reply.id)
                reply.draft_activity_id = draft.id
                if cutoff is not None:
                    cutoff.commit_allowed()
                return done(conversation, f"Your reply to {conversation.ref} waits for approval.")
            audit(session, self.kernel.clock.now(), actor, Verb.REPLY, "queued", conversation, reply_id=reply.id)
            step_back(session, conversation, actor, now)
            enqueue(session, Effect.SEND_REPLY, conversation.id, now, reply_id=reply.id)
            if cutoff is not None:
                cutoff.commit_allowed()
            return done(conversation, f"Sending your reply to {conversation.ref}…")

    def approve(self, reply_id: int, actor: str, edited_text: str | None = None) -> ActionResult:
        """An approver lets a draft reply go out, as written or edited; who approved is recorded."""
        with self.kernel.changing(self._conversation_of(reply_id), actor, Verb.APPROVE) as (session, conversation, now):
            reply = session.get_one(Reply, reply_id, with_for_update=True)
            if reply.status != ReplyStatus.DRAFT:
                return ActionResult(conversation, False, draft_outcome(reply, conversation.ref))
            if reply.author_slack_id == actor:
                raise ActionRefused("You cannot approve your own reply; ask another approver.")
            text = check_reply(self.kernel, conversation, edited_text if edited_text is not None else reply.text,
                               reply.signature)
            edited = text != reply.text
            reply.text, reply.status, reply.approved_by, reply.approved_at = text, ReplyStatus.PENDING, actor, now
            record_activity(session, conversation, actor, Happened.APPROVED, now, update_parent=False,
                            reply_id=reply.id, edited=edited)
            step_back(session, conversation, reply.author_slack_id, now)
            enqueue(session, Effect.SEND_REPLY, conversation.id, now, reply_id=reply.id)
            _refresh_draft_note(session, conversation, reply, now)
            return done(conversation, f"Approved: the reply to {conversation.ref} is on its way.")

    def reject(self, reply_id: int, actor: str, reason: str = "") -> ActionResult:
        with self.kernel.changing(self._conversation_of(reply_id), actor, Verb.REJECT) as (session, conversation, now):
            reply = session.get_one(Reply, reply_id, with_for_update=True)
            if reply.status != ReplyStatus.DRAFT:
                return ActionResult(conversation, False, draft_outcome(reply, conversation.ref))
            reply.status, reply.error = ReplyStatus.REJECTED, reason.strip()[:1000] or None
            record_activity(session, conversation, actor, Happened.REJECTED, now, update_parent=False,
                            reply_id=reply.id, reason=reason.strip()[:1000])
            _refresh_draft_note(session, conversation, reply, now)
            return done(conversation, f"Rejected the draft reply to {conversation.ref}.")

    def retry_reply(self, reply_id: int, actor: str) -> ActionResult:
        """Send a reply that was not delivered once more, with the same idempotency key."""
        with self.kernel.changing(self._conversation_of(reply_id), actor, Verb.RETRY) as (session, conversation, now):
            reply = session.get_one(Reply, reply_id, with_for_update=True)
            if reply.status == ReplyStatus.SENT:
                return unchanged(conversation, f"That reply to {conversation.ref} was delivered already.")
            if reply.status == ReplyStatus.PENDING:
                return unchanged(conversation, f"That reply to {conversation.ref} is on its way already.")
            if reply.status == ReplyStatus.CANCELLED:
                return unchanged(conversation, f"That automatic reply to {conversation.ref} was dropped: "
                                               "a person answered first.")
            if reply.status in (ReplyStatus.DRAFT, ReplyStatus.REJECTED):
                return ActionResult(conversation, False, draft_outcome(reply, conversation.ref))
            check_reply(self.kernel, conversation, reply.text, reply.signature)
            reply.status, reply.error = ReplyStatus.PENDING, None
            audit(session, self.kernel.clock.now(), actor, Verb.RETRY, "queued", conversation, reply_id=reply.id)
            enqueue(session, Effect.SEND_REPLY, conversation.id, now, reply_id=reply.id)
            return done(conversation, f"Sending the reply to {conversation.ref} again…")

    def get_reply(self, reply_id: int) -> Reply:
        with self.kernel.db.transaction() as session:
            reply = session.get(Reply, reply_id)
        if reply is None:
            raise ActionRefused("This reply no longer exists.")
        return reply

    def latest_draft(self, conversation_id: int) -> Reply:
        with self.kernel.db.transaction() as session:
            draft = repo.latest_draft(session, conversation_id)
        if draft is None:
            raise ActionRefused("There is no draft reply waiting for approval in this conversation.")
        return draft

    def latest_reply_id(self, conversation_id: int) -> int:
        with self.kernel.db.reading() as session:
            latest = repo.latest_reply(session, conversation_id)
            return latest.id if latest else 0

    def _conversation_of(self, reply_id: int) -> int:
        return self.get_reply(reply_id).conversation_id


def _refresh_draft_note(session: Session, conversation: Conversation, reply: Reply, now: datetime) -> None:
    if reply.draft_activity_id is not None:
        enqueue(session, Effect.UPDATE_NOTE, conversation.id, now, activity_id=reply.draft_activity_id)


def draft_outcome(reply: Reply, ref: str) -> Said:
    """What became of a draft, for someone pressing its buttons again."""
    match reply.status:
        case ReplyStatus.DRAFT:
            return Said(f"The reply to {ref} still waits for approval.")
        case ReplyStatus.REJECTED:
            return Said(f"That draft reply to {ref} was rejected.")
        case _:
            return Said(f"That reply to {ref} was approved by ", Person(reply.approved_by), " already.") \
                if reply.approved_by else Said(f"That reply to {ref} went out already.")
