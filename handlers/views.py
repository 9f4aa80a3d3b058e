"""Modal submissions: Assign, Reply, Escalate."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import rendering
from bot.domain import ActionRefused, ActionResult, Desk, ReplyCrossed, ReplyRepeated
from bot.slack_ui import outcome_text
from handlers.ack_budget import received_at, within_ack


def register(app: App, desk: Desk) -> None:
    @app.view("assign_modal")
    def assign_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        assignee = value_of(view, "assignee", "user")
        if not assignee:
            ack(response_action="errors", errors={"assignee": "Pick someone to assign."})
            return
        seen = _metadata(view).get("assignee", False)
        _apply(ack, client, body, "assignee",
               lambda: desk.assign(_conversation_id(view), user_of(body), assignee, seen_assignee=seen))

    @app.view("reply_modal")
    def reply_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient,
                        context: BoltContext) -> None:
        text = value_of(view, _reply_block(view), "text") or ""
        metadata = _metadata(view)
        seen = metadata.get("seen_reply")
        repeat_of = metadata.get("repeat_of")
        user = user_of(body)
        try:
            outcome = within_ack(lambda cutoff: desk.reply(
                _conversation_id(view), user, text, request_key=f"view:{view['id']}",
                seen_reply_id=int(seen) if isinstance(seen, int) else None, cutoff=cutoff,
                repeat_of=repeat_of if isinstance(repeat_of, int) else None), received_at(context))
        except (ReplyCrossed, ReplyRepeated) as asked:
            # Same input block: Slack keeps what was typed; the next Send goes through.
            conversation = desk.get(_conversation_id(view))
            platform = desk.platform(conversation.source_id)
            if isinstance(asked, ReplyCrossed):
                notice, seen_now, repeat = outcome_text.refusal(asked), asked.latest_reply_id, None
            else:
                notice = f"{outcome_text.refusal(asked)} To send it again anyway, press Send again."
                seen_now = int(seen or 0)
                repeat = asked.earlier_reply_id
            ack(response_action="update", view=rendering.reply_modal(
                conversation, desk.last_customer_message(conversation.id), platform.max_reply_length,
                desk.templates_for(conversation), version=int(metadata.get("version", 0)), notice=notice,
                seen_reply_id=seen_now, repeat_of=repeat))
            return
        except ActionRefused as refusal:
            ack(response_action="errors", errors={_reply_block(view): outcome_text.refusal(refusal)})
            return
        ack()
        result = outcome.result
        if outcome.abandoned:
            _tell_in_thread(client, metadata, user, desk, f"Your reply to {metadata.get('ref') or 'the customer'} "
                            "was *not sent*: storing it took too long. Nothing reached the customer; "
                            "press Reply and send it again.")
        elif result is not None and outcome.late:
            _tell_in_thread(client, metadata, user, desk, outcome_text.summary(result))
        elif result is not None and not result.changed:
            client.chat_postEphemeral(channel=result.conversation.slack_channel, user=user,
                                      text=outcome_text.summary(result))

    @app.view("approve_edit_modal")
    def edited_and_approved(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        text = value_of(view, "reply", "text") or ""
        reply_id = _metadata(view).get("reply_id")
        if not isinstance(reply_id, int):
            ack(response_action="errors", errors={"reply": "This form is not linked to a draft; open it again."})
            return
        _apply(ack, client, body, "reply", lambda: desk.approve(reply_id, user_of(body), edited_text=text))

    @app.view("escalate_modal")
    def escalate_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        tier = value_of(view, "tier", "tier")
        if not tier:
            ack(response_action="errors", errors={"tier": "Pick who to escalate to."})
            return
        reason = value_of(view, "reason", "text") or ""
        _apply(ack, client, body, "reason", lambda: desk.escalate(_conversation_id(view), user_of(body), tier, reason))


def _apply(ack: Ack, client: WebClient, body: dict[str, Any], block_id: str,
           action: Callable[[], ActionResult]) -> None:
    """Store the change, then close the modal; a refusal is shown in the modal, under ``block_id``."""
    try:
        result = action()
    except ReplyCrossed:
        raise
    except ActionRefused as refusal:
        ack(response_action="errors", errors={block_id: outcome_text.refusal(refusal)})
        return
    ack()
    if not result.changed:
        client.chat_postEphemeral(channel=result.conversation.slack_channel, user=user_of(body),
                                  text=outcome_text.summary(result))


def _tell_in_thread(client: WebClient, metadata: dict[str, Any], user: str, desk: Desk, text: str) -> None:
    """An ephemeral line in the conversation's thread, found without the database when the modal says where."""
    channel, thread_ts = metadata.get("channel"), metadata.get("thread_ts")
    if not isinstance(channel, str):
        conversation = desk.get(_conversation_id({"private_metadata": json.dumps(metadata)}))
        channel, thread_ts = conversation.slack_channel, conversation.slack_ts
    client.chat_postEphemeral(channel=channel, user=user, text=text,
                              thread_ts=thread_ts if isinstance(thread_ts, str) else None)


def value_of(view: dict[str, Any], block_id: str, action_id: str) -> str | None:
    """The value of one input, whatever element type holds it."""
    state = view.get("state", {}).get("values", {}).get(block_id, {}).get(action_id, {})
    if "selected_user" in state:
        return state["selected_user"]
    if "selected_option" in state:
        option = state["selected_option"]
        return option["value"] if option else None
    return state.get("value")


def _reply_block(view: dict[str, Any]) -> str:
    """The reply input's block_id: it changes each time a canned reply fills the box."""
    version = _metadata(view).get("version", 0)
    return f"reply_{version}" if version else "reply"


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return metadata if isinstance(metadata, dict) else {}


def _conversation_id(view: dict[str, Any]) -> int:
    try:
        return int(_metadata(view)["conversation_id"])
    except (ValueError, KeyError, TypeError):
        raise ActionRefused("This form is not linked to a conversation; open it again from the thread.") from None


def user_of(body: dict[str, Any]) -> str:
    return body["user"]["id"]
