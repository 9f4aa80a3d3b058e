"""The queue: one line per open conversation, for `/social queue` and App Home."""

from __future__ import annotations

from collections.abc import Sequence

from bot.config import Config
from bot.slack_ui.conversation_lines import QueueLine, kind_label
from bot.slack_ui.text import display_name, escape, link, slack_date


QUEUE_TITLES = {
    "all": "Open conversations",
    "mine": "Assigned to you",
    "unassigned": "Unassigned",
    "overdue": "Overdue",
    "escalated": "Escalated",
}


def queue_list(view: str, brand_id: str | None, conversations: Sequence[QueueLine], config: Config) -> str:
    """`queue`: one line per conversation, the nearest deadline first."""
    title = QUEUE_TITLES[view] + (f" · {escape(config.brands[brand_id].name)}" if brand_id else "")
    if not conversations:
        return f"*{title}*: nothing waiting. :tada:"
    lines = [f"*{title}* ({len(conversations)}, nearest deadline first)"]
    lines += [f"• {queue_line(conversation, config)}" for conversation in conversations]
    return "\n".join(lines)


def queue_line(conversation: QueueLine, config: Config) -> str:
    assignee = f"<@{conversation.assignee_slack_id}>" if conversation.assignee_slack_id else "_unassigned_"
    due = (
        f"due {slack_date(conversation.response_due_at, '{date_short} {time}', config, conversation.brand_id)}"
        if conversation.response_due_at else "no deadline"
    )
    return (f"{link(conversation.slack_permalink, conversation.ref)}  {kind_label(conversation)}  ·  "
            f"{display_name(conversation.author_name)}  ·  {due}  ·  {assignee}")
