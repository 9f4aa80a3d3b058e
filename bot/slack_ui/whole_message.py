"""The whole of a customer message that had to be cut elsewhere: the button, and the paged modal."""

from __future__ import annotations

import re
from typing import Any

from bot.fitting import pieces
from bot.slack_ui.conversation_lines import author_line
from bot.slack_ui.kit import Blocks, button, modal, modal_title
from bot.slack_ui.text import CONTROL, link, safe_url
from storage.models import Conversation, Message

SHOW_MESSAGE = "show_message"
"""The button's action_id; its value is the message's id."""
PAGE_PREVIOUS = "whole_message_page_previous"
PAGE_NEXT = "whole_message_page_next"
PAGE_TURN = re.compile(rf"^({PAGE_NEXT}|{PAGE_PREVIOUS})$")
WHOLE_MESSAGE_MODAL = "whole_message"
WHOLE_MESSAGE_PIECE = 2900
WHOLE_MESSAGE_PAGE = 30
"""Sections of customer text per page of the whole-message modal."""


def whole_message_button(message: Message) -> dict[str, Any]:
    """Under customer text that had to be cut: the whole of it, in a modal."""
    return {"type": "actions", "block_id": "whole_message",
            "elements": [button("Show the whole message", SHOW_MESSAGE, str(message.id))]}


def whole_message_modal(conversation: Conversation, message: Message, page: int = 0) -> dict[str, Any]:
    """Customer text that was cut elsewhere, all of it, as plain text (nothing in it is formatting),
    in pages that keep within a modal's limits."""
    parts = list(pieces(CONTROL.sub("\ufffd", message.text.strip()) or "(no text)", WHOLE_MESSAGE_PIECE))
    pages = max(1, -(-len(parts) // WHOLE_MESSAGE_PAGE))
    page = max(0, min(page, pages - 1))
    shown = parts[page * WHOLE_MESSAGE_PAGE:(page + 1) * WHOLE_MESSAGE_PAGE]
    about = f"*{conversation.ref}*  ·  {author_line(message.author_name, message.author_handle)}"
    if safe_url(message.url):
        about += f"  ·  {link(message.url, 'View original')}"
    blocks: Blocks = [{"type": "context", "block_id": "about", "elements": [{"type": "mrkdwn", "text": about}]}]
    blocks += [{"type": "section", "block_id": f"page_text_{index}",
                "text": {"type": "plain_text", "text": part, "emoji": False}} for index, part in enumerate(shown)]
    if pages > 1:
        turn = []
        if page > 0:
            turn.append(button("Previous page", PAGE_PREVIOUS, page_value(message.id, page - 1)))
        if page < pages - 1:
            turn.append(button("Next page", PAGE_NEXT, page_value(message.id, page + 1)))
        blocks += [{"type": "context", "block_id": "page_number",
                    "elements": [{"type": "mrkdwn", "text": f"Page {page + 1} of {pages}"}]},
                   {"type": "actions", "block_id": "pages", "elements": turn}]
    view = modal(WHOLE_MESSAGE_MODAL, modal_title("Message", conversation.ref), None, blocks,
                 {"message_id": message.id, "page": page})
    view["close"] = {"type": "plain_text", "text": "Close"}
    return view


def page_value(message_id: int, page: int) -> str:
    """What a page-turning button carries: ``<message id>:<page>``."""
    return f"{message_id}:{page}"


def page_choice(value: str) -> tuple[str, str]:
    """The message id and page a page-turning button carries, as sent (not checked to be numbers)."""
    message_id, _, page = value.partition(":")
    return message_id, page
