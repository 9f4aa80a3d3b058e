"""Every message and modal the bot shows in Slack, as Block Kit, in one place.

Customer text is untrusted: it is escaped for mrkdwn (no pings, no forged links) and cut to Slack's
limits before it goes into any block.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bot import slack_limits as limits
from bot.config import Config
from bot.fitting import fit, hard_cut, pieces
from bot.durations import format_duration
from bot.platforms.moderation import LABELS as MODERATION_LABELS
from bot.slack_ui import outcome_text
from bot.templates import CannedReply
from storage.models import Activity, Conversation, Message, Reply, ReplyStatus, Status
from storage.repositories import QueueEntry

if TYPE_CHECKING:
    from bot.domain import HomeData, TeamFigures
    from bot.domain.channel_alerts import ChannelAlert

SECTION_LIMIT = 3000
QUOTE_LIMIT = 2500
NOTE_QUOTE_LIMIT = 1500
FALLBACK_LIMIT = 300
MODAL_TITLE_LIMIT = 24
NAME_LIMIT = 80
URL_LIMIT = 1500
"""A link whose encoded address is longer is shown as its label alone: it would crowd out the text."""
MESSAGE_BUDGET = 12_000
"""What the bot lets the blocks of one message hold, under Slack's msg_blocks_too_long."""
WHOLE_MESSAGE_PIECE = 2900
WHOLE_MESSAGE_PAGE = 30
"""Sections of customer text per page of the whole-message modal."""

KIND_LABELS = {"comment": "Comment", "dm": "Direct message", "mention": "Mention", "review": "Review"}
STATUS_LABELS = {
    Status.OPEN: ":large_blue_circle: Open",
    Status.REPLIED: ":speech_balloon: Replied",
    Status.WAITING: ":hourglass: Waiting on customer",
    Status.ESCALATED: ":rotating_light: Escalated",
    Status.RESOLVED: ":white_check_mark: Resolved",
    Status.QUIET: ":mute: Filtered",
}

Blocks = list[dict[str, Any]]


# -- text safety ---------------------------------------------------------------------------

# Control characters, lone surrogates, and the bidi overrides and isolates that can make a
# message read differently from what it says (RTL text itself needs none of them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """Make outside text inert in mrkdwn: ``<!channel>`` or ``<@U1>`` stay visible text."""
    text = _CONTROL.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> tuple[str, bool]:
    """Cut to ``limit`` characters with an ellipsis, between graphemes; says whether it cut. Characters
    are counted as UTF-16 code units (an emoji is two), the stricter way Slack may count them."""
    return fit(text, limit)


def escaped(text: str, limit: int) -> str:
    """Outside text made inert and cut so that, escaped, it is at most ``limit`` characters."""
    return fit(text, limit, lambda shown, cut: escape(shown + "…" if cut else shown))[0]


def safe_url(url: str | None) -> str | None:
    """A URL that cannot break out of ``<url|label>``: http(s) only, delimiters percent-encoded, and
    short enough to leave room for the text around it."""
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return None
    encoded = quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")
    return encoded if limits.text_units(encoded) <= URL_LIMIT else None


def link(url: str | None, label: str) -> str:
    target = safe_url(url)
    return f"<{target}|{escape(label)}>" if target else escape(label)


def quoted(text: str, limit: int, url: str | None = None) -> str:
    """Customer text as a mrkdwn quote, escaped and cut, with a link to the rest when cut."""
    return fitted_quote(text, limit, url)[0]


def fitted_quote(text: str, limit: int, url: str | None = None) -> tuple[str, bool]:
    """Customer text as a mrkdwn quote of at most ``limit`` characters as Slack counts them (escaped,
    each line prefixed), cut between graphemes; says whether it was cut."""
    rest = link(url, "Read the rest on the platform") if safe_url(url) else ""
    if limits.text_units(rest) > limit // 3:
        rest = ""

    def render(shown: str, cut: bool) -> str:
        body = "\n".join(f"> {line}" if line else ">" for line in escape(shown + "…" if cut else shown).splitlines())
        return f"{body}\n{rest}" if cut and rest else body

    return fit(text.strip() or "(no text)", limit, render)


def _name(text: str) -> str:
    return escaped(" ".join(text.split()), NAME_LIMIT)


def _date(moment: datetime, fmt: str, config: Config, brand_id: str) -> str:
    local = moment.astimezone(config.brands[brand_id].zone)
    fallback = local.strftime("%Y-%m-%d %H:%M %Z")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"


# -- conversation messages -----------------------------------------------------------------


def kind_label(conversation: Conversation | QueueEntry) -> str:
    return f"{KIND_LABELS.get(conversation.kind, conversation.kind.title())} on {escape(conversation.platform)}"


def author_line(name: str, handle: str | None) -> str:
    line = f"*{_name(name)}*"
    if handle and handle != name:
        line += f" ({_name(handle)})"
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
        parts.append(f"Resolved {_date(conversation.resolved_at, '{date_short_pretty} {time}', config, conversation.brand_id)}")
    elif conversation.paused_at is not None:
        parts.append("Clocks paused")
    elif conversation.response_due_at:
        parts.append(deadline_text(conversation, config, now))
    return "  ·  ".join(parts)


