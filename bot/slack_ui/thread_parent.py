"""The thread's parent message: what came in, where it stands, and the buttons under it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.config import Config
from bot.moderation_labels import MODERATION_LABELS
from bot.slack_ui.customer_history import history_block
from bot.slack_ui.conversation_lines import author_line, fallback, kind_label, stars, status_line, triage_line
from bot.slack_ui.attachments import attachment_blocks
from bot.slack_ui.kit import Blocks, button
from bot.slack_ui.snooze_modal import snooze_menu
from bot.slack_ui.text import QUOTE_LIMIT, escape, fitted_quote, link
from bot.slack_ui.whole_message import whole_message_button
from storage.query_results import CustomerHistory
from storage.models import Conversation, Message, Status

# The buttons and the menu under the parent; a button's value is the conversation's id.
ASSIGN = "assign"
REPLY = "reply"
ESCALATE = "escalate"
RESOLVE = "resolve"
REOPEN = "reopen"
NOT_URGENT = "not_urgent"
MODERATE = "moderate"


def parent_message(conversation: Conversation, first: Message, config: Config, now: datetime | None = None,
                   tags: Sequence[str] = (), moderation: Sequence[str] = (),
                   history: CustomerHistory | None = None) -> dict[str, Any]:
    """The thread's parent: what came in, from whom, how pressing, where it stands, and the actions."""
    heading = (
        f"*{conversation.ref}*  ·  {kind_label(conversation)}  ·  {link(conversation.url, 'View original')}\n"
        f"{author_line(conversation.author_name, conversation.author_handle)}{stars(first.rating)}"
    )
    text, was_cut = fitted_quote(first.text, QUOTE_LIMIT, first.url or conversation.url)
    blocks: Blocks = [
        {"type": "section", "block_id": "heading", "text": {"type": "mrkdwn", "text": heading}},
        {"type": "section", "block_id": "customer_text", "text": {"type": "mrkdwn", "text": text}},
        *([whole_message_button(first)] if was_cut else []),
        *attachment_blocks(first.attachments),
        {"type": "context", "block_id": "triage",
         "elements": [{"type": "mrkdwn", "text": triage_line(conversation, tags)}]},
        {"type": "context", "block_id": "state",
         "elements": [{"type": "mrkdwn", "text": status_line(conversation, config, now)}]},
        *([history_block(history, conversation.created_at)] if history else []),
        conversation_actions(conversation, moderation),
    ]
    return {"text": fallback(conversation, first.text), "blocks": blocks}


def moderation_menu(conversation: Conversation, actions: Sequence[str]) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": MODERATION_LABELS[action]},
                "value": moderation_value(action, conversation.id)}
               for action in actions if action in MODERATION_LABELS]
    return {
        "type": "overflow", "action_id": MODERATE, "options": options,
        "confirm": {"title": {"type": "plain_text", "text": "Moderate this message?"},
                    "text": {"type": "mrkdwn", "text": f"This acts on {escape(conversation.platform)} for everyone. "
                                                       "A deleted comment cannot be brought back."},
                    "confirm": {"type": "plain_text", "text": "Go ahead"},
                    "deny": {"type": "plain_text", "text": "Cancel"}},
    }


def moderation_value(action: str, conversation_id: int) -> str:
    """What a moderation menu option carries: ``hide:42``."""
    return f"{action}:{conversation_id}"


def moderation_choice(value: str) -> tuple[str, int | None]:
    """The action and the conversation of a picked moderation option; no conversation when it names none."""
    action, _, conversation = value.partition(":")
    return action, int(conversation) if conversation.isdigit() else None


def conversation_actions(conversation: Conversation, moderation: Sequence[str] = ()) -> dict[str, Any]:
    value = str(conversation.id)
    closing = (
        button("Reopen", REOPEN, value)
        if conversation.status == Status.RESOLVED
        else button("Resolve", RESOLVE, value)
    )
    return {
        "type": "actions",
        "block_id": "conversation_actions",
        "elements": [
            button("Assign", ASSIGN, value),
            button("Reply", REPLY, value, style="primary"),
            button("Escalate", ESCALATE, value),
            closing,
        ] + _not_urgent(conversation) + ([moderation_menu(conversation, moderation)] if moderation else [])
        + ([snooze_menu(conversation)] if conversation.status != Status.RESOLVED else []),
    }


def _not_urgent(conversation: Conversation) -> list[dict[str, Any]]:
    """Dismisses what triage saw, on a conversation a risk category made urgent or high."""
    if conversation.risk_category and conversation.priority in ("urgent", "high"):
        return [button("Not urgent", NOT_URGENT, str(conversation.id))]
    return []
