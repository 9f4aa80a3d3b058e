"""Snooze from the thread: the "More" menu under the parent (Snooze… / Unsnooze) and the Snooze
modal (a quick choice, or a time typed in the words `/social snooze` takes)."""

from __future__ import annotations

from typing import Any

from bot.slack_ui.kit import Blocks, input_value, modal, modal_title
from storage.models import Conversation
from storage.query_results import ConversationHead

SNOOZE_MENU = "snooze_menu"
SNOOZE_MODAL = "snooze_modal"
WHEN_BLOCK = "when"
WHEN_ACTION = "choice"
CUSTOM_BLOCK = "custom"
"""The typed time; a refusal (a time the bot cannot read) is shown under it."""
CUSTOM_ACTION = "text"
CUSTOM = "custom"
CHOICES = (("1 hour", "1h"), ("2 hours", "2h"), ("Tomorrow 9:00", "tomorrow 9:00"),
           ("Next Monday 9:00", "mon 9:00"), ("Custom (type it below)", CUSTOM))


def snooze_menu(conversation: Conversation) -> dict[str, Any]:
    """The overflow menu: ``snooze:<id>`` opens the modal, ``unsnooze:<id>`` ends a snooze."""
    options = [_option("Snooze…", f"snooze:{conversation.id}")]
    if conversation.snoozed_until is not None:
        options.append(_option("Unsnooze", f"unsnooze:{conversation.id}"))
    return {"type": "overflow", "action_id": SNOOZE_MENU, "options": options}


def menu_choice(value: str) -> tuple[str, int | None]:
    """What a picked option asks (``snooze`` or ``unsnooze``) and of which conversation."""
    what, _, conversation = value.partition(":")
    return what, int(conversation) if conversation.isdigit() else None


def snooze_modal(conversation: Conversation | ConversationHead, zone_name: str) -> dict[str, Any]:
    blocks: Blocks = [
        {"type": "input", "block_id": WHEN_BLOCK, "label": {"type": "plain_text", "text": "Snooze until"},
         "element": {"type": "static_select", "action_id": WHEN_ACTION,
                     "placeholder": {"type": "plain_text", "text": "Pick a time"},
                     "options": [_option(label, value) for label, value in CHOICES]}},
        {"type": "input", "block_id": CUSTOM_BLOCK, "optional": True,
         "label": {"type": "plain_text", "text": "Custom time"},
         "hint": {"type": "plain_text", "text": f"3h, fri 14:00 or 2026-12-01 09:00 ({zone_name}). Hours count "
                                                "business hours where the brand's policy does."},
         "element": {"type": "plain_text_input", "action_id": CUSTOM_ACTION, "max_length": 40}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Until then it is out of the queues and gets "
                                          "no reminders; a new message from the customer wakes it at once."}]},
    ]
    return modal(SNOOZE_MODAL, modal_title("Snooze", conversation.ref), "Snooze", blocks,
                 {"conversation_id": conversation.id})


def picked_time(view: dict[str, Any]) -> str | None:
    """The time asked for: the typed one when there is one, else the picked choice (None: neither)."""
    typed = (input_value(view, CUSTOM_BLOCK, CUSTOM_ACTION) or "").strip()
    if typed:
        return typed
    choice = input_value(view, WHEN_BLOCK, WHEN_ACTION)
    return None if choice in (None, CUSTOM) else choice


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label}, "value": value}
