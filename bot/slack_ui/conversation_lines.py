"""Lines that describe a conversation: its kind, author, status, deadline and triage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.config import Config
from bot.durations import format_duration
from bot.slack_ui.text import FALLBACK_LIMIT, display_name, escape, escaped, slack_date
from storage.models import Conversation, Status


class QueueLine(Protocol):
    """What a line about a conversation shows of it: a stored conversation, or a queue entry."""

    @property
    def ref(self) -> str: ...
    @property
    def brand_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def platform(self) -> str: ...
    @property
    def author_name(self) -> str: ...
    @property
    def response_due_at(self) -> datetime | None: ...
    @property
    def assignee_slack_id(self) -> str | None: ...
    @property
    def slack_permalink(self) -> str | None: ...


KIND_LABELS = {"comment": "Comment", "dm": "Direct message", "mention": "Mention", "review": "Review"}
STATUS_LABELS = {
    Status.OPEN: ":large_blue_circle: Open",
    Status.REPLIED: ":speech_balloon: Replied",
    Status.WAITING: ":hourglass: Waiting on customer",
    Status.ESCALATED: ":rotating_light: Escalated",
    Status.RESOLVED: ":white_check_mark: Resolved",
    Status.QUIET: ":mute: Filtered",
}
PRIORITY_BADGES = {"urgent": ":rotating_light: ", "high": ":small_red_triangle: "}


def kind_label(conversation: QueueLine) -> str:
    return f"{KIND_LABELS.get(conversation.kind, conversation.kind.title())} on {escape(conversation.platform)}"


def author_line(name: str, handle: str | None) -> str:
    line = f"*{display_name(name)}*"
    if handle and handle != name:
        line += f" ({display_name(handle)})"
    return line


def stars(rating: int | None) -> str:
    return f"  {'★' * rating}{'☆' * (5 - rating)}" if rating else ""


def status_line(conversation: Conversation, config: Config, now: datetime | None = None) -> str:
    status = STATUS_LABELS.get(Status(conversation.status), conversation.status)
    if conversation.status == Status.ESCALATED and conversation.escalation_tier:
        tier = config.escalation.get(conversation.escalation_tier)
        status += f" to {escape(tier.name if tier else conversation.escalation_tier)}"
    assignee = f"<@{conversation.assignee_slack_id}>" if conversation.assignee_slack_id else "_unassigned_"
    parts = [f"*{status}*", f"Assignee: {assignee}"]
    if conversation.status == Status.RESOLVED and conversation.resolved_at:
        resolved = slack_date(conversation.resolved_at, "{date_short_pretty} {time}", config, conversation.brand_id)
        parts.append(f"Resolved {resolved}")
    elif conversation.paused_at is not None:
        parts.append("Clocks paused")
    elif conversation.response_due_at:
        parts.append(deadline_text(conversation, config, now))
    if conversation.snoozed_until is not None and conversation.status != Status.RESOLVED:
        until = slack_date(conversation.snoozed_until, "{date_short_pretty} {time}", config, conversation.brand_id)
        parts.append(f":zzz: Snoozed until {until}")
    return "  ·  ".join(parts)


def deadline_text(conversation: Conversation, config: Config, now: datetime | None) -> str:
    """The reply deadline as a date (always right) and, as of ``now``, how far off it is."""
    due_at = conversation.response_due_at
    assert due_at is not None
    due = slack_date(due_at, "{date_short_pretty} {time}", config, conversation.brand_id)
    left = due_at - now if now is not None else None
    if conversation.sla_level == "overdue" or (left is not None and left.total_seconds() <= 0):
        late = f" (overdue {format_duration(-left)})" if left is not None and left.total_seconds() < 0 else ""
        return f":red_circle: *Overdue*{late}: reply was due {due}"
    relative = f" (in {format_duration(left)})" if left is not None else ""
    if conversation.sla_level == "warned":
        return f":hourglass_flowing_sand: Reply due soon{relative}: {due}"
    return f"Reply due {due}{relative}"


def triage_line(conversation: Conversation, tags: Sequence[str] = ()) -> str:
    """Priority and sentiment as plain words (urgent/high/normal/low, negative/neutral/positive),
    so people and tools can read them, and the tags."""
    badge = PRIORITY_BADGES.get(conversation.priority, "")
    line = (f"{badge}Priority: `{conversation.priority}`{risk_reason(conversation)}  ·  "
            f"Sentiment: `{conversation.sentiment}`")
    if tags:
        line += "  ·  Tags: " + " ".join(f"`{escaped(tag, 60)}`" for tag in tags[:20])
    return line


def risk_reason(conversation: Conversation) -> str:
    """Why triage raised the priority: ` · safety — "lips swelled up"`."""
    if not conversation.risk_category:
        return ""
    evidence = f' — "{escape(conversation.risk_evidence)}"' if conversation.risk_evidence else ""
    return f" · {escape(conversation.risk_category)}{evidence}"


def fallback(conversation: Conversation, text: str) -> str:
    """The notification text (and what screen readers say)."""
    kind = KIND_LABELS.get(conversation.kind, conversation.kind)
    summary = f"{conversation.ref} · {kind} from {conversation.author_name}: {' '.join(text.split())}"
    return escaped(summary, FALLBACK_LIMIT)