def deadline_text(conversation: Conversation, config: Config, now: datetime | None) -> str:
    """The reply deadline as a date (always right) and, as of ``now``, how far off it is."""
    due_at = conversation.response_due_at
    assert due_at is not None
    due = _date(due_at, "{date_short_pretty} {time}", config, conversation.brand_id)
    left = due_at - now if now is not None else None
    if conversation.sla_level == "overdue" or (left is not None and left.total_seconds() <= 0):
        late = f" (overdue {format_duration(-left)})" if left is not None and left.total_seconds() < 0 else ""
        return f":red_circle: *Overdue*{late}: reply was due {due}"
    relative = f" (in {format_duration(left)})" if left is not None else ""
    if conversation.sla_level == "warned":
        return f":hourglass_flowing_sand: Reply due soon{relative}: {due}"
    return f"Reply due {due}{relative}"


def parent_message(conversation: Conversation, first: Message, config: Config, now: datetime | None = None,
                   tags: Sequence[str] = (), moderation: Sequence[str] = ()) -> dict[str, Any]:
    """The thread's parent: what came in, from whom, how pressing, where it stands, and the actions."""
    heading = (
        f"*{conversation.ref}*  ·  {kind_label(conversation)}  ·  {link(conversation.url, 'View original')}\n"
        f"{author_line(conversation.author_name, conversation.author_handle)}{stars(first.rating)}"
    )
    text, was_cut = fitted_quote(first.text, QUOTE_LIMIT, first.url or conversation.url)
    blocks: Blocks = [
        {"type": "section", "block_id": "heading", "text": {"type": "mrkdwn", "text": heading}},
        {"type": "section", "block_id": "customer_text", "text": {"type": "mrkdwn", "text": text}},
        *([whole_message_button(first)] if was_cut else []),
        {"type": "context", "block_id": "triage", "elements": [{"type": "mrkdwn", "text": triage_line(conversation, tags)}]},
        {"type": "context", "block_id": "state",
         "elements": [{"type": "mrkdwn", "text": status_line(conversation, config, now)}]},
        conversation_actions(conversation, moderation),
    ]
    return {"text": fallback(conversation, first.text), "blocks": blocks}


def whole_message_button(message: Message) -> dict[str, Any]:
    """Under customer text that had to be cut: the whole of it, in a modal."""
    return {"type": "actions", "block_id": "whole_message",
            "elements": [_button("Show the whole message", "show_message", str(message.id))]}


PRIORITY_BADGES = {"urgent": ":rotating_light: ", "high": ":small_red_triangle: "}


def triage_line(conversation: Conversation, tags: Sequence[str] = ()) -> str:
    """Priority and sentiment as plain words (urgent/high/normal/low, negative/neutral/positive),
    so people and tools can read them, and the tags."""
    badge = PRIORITY_BADGES.get(conversation.priority, "")
    line = f"{badge}Priority: `{conversation.priority}`{risk_reason(conversation)}  ·  Sentiment: `{conversation.sentiment}`"
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
    summary = f"{conversation.ref} · {KIND_LABELS.get(conversation.kind, conversation.kind)} from {conversation.author_name}: {' '.join(text.split())}"
    return escaped(summary, FALLBACK_LIMIT)


def moderation_menu(conversation: Conversation, actions: Sequence[str]) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": MODERATION_LABELS[action]}, "value": f"{action}:{conversation.id}"}
               for action in actions if action in MODERATION_LABELS]
    return {
        "type": "overflow", "action_id": "moderate", "options": options,
        "confirm": {"title": {"type": "plain_text", "text": "Moderate this message?"},
                    "text": {"type": "mrkdwn", "text": f"This acts on {escape(conversation.platform)} for everyone. "
                                                       "A deleted comment cannot be brought back."},
                    "confirm": {"type": "plain_text", "text": "Go ahead"},
                    "deny": {"type": "plain_text", "text": "Cancel"}},
    }


def conversation_actions(conversation: Conversation, moderation: Sequence[str] = ()) -> dict[str, Any]:
    value = str(conversation.id)
    closing = (
        _button("Reopen", "reopen", value)
        if conversation.status == Status.RESOLVED
        else _button("Resolve", "resolve", value)
    )
    return {
        "type": "actions",
        "block_id": "conversation_actions",
        "elements": [
            _button("Assign", "assign", value),
            _button("Reply", "reply", value, style="primary"),
            _button("Escalate", "escalate", value),
            closing,
        ] + _not_urgent(conversation) + ([moderation_menu(conversation, moderation)] if moderation else []),
    }


def _not_urgent(conversation: Conversation) -> list[dict[str, Any]]:
    """Dismisses what triage saw, on a conversation a risk category made urgent or high."""
    if conversation.risk_category and conversation.priority in ("urgent", "high"):
        return [_button("Not urgent", "not_urgent", str(conversation.id))]
    return []


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


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
    return {"text": fallback(conversation, message.text), "blocks": blocks}


def _actor(activity: Activity) -> str:
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
        buttons = [_button("Retry", "retry_reply", value)]
    elif reply.status == ReplyStatus.DRAFT:
        asking = " ".join(_mention(who) for who in approvers[:5])
        buttons = [_button("Approve", "approve_reply", value, style="primary"), _button("Edit", "edit_draft", value),
                   _button("Reject", "reject_reply", value, style="danger")]
        if asking:
            section = {"type": "section", "text": {"type": "mrkdwn", "text": clip(f"{text}\n{asking}", 3000)[0]}}
    else:
        return {"text": text, "blocks": [section, {"type": "context", "elements": [
            {"type": "mrkdwn", "text": draft_outcome_line(reply)}]}]}
    return {"text": text, "blocks": [section, {"type": "actions", "block_id": f"reply_{activity.action}",
                                               "elements": buttons}]}


