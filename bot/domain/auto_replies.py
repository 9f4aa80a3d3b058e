"""Automatic replies: an FAQ answer, or the off-hours / unmonitored notice, sent on the brand's behalf."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import AutoReply
from bot.domain.activity import record_activity
from bot.domain.kernel import Kernel
from bot.domain.effects import Effect
from bot.domain.outbox import enqueue
from bot.domain.outcomes import ActionRefused
from bot.domain.reply_text import check_reply, fill_template
from bot.domain.verbs import Happened
from storage import automatic_replies as automatic
from storage import repositories as repo
from storage.models import Conversation, Message, Reply, ReplyStatus


def auto_reply(kernel: Kernel, session: Session, conversation: Conversation, message: Message, created: bool,
               now: datetime) -> None:
    """At most once per author per window and never twice to one message; in dry-run only shown
    in the thread."""
    auto = kernel.config.auto_replies.get(conversation.source_id)
    if auto is None or auto.mode == "off":
        return
    answered = not created and not auto.after_human and automatic.has_person_answered(session, conversation.id)
    template = _template(kernel, auto, conversation, message.text, created, now, faq=not answered)
    if template is None or not _may_reply(session, conversation, auto, now):
        return
    try:
        text = check_reply(kernel, conversation, fill_template(
            kernel, conversation, template, "", kernel.config.brands[conversation.brand_id].name))
    except ActionRefused:
        return  # the platform cannot take a reply now (a closed DM window, ...): a teammate will answer
    if auto.mode == "dry_run":
        record_activity(session, conversation, None, Happened.AUTO_REPLY_PREVIEW, now, update_parent=False,
                        template=template, text=text[:3000])
        return
    reply = Reply(conversation_id=conversation.id, reply_key=uuid.uuid4().hex, request_key=f"auto:{message.id}",
                  author_slack_id="", text=text, in_reply_to=message.external_id, created_at=now,
                  automatic=True, template=template, brand_id=conversation.brand_id)
    session.add(reply)
    session.flush()
    enqueue(session, Effect.SEND_REPLY, conversation.id, now, reply_id=reply.id)


def step_back(session: Session, conversation: Conversation, person: str, now: datetime) -> None:
    """A person answers: the conversation's automatic replies still waiting are dropped in the
    same transaction, and noted in the thread. One a worker is sending at this moment (its job's
    lease is held) is left to finish: it reaches the customer before the person's reply, which
    waits behind it in the outbox; should that attempt fail, the worker drops it rather than
    trying again (drop_if_answered)."""
    waiting = {reply.id: reply for reply in automatic.waiting_automatic_replies(session, conversation.id)}
    if not waiting:
        return
    idle = [job for job in automatic.idle_jobs(session, conversation.id, Effect.SEND_REPLY.value, now)
            if job.payload.get("reply_id") in waiting]
    automatic.cancel_jobs(session, [job.id for job in idle], now, "dropped: a person answered first")
    for job in idle:
        _drop(session, conversation, waiting[job.payload["reply_id"]], person, now)


def drop_if_answered(session: Session, reply_id: int, now: datetime) -> bool:
    """Whether an automatic reply about to be sent was dropped because a person answered since."""
    reply = session.get_one(Reply, reply_id, with_for_update=True)
    if not reply.automatic or reply.status != ReplyStatus.PENDING:
        return False
    person = automatic.person_answered(session, reply.conversation_id, after_reply_id=reply.id)
    if person is None:
        return False
    _drop(session, session.get_one(Conversation, reply.conversation_id), reply, person.author_slack_id, now)
    return True


def _drop(session: Session, conversation: Conversation, reply: Reply, person: str, now: datetime) -> None:
    reply.status, reply.error = ReplyStatus.CANCELLED, "a person answered first"
    record_activity(session, conversation, None, Happened.AUTO_REPLY_DROPPED, now, update_parent=False,
                    reply_id=reply.id, template=reply.template, person=person)


def _template(kernel: Kernel, auto: AutoReply, conversation: Conversation, text: str, created: bool,
              now: datetime, faq: bool = True) -> str | None:
    folded = text.casefold()
    for rule in auto.faq if faq else ():
        if any(word.casefold() in folded for word in rule.keywords) or \
                (rule.regex is not None and re.search(rule.regex, text)):
            return rule.template
    if auto.off_hours and not kernel.calendar(conversation.brand_id).is_open(now):
        return auto.off_hours
    if auto.unmonitored and created:
        return auto.unmonitored
    return None


def _may_reply(session: Session, conversation: Conversation, auto: AutoReply, now: datetime) -> bool:
    if auto.mode == "dry_run":
        return True
    return not repo.automatic_reply_since(session, conversation.source_id, conversation.author_external_id,
                                         now - auto.once_per_author)
