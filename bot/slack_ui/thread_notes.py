"""What is posted into a conversation's thread: later customer messages and the notes of who did what."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot import slack_limits as limits
from bot.config import Config
from bot.durations import format_duration
from bot.moderation_labels import MODERATION_LABELS
from bot.slack_ui import outcome_text
from bot.slack_ui.attachments import attachment_blocks
from bot.slack_ui.approvals import draft_buttons, draft_outcome_line
from bot.slack_ui.conversation_lines import author_line, fallback, stars
from bot.slack_ui.kit import Blocks, button
from bot.slack_ui.text import (NOTE_QUOTE_LIMIT, QUOTE_LIMIT, clip, escape, escaped, fitted_quote, link, mention,
                               quoted, safe_url)
from bot.slack_ui.whole_message import whole_message_button
from storage.models import Activity, Conversation, Message, Reply, ReplyStatus

RETRY_REPLY = "retry_reply"
"""The button under a reply that was not delivered; its value is the reply's id."""


def thread_message(conversation: Conversation, message: Message) -> dict[str, Any]:
    """A later customer message, posted into the conversation's thread."""
    heading = f"{author_line(message.author_name, message.author_handle)}{stars(message.rating)}"
    if safe_url(message.url):
        heading += f"  ·  {link(message.url, 'View original')}"
    budget = min(QUOTE_LIMIT, limits.SECTION_TEXT - limits.text_units(heading) - 1)
    quote, was_cut = fitted_quote(message.text, budget, message.url or conversation.url)
    blocks: Blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"{heading}\n{quote}"}}]
    if was_cut:
        blocks.append(whole_message_button(message))
    blocks += attachment_blocks(message.attachments)
    return {"text": fallback(conversation, message.text), "blocks": blocks}


def actor_mention(activity: Activity) -> str:
    return f"<@{activity.actor_slack_id}>" if activity.actor_slack_id else "socialdesk"


def activity_message(activity: Activity, reply: Reply | None, config: Config,
                     approvers: Sequence[str] = ()) -> dict[str, Any]:
    """The thread note as a message. A reply that was not delivered gets a Retry button; a draft
    waiting for approval gets Approve / Edit / Reject and names who can approve it."""
    text = activity_note(activity, reply, config)
    if reply is None or activity.action not in ("reply_failed", "drafted"):
        return {"text": text}
    section = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 3000)[0]}}
    value = str(reply.id)
    if activity.action == "reply_failed":
        buttons = [button("Retry", RETRY_REPLY, value)]
    elif reply.status == ReplyStatus.DRAFT:
        asking = " ".join(mention(who) for who in approvers[:5])
        buttons = draft_buttons(value)
        if asking:
            section = {"type": "section", "text": {"type": "mrkdwn", "text": clip(f"{text}\n{asking}", 3000)[0]}}
    else:
        return {"text": text, "blocks": [section, {"type": "context", "elements": [
            {"type": "mrkdwn", "text": draft_outcome_line(reply)}]}]}
    return {"text": text, "blocks": [section, {"type": "actions", "block_id": f"reply_{activity.action}",
                                               "elements": buttons}]}


