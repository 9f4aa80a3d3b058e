"""Block Kit pieces every surface builds with, and the readers of what Slack sends back from them."""

from __future__ import annotations

import json
from typing import Any

from bot.slack_ui.text import clip
Blocks = list[dict[str, Any]]
MODAL_TITLE_LIMIT = 24


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def modal_title(verb: str, ref: str) -> str:
    return clip(f"{verb} {ref}", MODAL_TITLE_LIMIT)[0]


def modal(callback_id: str, title: str, submit: str | None, blocks: Blocks, metadata: dict[str, Any]
          ) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": blocks,
        "private_metadata": json.dumps(metadata, ensure_ascii=False),
    }
    if submit:
        view["submit"] = {"type": "plain_text", "text": submit}
    return view


# -- reading what Slack sends back ------------------------------------------------------------


def view_metadata(view: dict[str, Any]) -> dict[str, Any]:
    """What a modal carries in private_metadata; empty when it is not a JSON object."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def input_value(view: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """The value of one input of a submitted modal, whatever element type holds it."""
    state = view.get("state", {}).get("values", {}).get(block_id, {}).get(action_id, {})
    if "selected_user" in state:
        return state["selected_user"]
    if "selected_option" in state:
        option = state["selected_option"]
        return option["value"] if option else None
    return state.get("value")


def form_conversation(view: dict[str, Any]) -> int | None:
    """The conversation a submitted modal is about; None when the form names none."""
    try:
        return int(view_metadata(view)["conversation_id"])
    except (ValueError, KeyError, TypeError):
        return None