def _mention(who: str) -> str:
    return f"<!subteam^{who}>" if who.startswith("S") else f"<@{who}>"


def draft_outcome_line(reply: Reply) -> str:
    if reply.status == ReplyStatus.REJECTED:
        reason = f": {escaped(reply.error or '', 300)}" if reply.error else ""
        return f":no_entry_sign: Rejected{reason}"
    return f":white_check_mark: Approved by <@{reply.approved_by}>" if reply.approved_by else "Sent"


def activity_note(activity: Activity, reply: Reply | None, config: Config) -> str:
    """The one-line note in the thread saying who did what."""
    actor = _actor(activity)
    detail = activity.detail
    match activity.action:
        case "assigned":
            assignee = detail["assignee"]
            return f"{actor} took this" if assignee == activity.actor_slack_id else f"{actor} assigned <@{assignee}>"
        case "replied":
            text = reply.text if reply else ""
            return f"{actor} replied:\n{quoted(text, NOTE_QUOTE_LIMIT)}"
        case "auto_replied":
            text = reply.text if reply else ""
            return f":robot_face: Auto-replied with `{escape(str(detail.get('template')))}`:\n{quoted(text, NOTE_QUOTE_LIMIT)}"
        case "auto_reply_preview":
            return (f":robot_face: Dry run — would have auto-replied with `{escape(str(detail.get('template')))}`:\n"
                    f"{quoted(str(detail.get('text', '')), NOTE_QUOTE_LIMIT)}")
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
        case "unquieted":
            return f"{actor} brought this back from the filtered messages"
        case "noted":
            # A teammate's own words, already formatted by Slack: mentions they typed stay mentions.
            return f":memo: {actor}: {clip(str(detail.get('text', '')), 2900)[0]}"
    return f"{actor} {escape(activity.action)}"


def sla_note(activity: Activity, detail: dict[str, Any], config: Config) -> str:
    what = "reply" if detail.get("deadline") == "response" else "resolution"
    due = datetime.fromisoformat(detail["due_at"])
    when = f"<!date^{int(due.timestamp())}^{{date_short_pretty}} {{time}}|{due:%Y-%m-%d %H:%M} UTC>"
    mention = f" {who}" if (who := outcome_text.deadline_mention(detail)) else ""
    if activity.action == "sla_warning":
        left = format_duration(due - activity.created_at)
        return f":hourglass_flowing_sand: The {what} is due in {left} ({when}).{mention}"
    return f":red_circle: The {what} is *overdue*: it was due {when}.{mention}"


def overdue_dm(conversation: Conversation, activity: Activity, config: Config) -> str:
    brand = escape(config.brands[conversation.brand_id].name)
    thread = link(conversation.slack_permalink, "Open the thread") if conversation.slack_permalink else ""
    return (f":red_circle: *{conversation.ref}* ({brand}, {kind_label(conversation)} from "
            f"{_name(conversation.author_name)}) assigned to you is overdue. {thread}")


def escalation_post(conversation: Conversation, activity: Activity, permalink: str | None, config: Config) -> dict[str, Any]:
    """What the escalation tier's channel sees: who, why, and a link to the thread."""
    tier = config.escalation[activity.detail["tier"]]
    ping = f"<!subteam^{tier.usergroup}> " if tier.usergroup else ""
    brand = escape(config.brands[conversation.brand_id].name)
    thread = link(permalink, "Open the thread") if permalink else "(thread link unavailable)"
    reason = escaped(activity.detail.get("reason", ""), 1500)
    text = (
        f"{ping}:rotating_light: *{conversation.ref}* ({brand}, {kind_label(conversation)}) escalated to "
        f"*{escape(tier.name)}* by {_actor(activity)}\n*Reason:* {reason}\n{thread}"
    )
    return {
        "text": escaped(f"{conversation.ref} escalated to {tier.name}: {activity.detail.get('reason', '')}", FALLBACK_LIMIT),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


QUIET_REASONS = {"only tags other people": "only tag other people", "matched a quiet rule": "matched a quiet rule"}


def quiet_line(brand_name: str, reasons: Mapping[str, int], command: str) -> dict[str, Any]:
    """The day's single line counting messages that needed no answer and got no thread."""
    total = sum(reasons.values())
    detail = ", ".join(f"{count} {QUIET_REASONS.get(reason, escape(reason))}" for reason, count in reasons.items())
    text = (f":mute: *{escape(brand_name)}* — {total} message{'s' if total != 1 else ''} today needed no answer "
            f"({detail}). `{command} quiet` lists them; `{command} unquiet <REF>` brings one back.")
    return {"text": f"{total} filtered messages today", "blocks": [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}]}


def quiet_list(brand_name: str, conversations: Sequence[Conversation], first_texts: Mapping[int, str]) -> str:
    if not conversations:
        return f"Nothing from {escape(brand_name)} was filtered today."
    lines = [f"*Filtered today for {escape(brand_name)}* (newest first):"]
    for conversation in conversations:
        text = escaped(" ".join(first_texts.get(conversation.id, "").split()), 80)
        lines.append(f"• *{conversation.ref}* {_name(conversation.author_name)}: _{text}_ ({escape(conversation.quiet_reason or '')})")
    return "\n".join(lines)


