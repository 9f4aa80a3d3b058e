"""Small readers of what the bot showed in the Slack stand-in."""

from __future__ import annotations

from typing import Any


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
