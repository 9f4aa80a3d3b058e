"""The Reply modal for a conversation, the same wherever it is opened or rebuilt."""

from __future__ import annotations

from typing import Any

from bot.domain import Desk
from bot.platforms import PlatformClient, input_limit
from bot.slack_ui.reply_modal import reply_modal
from storage.models import Conversation


def reply_modal_for(desk: Desk, conversation: Conversation, platform: PlatformClient, **options: Any) -> dict[str, Any]:
    """The Reply modal, its box as long as the platform takes (counted the platform's way: a Bluesky
    reply of 300 graphemes may be many more characters), with the last customer message and the
    canned replies of the conversation's brand."""
    return reply_modal(conversation, desk.last_customer_message(conversation.id), input_limit(platform),
                       desk.templates_for(conversation), **options)