def activity_note(activity: Activity, reply: Reply | None, config: Config) -> str:
    """The one-line note in the thread saying who did what."""
    actor = actor_mention(activity)
    detail = activity.detail
    match activity.action:
        case "assigned":
            assignee = detail["assignee"]
            return f"{actor} took this" if assignee == activity.actor_slack_id else f"{actor} assigned <@{assignee}>"
        case "replied":
            text = reply.text if reply else ""
            how = " privately" if reply is not None and reply.private else ""
            return f"{actor} replied{how}:\n{quoted(text, NOTE_QUOTE_LIMIT)}"
        case "auto_replied":
            text = reply.text if reply else ""
            return (f":robot_face: Auto-replied with `{escape(str(detail.get('template')))}`:\n"
                    f"{quoted(text, NOTE_QUOTE_LIMIT)}")
        case "auto_reply_preview":
            return (f":robot_face: Dry run — would have auto-replied with `{escape(str(detail.get('template')))}`:\n"
                    f"{quoted(str(detail.get('text', '')), NOTE_QUOTE_LIMIT)}")
        case "auto_reply_dropped":
            return (f":robot_face: Auto-reply `{escape(str(detail.get('template')))}` not sent: "
                    f"{mention(str(detail.get('person')))} answered first")
        case "moderated":
            label = MODERATION_LABELS.get(str(detail.get("what")), str(detail.get("what"))).lower()
            return f":shield: {actor}: {escape(label)} — done on the platform"
        case "moderation_failed":
            label = MODERATION_LABELS.get(str(detail.get("what")), str(detail.get("what"))).lower()
            return f":warning: {escape(label.capitalize())} failed: {escaped(str(detail.get('error', '')), 500)}"
        case "marked_spam":
            return f":wastebasket: {actor} marked this as spam (filtered; `unquiet` brings it back)"
        case "drafted":
            text = reply.text if reply else ""
            return f":pencil2: Draft reply by {actor}, *waiting for approval*:\n{quoted(text, NOTE_QUOTE_LIMIT)}"
        case "approved":
            edited = " (edited)" if detail.get("edited") else ""
            return f"{actor} approved the reply{edited}"
        case "rejected":
            reason = escaped(str(detail.get("reason") or ""), 500)
            return f"{actor} rejected the draft reply" + (f": {reason}" if reason else "")
        case "reply_failed":
            error = escaped(str(detail.get("error", "")), 500)
            return (f":warning: The reply by {actor} was *not delivered*: {error}\nNothing reached the customer; "
                    "press Retry when it is fixed, or reply again.")
        case "escalated":
            tier = config.escalation.get(detail["tier"])
            name = escape(tier.name if tier else detail["tier"])
            return f"{actor} escalated to *{name}*: {escaped(detail.get('reason', ''), 1000)}"
        case "resolved":
            return f"{actor} resolved this"
        case "reopened":
            return f"{actor} reopened this"
        case "waiting":
            paused = " (response windows paused)" if detail.get("paused") else ""
            return f"{actor} marked this as waiting on the customer{paused}"
        case "sla_warning" | "sla_breach":
            return sla_note(activity, detail, config)
        case "tracked":
            return f"{actor} started tracking this from a message in <#{detail.get('channel', '')}>"
        case "tagged":
            return f":label: {actor} tagged this " + " ".join(f"`{escape(t)}`" for t in detail.get("tags", []))
        case "untagged":
            return f"{actor} removed the tags " + " ".join(f"`{escape(t)}`" for t in detail.get("tags", []))
        case "triage_corrected":
            return (f"{actor} set the priority to `{escape(str(detail.get('priority')))}` "
                    f"(was `{escape(str(detail.get('previous')))}`)")
        case "snoozed":
            until = datetime.fromisoformat(str(detail["until"]))
            return (f":zzz: {actor} snoozed this until <!date^{int(until.timestamp())}^{{date_short_pretty}} {{time}}"
                    f"|{until:%Y-%m-%d %H:%M} UTC>: out of the queues, no reminders until then")
        case "unsnoozed":
            return _woken(actor, str(detail.get("reason")))
        case "unquieted":
            return f"{actor} brought this back from the filtered messages"
        case "customer_edited" | "customer_deleted":
            return customer_change_note(activity.action, detail)
        case "noted":
            # A teammate's own words, already formatted by Slack: mentions they typed stay mentions.
            return f":memo: {actor}: {clip(str(detail.get('text', '')), 2900)[0]}"
    return f"{actor} {escape(activity.action)}"


def _woken(actor: str, reason: str) -> str:
    if reason == "message":
        return ":alarm_clock: The customer wrote again: back from snooze"
    if reason == "unsnoozed":
        return f":alarm_clock: {actor} ended the snooze"
    return ":alarm_clock: Back from snooze: the time is up"


def sla_note(activity: Activity, detail: dict[str, Any], config: Config) -> str:
    what = "reply" if detail.get("deadline") == "response" else "resolution"
    due = datetime.fromisoformat(detail["due_at"])
    when = f"<!date^{int(due.timestamp())}^{{date_short_pretty}} {{time}}|{due:%Y-%m-%d %H:%M} UTC>"
    mention = f" {who}" if (who := outcome_text.deadline_mention(detail)) else ""
    if activity.action == "sla_warning":
        left = format_duration(due - activity.created_at)
        return f":hourglass_flowing_sand: The {what} is due in {left} ({when}).{mention}"
    return f":red_circle: The {what} is *overdue*: it was due {when}.{mention}"


def customer_change_note(action: str, detail: dict[str, Any]) -> str:
    """The customer edited or deleted a message on the platform."""
    which = "the first message" if detail.get("first") else "a message"
    if action == "customer_deleted":
        return f":wastebasket: {which.capitalize()} of this conversation was deleted by the author."
    return f":pencil2: edited: the customer changed {which} to\n{quoted(str(detail.get('text', '')), NOTE_QUOTE_LIMIT)}"