def lead_post(conversation: Conversation, first: Message, permalink: str | None, actor: str | None,
              config: Config) -> dict[str, Any]:
    """What the sales channel sees when a conversation is tagged `lead`."""
    brand = escape(config.brands[conversation.brand_id].name)
    by = f" by <@{actor}>" if actor else " by a triage rule"
    thread = link(permalink, "Open the thread") if permalink else "(thread link unavailable)"
    quote, was_cut = fitted_quote(first.text, NOTE_QUOTE_LIMIT, first.url or conversation.url)
    text = (f":moneybag: *Lead* from {brand}: *{conversation.ref}*, {kind_label(conversation)}, "
            f"{author_line(conversation.author_name, conversation.author_handle)} — handed over{by}\n"
            f"{quote}\n{thread}")
    blocks: Blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if was_cut:
        blocks.append(whole_message_button(first))
    return {"text": escape(f"Lead from {config.brands[conversation.brand_id].name}: {conversation.ref}"),
            "blocks": blocks}


# -- modals ----------------------------------------------------------------------------------


def modal_title(verb: str, ref: str) -> str:
    return clip(f"{verb} {ref}", MODAL_TITLE_LIMIT)[0]


def _modal(callback_id: str, title: str, submit: str | None, blocks: Blocks, metadata: dict[str, Any]) -> dict[str, Any]:
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


def reply_modal(
    conversation: Conversation,
    last: Message | None,
    max_length: int,
    templates: Sequence[CannedReply] = (),
    text: str | None = None,
    version: int = 0,
    notice: str | None = None,
    seen_reply_id: int = 0,
    repeat_of: int | None = None,
) -> dict[str, Any]:
    """The Reply modal. Picking a canned reply re-renders it with the text filled in; the input gets
    a new block_id (``version``) because Slack keeps what was typed in an input it already shows.
    ``repeat_of``: the earlier reply with the same text the teammate was asked about (Send again sends)."""
    audience = "privately" if conversation.kind == "dm" else "publicly"
    context = f"Goes {audience} to {_name(conversation.author_name)} on {escape(conversation.platform)}."
    blocks: Blocks = []
    if last is not None:
        quote, was_cut = fitted_quote(last.text, NOTE_QUOTE_LIMIT, last.url)
        blocks.append({"type": "section", "block_id": "customer_text", "text": {"type": "mrkdwn", "text": quote}})
        if was_cut:
            blocks.append(whole_message_button(last))
    blocks.append({"type": "context", "block_id": "audience", "elements": [{"type": "mrkdwn", "text": context}]})
    if templates:
        options = [{"text": {"type": "plain_text", "text": clip(t.title, 75)[0]}, "value": t.name} for t in templates[:100]]
        blocks.append({"type": "actions", "block_id": "templates", "elements": [{
            "type": "static_select", "action_id": "reply_template", "options": options,
            "placeholder": {"type": "plain_text", "text": "Insert a canned reply"},
        }]})
    if notice:
        blocks.append({"type": "context", "block_id": "notice",
                       "elements": [{"type": "mrkdwn", "text": f":warning: {escaped(notice, 1500)}"}]})
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "text",
        "multiline": True,
        "max_length": min(max_length, 3000),
        "focus_on_load": True,
    }
    if text:
        element["initial_value"] = clip(text, min(max_length, 3000))[0]
    blocks.append({
        "type": "input",
        "block_id": f"reply_{version}" if version else "reply",
        "label": {"type": "plain_text", "text": "Your reply"},
        "element": element,
    })
    # Where the thread is, so that the outcome of a slow submission reaches it without the database.
    metadata: dict[str, Any] = {"conversation_id": conversation.id, "version": version, "seen_reply": seen_reply_id,
                                "ref": conversation.ref, "channel": conversation.slack_channel,
                                "thread_ts": conversation.slack_ts}
    if repeat_of is not None:
        metadata["repeat_of"] = repeat_of
    return _modal("reply_modal", modal_title("Reply to", conversation.ref), "Send", blocks, metadata)


def approve_edit_modal(conversation: Conversation, reply: Reply, max_length: int) -> dict[str, Any]:
    """An approver adjusts a draft reply; sending approves the text as it is in the box."""
    blocks: Blocks = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            f"Draft by <@{reply.author_slack_id}> to {_name(conversation.author_name)} on {escape(conversation.platform)}. "
            "*Approve and send* sends the text below."}]},
        {"type": "input", "block_id": "reply", "label": {"type": "plain_text", "text": "Reply"},
         "element": {"type": "plain_text_input", "action_id": "text", "multiline": True,
                     "max_length": min(max_length, 3000), "initial_value": clip(reply.text, min(max_length, 3000))[0]}},
    ]
    return _modal("approve_edit_modal", modal_title("Approve", conversation.ref), "Approve and send", blocks,
                  {"reply_id": reply.id})


def drafts_list(drafts: Sequence[tuple[Conversation, Reply]], command: str) -> str:
    if not drafts:
        return "No draft replies are waiting for approval."
    lines = [f"*Draft replies waiting for approval* — `{command} approve <REF>` or `{command} reject <REF> <reason>`:"]
    for conversation, reply in drafts:
        text = escaped(" ".join(reply.text.split()), 90)
        lines.append(f"• *{conversation.ref}* by <@{reply.author_slack_id}>: _{text}_")
    return "\n".join(lines)


