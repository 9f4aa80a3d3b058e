"""The line in a new conversation's parent naming the customer's earlier conversations with the brand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import slack_limits as limits
from bot.slack_ui.text import escape, link
from storage.query_results import CustomerHistory

BLOCK_ID = "customer_history"
TAGS_SHOWN = 2


def history_block(history: CustomerHistory, opened_at: datetime) -> dict[str, Any]:
    """``3 earlier conversations, last 12 days ago: ACME-88 refund, resolved · also ACME-80, ACME-75``,
    each reference a link to its thread where the permalink is known. Ages are counted from when
    this conversation opened, so the line reads the same whenever the parent is rendered again."""
    # Links go first when the line would be too long: the references alone always fit.
    for linked in (True, False):
        text = _line(history, opened_at, linked)
        if limits.text_units(text) <= limits.SECTION_TEXT:
            break
    return {"type": "context", "block_id": BLOCK_ID, "elements": [{"type": "mrkdwn", "text": text}]}


def _line(history: CustomerHistory, opened_at: datetime, linked: bool) -> str:
    def ref(permalink: str | None, label: str) -> str:
        return link(permalink, label) if linked else escape(label)

    last, *others = history.latest
    plural = "s" if history.count > 1 else ""
    when = f"last {_ago(opened_at, last.created_at)}" if history.count > 1 else _ago(opened_at, last.created_at)
    about = " ".join(escape(tag) for tag in last.tags[:TAGS_SHOWN])
    text = (f":card_index: {history.count} earlier conversation{plural}, {when}: "
            f"{ref(last.permalink, last.ref)}{' ' + about if about else ''}, {escape(last.status)}")
    if others:
        text += "  ·  also " + ", ".join(ref(other.permalink, other.ref) for other in others)
    return text


def _ago(now: datetime, then: datetime) -> str:
    minutes = max(0, int((now - then).total_seconds() // 60))
    for size, unit in ((24 * 60, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size:
            count = minutes // size
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just before"
