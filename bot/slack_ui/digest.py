"""The weekly digest as a Slack message."""

from __future__ import annotations

from typing import Any

from bot import slack_limits as limits
from bot.fitting import pieces
from bot.slack_ui.kit import Blocks
from bot.slack_ui.text import MESSAGE_BUDGET, SECTION_LIMIT, escape


DIGEST_CUT = ("_The digest is longer than one Slack message holds and was cut here; "
              "a shorter digest template shows all of it._")


def digest_message(brand_name: str, text: str) -> dict[str, Any]:
    """The digest as sections of at most 3,000 characters, split between lines, within what one
    message holds (a digest template that makes more is cut, and says so)."""
    sections = [part.rstrip() for part in pieces(text.strip() or " ", SECTION_LIMIT - 100)]
    blocks: Blocks = []
    room = MESSAGE_BUDGET - limits.text_units(DIGEST_CUT)
    for part in sections:
        units = limits.text_units(part)
        if units > room or len(blocks) == limits.MESSAGE_BLOCKS - 1:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": DIGEST_CUT}]})
            break
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": part or " "}})
        room -= units
    return {"text": f"Weekly digest — {escape(brand_name)}", "blocks": blocks}
