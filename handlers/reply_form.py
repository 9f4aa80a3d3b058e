"""The Reply modal for a conversation, the same wherever it is opened or rebuilt."""

from __future__ import annotations

from typing import Any

from bot.domain.desk import Desk
from bot.domain.reply_text import reply_target
from bot.platforms import PlatformClient, input_limit, reply_limit
from bot.slack_ui.reply_modal import limit_words, reply_modal
from storage.models import Conversation


def reply_modal_for(desk: Desk, conversation: Conversation, platform: PlatformClient, **options: Any) -> dict[str, Any]:
    """The Reply modal, its box as long as the platform takes (counted the platform's way: a Bluesky
    reply of 300 graphemes may be many more characters), the real limit stated with what counts
    towards it, the last customer message and the canned replies of the conversation's brand."""
    target = reply_target(conversation)
    limit = reply_limit(platform, target)
    line = limit_words(conversation.platform, limit.maximum, limit.unit, limit.added, limit.rules)
    return reply_modal(conversation, desk.last_customer_message(conversation.id), input_limit(platform, target),
                       desk.templates_for(conversation), limit_line=line,
                       private=desk.private_default(conversation), **options)
