"""Automatic replies: an FAQ answer, or the off-hours / unmonitored notice, sent on the brand's behalf."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import AutoReply
from bot.domain.activity import record_activity
from bot.domain.kernel import Kernel
from bot.domain.outbox import Effect, enqueue
from bot.domain.outcomes import ActionRefused
from bot.domain.reply_text import check_reply, fill_template
from bot.domain.verbs import Happened
from storage import repositories as repo
from storage.models import Conversation, Message, Reply


def auto_reply(kernel: Kernel, session: Session, conversation: Conversation, message: Message, created: bool,
               now: datetime) -> None:
    """At most once per author per window and never twice to one message; in dry-run only shown
    in the thread."""
    auto = kernel.config.auto_replies.get(conversation.source_id)
    if auto is None or auto.mode == "off":
        return
    template = _template(kernel, auto, conversation, message.text, created, now)
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


def _template(kernel: Kernel, auto: AutoReply, conversation: Conversation, text: str, created: bool,
              now: datetime) -> str | None:
    folded = text.casefold()
    for rule in auto.faq:
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