def templates_list(brand_name: str, templates: Sequence[CannedReply], command: str) -> str:
    if not templates:
        return (f"No canned replies for {escape(brand_name)} yet. Add them under `templates:` in app.yaml "
                "(shared) or `brands.<id>.templates:` (the brand's own voice).")
    lines = [f"*Canned replies for {escape(brand_name)}* — use one with `{command} reply <REF> template:<name>` "
             "or the picker in the Reply modal:"]
    for template in templates:
        preview = escaped(" ".join(template.source.split()), 90)
        lines.append(f"• `{template.name}` — {escape(template.title)}: _{preview}_")
    return "\n".join(lines)


def assign_modal(conversation: Conversation, actor: str) -> dict[str, Any]:
    blocks: Blocks = [
        {
            "type": "input",
            "block_id": "assignee",
            "label": {"type": "plain_text", "text": "Assign to"},
            "hint": {"type": "plain_text", "text": "You are picked already: press Assign to take it yourself."},
            "element": {"type": "users_select", "action_id": "user", "initial_user": actor},
        }
    ]
    return _modal("assign_modal", modal_title("Assign", conversation.ref), "Assign", blocks,
                  {"conversation_id": conversation.id, "assignee": conversation.assignee_slack_id})


def escalate_modal(conversation: Conversation, config: Config) -> dict[str, Any]:
    metadata = {"conversation_id": conversation.id}
    title = modal_title("Escalate", conversation.ref)
    if not config.escalation:
        text = "No escalation tiers are configured. Add them under `escalation:` in app.yaml (for example `pr`, `legal`)."
        return _modal("escalate_modal", title, None, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}], metadata)
    options = [
        {"text": {"type": "plain_text", "text": clip(tier.name, 75)[0]}, "value": tier_id}
        for tier_id, tier in list(config.escalation.items())[:100]
    ]
    blocks: Blocks = [
        {
            "type": "input",
            "block_id": "tier",
            "label": {"type": "plain_text", "text": "Escalate to"},
            "element": {"type": "static_select", "action_id": "tier", "options": options,
                        "placeholder": {"type": "plain_text", "text": "Pick a team"}},
        },
        {
            "type": "input",
            "block_id": "reason",
            "label": {"type": "plain_text", "text": "Reason"},
            "element": {"type": "plain_text_input", "action_id": "text", "multiline": True, "max_length": 1500},
        },
    ]
    return _modal("escalate_modal", title, "Escalate", blocks, metadata)


