"""Posts outside a conversation's thread: escalations, leads, the day's filtered line, overdue DMs,
and a source's status."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.config import Config
from bot.slack_ui.conversation_lines import author_line, kind_label
from bot.slack_ui.kit import Blocks
from bot.slack_ui.text import FALLBACK_LIMIT, NOTE_QUOTE_LIMIT, display_name, escape, escaped, fitted_quote, link
from bot.slack_ui.thread_notes import actor_mention
from bot.slack_ui.whole_message import whole_message_button
from storage.models import Activity, Conversation, Message


def overdue_dm(conversation: Conversation, activity: Activity, config: Config) -> str:
    brand = escape(config.brands[conversation.brand_id].name)
    thread = link(conversation.slack_permalink, "Open the thread") if conversation.slack_permalink else ""
    return (f":red_circle: *{conversation.ref}* ({brand}, {kind_label(conversation)} from "
            f"{display_name(conversation.author_name)}) assigned to you is overdue. {thread}")


def escalation_post(conversation: Conversation, activity: Activity, permalink: str | None, config: Config
                    ) -> dict[str, Any]:
    """What the escalation tier's channel sees: who, why, and a link to the thread."""
    tier = config.escalation[activity.detail["tier"]]
    ping = f"<!subteam^{tier.usergroup}> " if tier.usergroup else ""
    brand = escape(config.brands[conversation.brand_id].name)
    thread = link(permalink, "Open the thread") if permalink else "(thread link unavailable)"
    reason = escaped(activity.detail.get("reason", ""), 1500)
    text = (
        f"{ping}:rotating_light: *{conversation.ref}* ({brand}, {kind_label(conversation)}) escalated to "
        f"*{escape(tier.name)}* by {actor_mention(activity)}\n*Reason:* {reason}\n{thread}"
    )
    return {
        "text": escaped(f"{conversation.ref} escalated to {tier.name}: {activity.detail.get('reason', '')}",
                        FALLBACK_LIMIT),
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
