"""Draft replies waiting for approval: the buttons under a draft, the Approve modal, the list of drafts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack_ui.kit import Blocks, button, input_value, modal, modal_title, view_metadata
from bot.slack_ui.text import clip, display_name, escape, escaped
from storage.models import Conversation, Reply, ReplyStatus

# The buttons under a draft; each carries the reply's id as its value.
APPROVE_REPLY = "approve_reply"
EDIT_DRAFT = "edit_draft"
REJECT_REPLY = "reject_reply"

APPROVE_EDIT_MODAL = "approve_edit_modal"
TEXT_BLOCK = "reply"
"""The edited text's input; a refusal is shown under it."""
TEXT_ACTION = "text"


def draft_buttons(reply_value: str) -> list[dict[str, Any]]:
    return [button("Approve", APPROVE_REPLY, reply_value, style="primary"), button("Edit", EDIT_DRAFT, reply_value),
            button("Reject", REJECT_REPLY, reply_value, style="danger")]


def draft_outcome_line(reply: Reply) -> str:
    if reply.status == ReplyStatus.REJECTED:
        reason = f": {escaped(reply.error or '', 300)}" if reply.error else ""
        return f":no_entry_sign: Rejected{reason}"
    return f":white_check_mark: Approved by <@{reply.approved_by}>" if reply.approved_by else "Sent"


def approve_edit_modal(conversation: Conversation, reply: Reply, max_length: int) -> dict[str, Any]:
    """An approver adjusts a draft reply; sending approves the text as it is in the box."""
    limit = min(max_length, 3000)
    about = (f"Draft by <@{reply.author_slack_id}> to {display_name(conversation.author_name)} on "
             f"{escape(conversation.platform)}. *Approve and send* sends the text below.")
    blocks: Blocks = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": about}]},
        {"type": "input", "block_id": TEXT_BLOCK, "label": {"type": "plain_text", "text": "Reply"},
         "element": {"type": "plain_text_input", "action_id": TEXT_ACTION, "multiline": True,
                     "max_length": limit, "initial_value": clip(reply.text, limit)[0]}},
    ]
    return modal(APPROVE_EDIT_MODAL, modal_title("Approve", conversation.ref), "Approve and send", blocks,
                 {"reply_id": reply.id})


def edited_text(view: dict[str, Any]) -> str:
    return input_value(view, TEXT_BLOCK, TEXT_ACTION) or ""


def edited_draft(view: dict[str, Any]) -> int | None:
    """The draft the submitted Approve modal is about; None when the form names none."""
    reply_id = view_metadata(view).get("reply_id")
    return reply_id if isinstance(reply_id, int) else None


def drafts_list(drafts: Sequence[tuple[Conversation, Reply]], command: str) -> str:
    if not drafts:
        return "No draft replies are waiting for approval."
    lines = [f"*Draft replies waiting for approval* — `{command} approve <REF>` or `{command} reject <REF> <reason>`:"]
    for conversation, reply in drafts:
        text = escaped(" ".join(reply.text.split()), 90)
        lines.append(f"• *{conversation.ref}* by <@{reply.author_slack_id}>: _{text}_")
    return "\n".join(lines)
