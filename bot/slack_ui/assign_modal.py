"""The Assign modal: who takes the conversation."""

from __future__ import annotations

from typing import Any

from bot.slack_ui.kit import Blocks, input_value, modal, modal_title, view_metadata
from storage.models import Conversation
from storage.query_results import ConversationHead

ASSIGN_MODAL = "assign_modal"
ASSIGNEE_BLOCK = "assignee"
"""The people picker; a refusal is shown under it."""
ASSIGNEE_ACTION = "user"


def assign_modal(conversation: Conversation | ConversationHead, actor: str) -> dict[str, Any]:
    blocks: Blocks = [
        {
            "type": "input",
            "block_id": ASSIGNEE_BLOCK,
            "label": {"type": "plain_text", "text": "Assign to"},
            "hint": {"type": "plain_text", "text": "You are picked already: press Assign to take it yourself."},
            "element": {"type": "users_select", "action_id": ASSIGNEE_ACTION, "initial_user": actor},
        }
    ]
    return modal(ASSIGN_MODAL, modal_title("Assign", conversation.ref), "Assign", blocks,
                 {"conversation_id": conversation.id, "assignee": conversation.assignee_slack_id})


def picked_assignee(view: dict[str, Any]) -> str | None:
    return input_value(view, ASSIGNEE_BLOCK, ASSIGNEE_ACTION)


def assignee_when_opened(view: dict[str, Any]) -> Any:
    """Who was assigned when the modal opened (None: nobody), or False when the form does not say."""
    return view_metadata(view).get("assignee", False)
