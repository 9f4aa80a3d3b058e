"""What Slack refused as built: the plainer retry, and the notice when even that was refused."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.fitting import hard_cut
from bot.slack_ui.text import escape, mention


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
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        return {**call, "view": {"type": "home", "blocks": blocks}}
    text = str(call.get("text") or "")
    cut = hard_cut(text, SHORTENED_LIMIT - len(SHORTENED_NOTE))
    return {**{k: v for k, v in call.items() if k != "blocks"}, "text": (cut or "(no text)") + SHORTENED_NOTE}


def unshown_notice(what: str, ref: str | None, error: str, admins: Sequence[str], command: str) -> dict[str, Any]:
    """In the brand's channel: something could not be shown in Slack at all, and where to find it."""
    thing = UNSHOWN_WHAT.get(what, "A message")
    about = f" for *{escape(ref)}*" if ref else ""
    find = f" `{command} show {escape(ref)}` shows the conversation;" if ref else ""
    ping = " ".join(mention(who) for who in admins[:3])
    text = (f":warning: {thing}{about} could not be shown in Slack: Slack refused it even shortened "
            f"(`{escape(error)}`).{find} it is listed under *Could not be shown* in App Home. {ping}").rstrip()
    return {"text": text}
