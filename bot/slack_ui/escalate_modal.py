"""The Escalate modal: to which tier, and why."""

from __future__ import annotations

from typing import Any

from bot.config import Config
from bot.slack_ui.kit import Blocks, input_value, modal, modal_title
from bot.slack_ui.text import clip
from storage.models import Conversation
from storage.query_results import ConversationHead

ESCALATE_MODAL = "escalate_modal"
TIER_BLOCK = "tier"
TIER_ACTION = "tier"
REASON_BLOCK = "reason"
"""The reason's input; a refusal is shown under it."""
REASON_ACTION = "text"


def escalate_modal(conversation: Conversation | ConversationHead, config: Config) -> dict[str, Any]:
    metadata = {"conversation_id": conversation.id}
    title = modal_title("Escalate", conversation.ref)
    if not config.escalation:
        text = ("No escalation tiers are configured. Add them under `escalation:` in app.yaml "
                "(for example `pr`, `legal`).")
        return modal(ESCALATE_MODAL, title, None, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
                     metadata)
    options = [
        {"text": {"type": "plain_text", "text": clip(tier.name, 75)[0]}, "value": tier_id}
        for tier_id, tier in list(config.escalation.items())[:100]
    ]
    blocks: Blocks = [
        {
            "type": "input",
            "block_id": TIER_BLOCK,
            "label": {"type": "plain_text", "text": "Escalate to"},
            "element": {"type": "static_select", "action_id": TIER_ACTION, "options": options,
                        "placeholder": {"type": "plain_text", "text": "Pick a team"}},
        },
        {
            "type": "input",
            "block_id": REASON_BLOCK,
            "label": {"type": "plain_text", "text": "Reason"},
            "element": {"type": "plain_text_input", "action_id": REASON_ACTION, "multiline": True, "max_length": 1500},
        },
    ]
    return modal(ESCALATE_MODAL, title, "Escalate", blocks, metadata)


def picked_tier(view: dict[str, Any]) -> str | None:
    return input_value(view, TIER_BLOCK, TIER_ACTION)


def typed_reason(view: dict[str, Any]) -> str:
    return input_value(view, REASON_BLOCK, REASON_ACTION) or ""