def track_modal(brands: dict[str, str], brand_id: str, text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """Turn a Slack message into a conversation: which brand, what kind, who wrote it."""
    brand_options = [{"text": {"type": "plain_text", "text": clip(name, 75)[0]}, "value": key} for key, name in brands.items()]
    kind_options = [{"text": {"type": "plain_text", "text": label}, "value": key} for key, label in KIND_LABELS.items()]
    blocks: Blocks = [
        {"type": "section", "block_id": "message", "text": {"type": "mrkdwn", "text": quoted(text, NOTE_QUOTE_LIMIT)}},
        {"type": "input", "block_id": "brand", "label": {"type": "plain_text", "text": "Brand"},
         "element": {"type": "static_select", "action_id": "brand", "options": brand_options[:100],
                     "initial_option": next(o for o in brand_options if o["value"] == brand_id)}},
        {"type": "input", "block_id": "kind", "label": {"type": "plain_text", "text": "Kind"},
         "element": {"type": "static_select", "action_id": "kind", "options": kind_options,
                     "initial_option": kind_options[2]}},
        {"type": "input", "block_id": "author", "optional": True, "label": {"type": "plain_text", "text": "Customer's name"},
         "element": {"type": "plain_text_input", "action_id": "name", "max_length": 200}},
        {"type": "input", "block_id": "url", "optional": True, "label": {"type": "plain_text", "text": "Link to the original"},
         "element": {"type": "url_text_input", "action_id": "url"}},
    ]
    return _modal("track_modal", "Track conversation", "Track", blocks, metadata)


def tracked_view(ref: str, duplicate: bool, permalink: str | None) -> dict[str, Any]:
    what = f"This message is already tracked as *{ref}*." if duplicate else f"Tracking as *{ref}*: it is in the brand's channel now."
    if permalink:
        what += f"\n{link(permalink, 'Open the thread')}"
    return {"type": "modal", "title": {"type": "plain_text", "text": "Track conversation"},
            "close": {"type": "plain_text", "text": "Done"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": what}}]}


def help_text(command: str) -> str:
    return (
        f"*{command}* — work the social inbox by typing. References look like `ACME-12`.\n"
        f"• `{command} reply ACME-12 Thanks, it ships today!` — answer the customer\n"
        f"• `{command} assign ACME-12 @dana` or `{command} assign ACME-12 me`\n"
        f"• `{command} escalate ACME-12 pr Threatens a public campaign`\n"
        f"• `{command} resolve ACME-12` · `{command} reopen ACME-12` · `{command} wait ACME-12` (waiting on the customer)\n"
        f"• `{command} note ACME-12 Called them, waiting for photos` — internal, never sent\n"
        f"• `{command} show ACME-12` — status, history and a link to the thread\n"
        f"• `{command} queue [mine|unassigned|overdue|escalated] [brand]` — what is waiting\n"
        f"• `{command} templates [brand]` — the canned replies; `{command} reply ACME-12 template:<name>` sends one\n"
        f"• `{command} tag ACME-12 bug pricing` · `{command} untag ACME-12 bug` — `lead` also tells sales\n"
        f"• `{command} triage ACME-12 normal` — correct the priority triage gave (urgent, high, normal, low)\n"
        f"• `{command} quiet [brand]` — today's messages filtered as needing no answer; `{command} unquiet ACME-12`\n"
        f"• `{command} drafts` · `{command} approve ACME-12` · `{command} reject ACME-12 <reason>` — replies waiting for approval\n"
        f"• `{command} moderate ACME-12 hide|unhide|delete|block|spam` — where the platform allows it\n"
        "Buttons under each conversation do the same. Messages typed in a thread stay internal: "
        "only *Reply* reaches the customer."
    )


def conversation_summary(conversation: Conversation, history: list[Activity], config: Config,
                         tags: Sequence[str] = ()) -> str:
    """`show`: where a conversation stands and what happened to it."""
    lines = [
        f"*{conversation.ref}*  ·  {kind_label(conversation)}  ·  {author_line(conversation.author_name, conversation.author_handle)}",
        status_line(conversation, config),
        triage_line(conversation, tags),
    ]
    for activity in history[-15:]:
        when = _date(activity.created_at, "{date_short} {time}", config, conversation.brand_id)
        lines.append(f"• {when}  {activity_note(activity, None, config).splitlines()[0]}")
    if not history:
        lines.append("• no actions yet")
    thread = conversation.slack_permalink
    lines.append(link(thread, "Open the thread") if thread else "(not in Slack yet)")
    return "\n".join(lines)


QUEUE_TITLES = {
    "all": "Open conversations",
    "mine": "Assigned to you",
    "unassigned": "Unassigned",
    "overdue": "Overdue",
    "escalated": "Escalated",
}


def queue_list(view: str, brand_id: str | None, conversations: list[QueueEntry], config: Config) -> str:
    """`queue`: one line per conversation, the nearest deadline first."""
    title = QUEUE_TITLES[view] + (f" · {escape(config.brands[brand_id].name)}" if brand_id else "")
    if not conversations:
        return f"*{title}*: nothing waiting. :tada:"
    lines = [f"*{title}* ({len(conversations)}, nearest deadline first)"]
    lines += [f"• {queue_line(conversation, config)}" for conversation in conversations]
    return "\n".join(lines)


def queue_line(conversation: QueueEntry, config: Config) -> str:
    assignee = f"<@{conversation.assignee_slack_id}>" if conversation.assignee_slack_id else "_unassigned_"
    due = (
        f"due {_date(conversation.response_due_at, '{date_short} {time}', config, conversation.brand_id)}"
        if conversation.response_due_at else "no deadline"
    )
    return (f"{link(conversation.slack_permalink, conversation.ref)}  {kind_label(conversation)}  ·  "
            f"{_name(conversation.author_name)}  ·  {due}  ·  {assignee}")


# -- App Home --------------------------------------------------------------------------------

HOME_SECTIONS = (("mine", "Assigned to you"), ("unassigned", "Waiting for someone to take them"), ("overdue", "Overdue"))


def home_view(home: HomeData, config: Config) -> dict[str, Any]:
    """The App Home tab: the viewer's queue, what nobody took, what is late, and the week's figures."""
    blocks: Blocks = [{"type": "header", "text": {"type": "plain_text", "text": "Social inbox"}}]
    if home.channel_alerts:
        blocks.append({"type": "section", "block_id": "home_channel_alerts",
                       "text": {"type": "mrkdwn", "text": channel_alerts_text(home.channel_alerts)}})
    if home.unshown:
        blocks.append(unshown_section(home.unshown, config.slash_command))
    for key, title in HOME_SECTIONS:
        conversations: list[QueueEntry] = getattr(home, key)
        blocks.append({"type": "section", "block_id": f"home_{key}",
                       "text": {"type": "mrkdwn", "text": _home_list(title, conversations, config)}})
    blocks += [
        {"type": "divider"},
        {"type": "section", "block_id": "home_figures", "text": {"type": "mrkdwn", "text": figures_text(home.figures)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Updated {_date_utc(home.at)} · "
                                          "`/social queue` lists more"}]},
    ]
    return {"type": "home", "blocks": blocks}


def channel_alerts_text(alerts: list[ChannelAlert]) -> str:
    lines = [f":warning: <#{alert.channel}>: {alert.reason}. {alert.waiting} post(s) wait and go out once the bot "
             "can post there again (unarchive the channel or invite the bot), or name another channel in app.yaml."
             for alert in alerts]
    return clip("\n".join(lines), SECTION_LIMIT)[0]


def _home_list(title: str, conversations: list[QueueEntry], config: Config) -> str:
    if not conversations:
        return f"*{title}*\nNothing here. :white_check_mark:"
    heading = f"*{title}* ({len(conversations)}{'+' if len(conversations) >= 10 else ''})"
    return lines_within(heading, [f"• {queue_line(conversation, config)}" for conversation in conversations],
                        SECTION_LIMIT)


def lines_within(heading: str, lines: Sequence[str], limit: int) -> str:
    """The heading and as many whole lines as fit in ``limit``, saying how many more there are:
    a line of mrkdwn cut in the middle could break a link."""
    shown = heading
    for index, line in enumerate(lines):
        more = f"\n… and {len(lines) - index} more"
        if limits.text_units(f"{shown}\n{line}") + len(more) > limit:
            return shown + more
        shown += f"\n{line}"
    return shown


def unshown_section(unshown: Sequence[tuple[str, str, str]], command: str) -> dict[str, Any]:
    """For admins in App Home: what Slack refused to show even shortened, (what, where, why) each."""
    lines = [f"• {UNSHOWN_WHAT.get(what, 'A message')} — {escaped(where, 100)}: `{escaped(why, 200)}`"
             for what, where, why in unshown]
    heading = (":warning: *Could not be shown in Slack* — Slack refused these even in a shortened form; "
               f"`{command} show <REF>` shows a conversation as socialdesk keeps it")
    return {"type": "section", "block_id": "home_unshown",
            "text": {"type": "mrkdwn", "text": lines_within(heading, lines, SECTION_LIMIT)}}


def figures_text(figures: TeamFigures) -> str:
    median = format_duration(figures.median_first_response) if figures.median_first_response else "–"
    sla = f"{figures.sla_percent:.0f}% ({figures.sla_met} of {figures.sla_due})" if figures.sla_percent is not None else "–"
    return (
        "*Team, last 7 days*\n"
        f"Messages in: *{figures.messages}*  ·  New conversations: *{figures.conversations}*\n"
        f"Median first response: *{median}*  ·  First replies on time: *{sla}*"
    )


def _date_utc(moment: datetime) -> str:
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{moment:%Y-%m-%d %H:%M} UTC>"


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


def source_status_message(source_id: str, platform: str, state: str, detail: str, permanent: bool) -> dict[str, Any]:
    """A platform source stopped working (shown once), or works again."""
    name = f"*{escape(platform)}* (source `{escape(source_id)}`)"
    reason = escaped(detail, 1500)
    if state == "recovered":
        text = f":white_check_mark: {name} works again; new messages are coming in."
        fallback_text = f"{platform} source {source_id} works again"
    else:
        action = ("Fix the credentials or permissions in the platform's settings, then check with "
                  "`socialdesk sources check`." if permanent else "socialdesk keeps retrying.")
        text = f":warning: {name} stopped working: {reason}\nNew messages are not coming in. {action}"
        fallback_text = f"{platform} source {source_id} stopped working"
    return {"text": escape(fallback_text), "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


# -- crisis alerts and surge mode ------------------------------------------------------------

SAMPLE_LIMIT = 280


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


def _usual(value: float) -> str:
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def crisis_alert(brand_name: str, numbers: Mapping[str, Any], samples: Sequence[tuple[Message, Conversation]],
                 usergroup: str | None) -> dict[str, Any]:
    """The alert in the crisis channel: the figures against the usual, what people write, and a ping."""
    window = format_duration(timedelta(seconds=numbers["window_seconds"]))
    ping = f"<!subteam^{usergroup}> " if usergroup else ""
    raised = set(numbers.get("raised", []))
    heading = (f"{ping}:rotating_light: *{escape(brand_name)}: messages are well above the usual level* "
               f"(last {window})")
    volume = (f"{'*' if 'volume' in raised else ''}Volume: {numbers['volume']} messages"
              f"{'*' if 'volume' in raised else ''} — usually {_usual(numbers['usual_volume'])} "
              f"({escape(numbers['baseline'])}; alert at {_usual(numbers['volume_threshold'])})")
    negative = (f"{'*' if 'negative' in raised else ''}Negative: {_percent(numbers['negative_share'])}"
                f"{'*' if 'negative' in raised else ''} ({numbers['negative']} of {numbers['volume']}) — usually "
                f"{_percent(numbers['usual_negative_share'])} (alert at {_percent(numbers['negative_threshold'])})")
    words = numbers.get("top_words") or []
    word_line = ("Top words: " + ", ".join(f"`{escaped(word, 60)}` ({count})" for word, count in words[:20])
                 if words else "Top words: none stand out")
    blocks: Blocks = [
        {"type": "section", "block_id": "crisis_heading", "text": {"type": "mrkdwn", "text": heading}},
        {"type": "section", "block_id": "crisis_numbers", "text": {"type": "mrkdwn", "text": f"{volume}\n{negative}"}},
        {"type": "context", "block_id": "crisis_words", "elements": [{"type": "mrkdwn", "text": word_line}]},
    ]
    for index, (message, conversation) in enumerate(samples[:10]):
        blocks.append({"type": "section", "block_id": f"crisis_sample_{index}",
                       "text": {"type": "mrkdwn", "text": crisis_sample(message, conversation)}})
    after = "An all-clear follows in this thread once it is back below the thresholds."
    if numbers.get("surge_below"):
        after += (f" Meanwhile new {_priority_words(numbers['surge_below'])}-priority conversations are grouped in "
                  "one surge thread in the brand's channel.")
    blocks.append({"type": "context", "block_id": "crisis_next", "elements": [{"type": "mrkdwn", "text": after}]})
    fallback_text = f"{brand_name}: {numbers['volume']} messages in {window}, usually {_usual(numbers['usual_volume'])}"
    return {"text": escape(fallback_text), "blocks": blocks}


def crisis_sample(message: Message, conversation: Conversation) -> str:
    ref = link(conversation.slack_permalink, conversation.ref) if conversation.slack_permalink else conversation.ref
    who = author_line(message.author_name, message.author_handle)
    return f"*{ref}*  ·  {who}  ·  {escape(message.sentiment or 'neutral')}\n{quoted(message.text, SAMPLE_LIMIT, message.url)}"


def crisis_all_clear(brand_name: str, numbers: Mapping[str, Any], started_at: datetime,
                     cleared_at: datetime) -> dict[str, Any]:
    lasted = format_duration(cleared_at - started_at)
    window = format_duration(timedelta(seconds=numbers["window_seconds"]))
    text = (f":white_check_mark: *All clear for {escape(brand_name)}*: messages have been back at the usual level "
            f"for a while. The episode lasted {lasted} and peaked at {numbers.get('peak_volume', numbers['volume'])} "
            f"messages in {window}.")
    if numbers.get("surge_below"):
        text += " Surge mode is over: new conversations get their own threads again."
    return {"text": escape(f"All clear for {brand_name}"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def _priority_words(priorities: Sequence[str]) -> str:
    names = [p for p in ("low", "normal", "high", "urgent") if p in priorities]
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def surge_parent(brand_name: str, priorities: Sequence[str]) -> dict[str, Any]:
    """The one thread where, during an episode, conversations of the lower priorities are grouped."""
    text = (f":ocean: *Surge: {_priority_words(priorities)}-priority messages grouped here while "
            f"{escape(brand_name)} is in surge mode.* Each one below is its own conversation, with its reference "
            "and buttons; everything else keeps its own thread.")
    return {"text": escape(f"Surge: {_priority_words(priorities)}-priority messages grouped here while {brand_name} "
                           "is in surge mode"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def surge_ended(brand_name: str) -> dict[str, Any]:
    return {"text": f":white_check_mark: Surge mode for {escape(brand_name)} is over: new conversations get their "
                    "own threads again. Those above stay here."}


def in_shared_thread(conversation: Conversation, message: dict[str, Any]) -> dict[str, Any]:
    """A message for a conversation grouped in the surge thread, which many conversations share:
    it names the conversation it belongs to."""
    label = f"*{conversation.ref}*"
    shown = {**message, "text": f"{label} · {message.get('text', '')}"}
    if message.get("blocks"):
        shown["blocks"] = [{"type": "context", "elements": [{"type": "mrkdwn", "text": label}]}, *message["blocks"]]
    return shown


# -- the whole of a customer message ---------------------------------------------------------------


def whole_message_modal(conversation: Conversation, message: Message, page: int = 0) -> dict[str, Any]:
    """Customer text that was cut elsewhere, all of it, as plain text (nothing in it is formatting),
    in pages that keep within a modal's limits."""
    parts = list(pieces(_CONTROL.sub("\ufffd", message.text.strip()) or "(no text)", WHOLE_MESSAGE_PIECE))
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
            turn.append(_button("Previous page", "whole_message_page_previous", f"{message.id}:{page - 1}"))
        if page < pages - 1:
            turn.append(_button("Next page", "whole_message_page_next", f"{message.id}:{page + 1}"))
        blocks += [{"type": "context", "block_id": "page_number",
                    "elements": [{"type": "mrkdwn", "text": f"Page {page + 1} of {pages}"}]},
                   {"type": "actions", "block_id": "pages", "elements": turn}]
    view = _modal("whole_message", modal_title("Message", conversation.ref), None, blocks,
                  {"message_id": message.id, "page": page})
    view["close"] = {"type": "plain_text", "text": "Close"}
    return view


# -- what Slack refused ----------------------------------------------------------------------------

SHORTENED_LIMIT = 1000
SHORTENED_NOTE = "\n_(shortened: Slack refused the full message)_"
UNSHOWN_WHAT = {
    "post_parent": "The new conversation", "update_parent": "An update of the conversation",
    "post_message": "A customer message", "post_note": "A note in the thread", "update_note": "A note's update",
    "post_escalation": "The escalation post", "post_lead": "The lead post", "post_digest": "The weekly digest",
    "quiet_line": "The filtered-messages line", "post_source_status": "A source's status",
    "post_crisis_alert": "The crisis alert", "publish_home": "An App Home",
}


def shortened(method: str, call: dict[str, Any]) -> dict[str, Any]:
    """A message or view Slack refused as built, in the plainest form that still says what it is:
    the message's own text (its notification fallback, already escaped) without blocks, cut harder."""
    if method == "views_publish":
        text = (":warning: This page could not be shown in full. `/social queue` lists what is waiting; "
                "the admins can see why in socialdesk's log.")
        return {**call, "view": {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}}
    text = str(call.get("text") or "")
    cut = hard_cut(text, SHORTENED_LIMIT - len(SHORTENED_NOTE))
    return {**{k: v for k, v in call.items() if k != "blocks"}, "text": (cut or "(no text)") + SHORTENED_NOTE}


def unshown_notice(what: str, ref: str | None, error: str, admins: Sequence[str], command: str) -> dict[str, Any]:
    """In the brand's channel: something could not be shown in Slack at all, and where to find it."""
    thing = UNSHOWN_WHAT.get(what, "A message")
    about = f" for *{escape(ref)}*" if ref else ""
    find = f" `{command} show {escape(ref)}` shows the conversation;" if ref else ""
    ping = " ".join(_mention(who) for who in admins[:3])
    text = (f":warning: {thing}{about} could not be shown in Slack: Slack refused it even shortened "
            f"(`{escape(error)}`).{find} it is listed under *Could not be shown* in App Home. {ping}").rstrip()
    return {"text": text}
