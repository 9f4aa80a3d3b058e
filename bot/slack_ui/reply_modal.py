"""The Reply modal: the customer's last message, a canned-reply picker, and the box for the answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.slack_ui.kit import Blocks, input_value, modal, modal_title, view_metadata
from bot.slack_ui.text import NOTE_QUOTE_LIMIT, clip, display_name, escape, escaped, fitted_quote
from bot.slack_ui.whole_message import whole_message_button
from bot.templates import CannedReply
from storage.models import Conversation, Message

REPLY_MODAL = "reply_modal"
TEMPLATE_PICKER = "reply_template"
"""The canned-reply menu's action_id; its option values are template names."""
TEXT_ACTION = "text"
AUDIENCE_BLOCK, AUDIENCE_ACTION = "audience_choice", "audience"
"""Public or private, where the platform allows both; the option values are ``public`` and ``private``."""


def reply_block(version: int) -> str:
    """The reply input's block_id: it changes each time a canned reply fills the box."""
    return f"reply_{version}" if version else "reply"


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
    limit_line: str | None = None,
    private: bool | None = None,
) -> dict[str, Any]:
    """The Reply modal. Picking a canned reply re-renders it with the text filled in; the input gets
    a new block_id (``version``) because Slack keeps what was typed in an input it already shows.
    ``repeat_of``: the earlier reply with the same text the teammate was asked about (Send again sends).
    ``limit_line``: the platform's real limit for this reply (``limit_words``). ``private``: the choice
    offered first, where the platform allows both public and private; None: no choice."""
    audience = "privately" if conversation.kind == "dm" else "publicly"
    if private is not None:
        audience = "publicly or privately, as chosen below,"
    context = f"Goes {audience} to {display_name(conversation.author_name)} on {escape(conversation.platform)}."
    blocks: Blocks = []
    if last is not None:
        quote, was_cut = fitted_quote(last.text, NOTE_QUOTE_LIMIT, last.url)
        blocks.append({"type": "section", "block_id": "customer_text", "text": {"type": "mrkdwn", "text": quote}})
        if was_cut:
            blocks.append(whole_message_button(last))
    elements = [{"type": "mrkdwn", "text": context}]
    if limit_line:
        elements.append({"type": "mrkdwn", "text": escaped(limit_line, 1000)})
    blocks.append({"type": "context", "block_id": "audience", "elements": elements})
    if templates:
        options = [{"text": {"type": "plain_text", "text": clip(t.title, 75)[0]}, "value": t.name}
                   for t in templates[:100]]
        blocks.append({"type": "actions", "block_id": "templates", "elements": [{
            "type": "static_select", "action_id": TEMPLATE_PICKER, "options": options,
            "placeholder": {"type": "plain_text", "text": "Insert a canned reply"},
        }]})
    if notice:
        blocks.append({"type": "context", "block_id": "notice",
                       "elements": [{"type": "mrkdwn", "text": f":warning: {escaped(notice, 1500)}"}]})
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": TEXT_ACTION,
        "multiline": True,
        "max_length": min(max_length, 3000),
        "focus_on_load": True,
    }
    if text:
        element["initial_value"] = clip(text, min(max_length, 3000))[0]
    if private is not None:
        blocks.append(_audience_choice(private))
    blocks.append({
        "type": "input",
        "block_id": reply_block(version),
        "label": {"type": "plain_text", "text": "Your reply"},
        "element": element,
    })
    # Where the thread is, so that the outcome of a slow submission reaches it without the database.
    metadata: dict[str, Any] = {"conversation_id": conversation.id, "version": version, "seen_reply": seen_reply_id,
                                "ref": conversation.ref, "channel": conversation.slack_channel,
                                "thread_ts": conversation.slack_ts}
    if repeat_of is not None:
        metadata["repeat_of"] = repeat_of
    return modal(REPLY_MODAL, modal_title("Reply to", conversation.ref), "Send", blocks, metadata)


def _audience_choice(private: bool) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": "Public reply"}, "value": "public",
                "description": {"type": "plain_text", "text": "Under the customer's post, for everyone to see"}},
               {"text": {"type": "plain_text", "text": "Private message"}, "value": "private",
                "description": {"type": "plain_text", "text": "Only the customer sees it"}}]
    return {"type": "input", "block_id": AUDIENCE_BLOCK, "label": {"type": "plain_text", "text": "Send as"},
            "element": {"type": "radio_buttons", "action_id": AUDIENCE_ACTION, "options": options,
                        "initial_option": options[1 if private else 0]}}


class ReplyForm:
    """What a Reply modal carries, read back from the view Slack sends (on submit, or when a canned
    reply is picked). Nothing is checked here beyond what each property says."""

    def __init__(self, view: dict[str, Any]) -> None:
        self.view = view
        self.metadata = view_metadata(view)

    @property
    def conversation_id(self) -> int:
        """Raises KeyError, ValueError or TypeError when the form names no conversation."""
        return int(self.metadata["conversation_id"])

    @property
    def version(self) -> int:
        return int(self.metadata.get("version", 0))

    @property
    def block(self) -> str:
        """The block_id of the reply input as shown; a refusal is shown under it."""
        return reply_block(self.metadata.get("version", 0))

    @property
    def text(self) -> str:
        return input_value(self.view, self.block, TEXT_ACTION) or ""

    @property
    def private(self) -> bool | None:
        """The teammate's choice; None when the modal offered none (or nothing was picked)."""
        picked = input_value(self.view, AUDIENCE_BLOCK, AUDIENCE_ACTION)
        return None if picked is None else picked == "private"

    @property
    def seen_reply(self) -> Any:
        """The latest reply when the modal opened, as the form has it (an int unless tampered with)."""
        return self.metadata.get("seen_reply")

    @property
    def repeat_of(self) -> int | None:
        repeat_of = self.metadata.get("repeat_of")
        return repeat_of if isinstance(repeat_of, int) else None

    @property
    def ref(self) -> Any:
        return self.metadata.get("ref")

    @property
    def thread(self) -> tuple[str, str | None] | None:
        """The thread's channel and ts, when the form says where it is."""
        channel, thread_ts = self.metadata.get("channel"), self.metadata.get("thread_ts")
        if not isinstance(channel, str):
            return None
        return channel, thread_ts if isinstance(thread_ts, str) else None


def limit_words(platform: str, maximum: int, unit: str, added: Sequence[str], rules: Sequence[str]) -> str:
    """The platform's limit as the modal states it, with what counts towards it."""
    counted = [f"{what} socialdesk adds counts too" for what in added] + list(rules)
    return f"{platform} takes up to {maximum} {unit}" + (f": {'; '.join(counted)}." if counted else ".")


def send_again_notice(repeated: str) -> str:
    """Above the box when the text repeats a reply just sent: the next Send sends it anyway."""
    return f"{repeated} To send it again anyway, press Send again."


def not_stored_in_time(ref: Any) -> str:
    """In the thread, when a submitted reply could not be stored before Slack's deadline."""
    return (f"Your reply to {ref or 'the customer'} was *not sent*: storing it took too long. "
            "Nothing reached the customer; press Reply and send it again.")
