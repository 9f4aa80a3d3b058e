"""Reading what the bot showed in the Slack stand-in, and clicking through it as a teammate."""

from __future__ import annotations

from typing import Any

from tests.support.config import ALICE


def all_text(blocks: list[dict[str, Any]] | None) -> str:
    """Every piece of text in a list of blocks, in order, joined by newlines."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
                parts.append(node["text"])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks or [])
    return "\n".join(parts)


def shown(message: Any) -> str:
    """What a person sees of a message: its blocks, or its text when it has none."""
    return all_text(message.blocks) if message.blocks else message.text


def button_labels(message: Any) -> list[str]:
    return [
        element["text"]["text"]
        for block in message.blocks or []
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    ]


def open_reply_modal(bot: Any, parent: Any = None, user: str = ALICE) -> dict[str, Any]:
    """Click Reply under the conversation and return the modal that opens."""
    before = (bot.api.view_for_user(user) or {}).get("id")
    assert bot.slack.click(user, parent or bot.parent(), "reply").status_code == 200
    return bot.api.wait_for(lambda: (view := bot.api.view_for_user(user)) and view["id"] != before and view)


def reply_in_slack(bot: Any, text: str, parent: Any = None, user: str = ALICE) -> Any:
    """Click Reply, type ``text`` and press Send; returns the answer to the submission."""
    modal = open_reply_modal(bot, parent, user)
    return bot.slack.submit(user, modal, {"text": text})


def open_home(bot: Any, user: str) -> dict[str, Any]:
    """Open the App Home tab as ``user`` and return the view the bot published."""
    event = {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home",
             "event_ts": "1763883000.000100"}
    assert bot.slack.event(event).status_code == 200
    return bot.api.wait_for(lambda: bot.api.home_view(user))


def section(view: dict[str, Any], block_id: str) -> str:
    return next(block for block in view["blocks"] if block.get("block_id") == block_id)["text"]["text"]


def social(bot: Any, text: str, user: str = ALICE) -> str:
    """Types `/social <text>` in the brand channel and returns the ephemeral answer."""
    response = bot.slack.command(user, "/social", text, "C0ACME01")
    assert response.status_code == 200
    body = response.json()
    assert body["response_type"] == "ephemeral"
    return body["text"]
