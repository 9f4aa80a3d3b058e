"""Buttons under a conversation's parent message."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import rendering
from bot.domain import ActionRefused, ActionResult, Desk
from bot.slack_ui import outcome_text
from bot.platforms import input_limit


def register(app: App, desk: Desk) -> None:
    @app.action("assign")
    def assign_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        with _refusals_to(respond):
            conversation = desk.get(_conversation_id(body))
            desk.require_for(_user(body), conversation, "assign")
            client.views_open(trigger_id=body["trigger_id"], view=rendering.assign_modal(conversation, _user(body)))

    @app.action("reply")
    def reply_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        with _refusals_to(respond):
            conversation = desk.get(_conversation_id(body))
            desk.require_for(_user(body), conversation, "reply")
            platform = desk.ensure_can_reply(conversation)
            last = desk.last_customer_message(conversation.id)
            view = rendering.reply_modal(conversation, last, input_limit(platform), desk.templates_for(conversation),
                                         seen_reply_id=desk.latest_reply_id(conversation.id))
            client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action("reply_template")
    def template_picked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = body["view"]
        metadata = json.loads(view.get("private_metadata") or "{}")
        conversation = desk.get(int(metadata["conversation_id"]))
        name = body["actions"][0]["selected_option"]["value"]
        first_name, full_name = agent_names(client, _user(body))
        text, notice = None, None
        try:
            desk.require(_user(body), conversation.brand_id, "reply")
            text = desk.fill_template(conversation, name, first_name, full_name)
        except ActionRefused as refusal:
            notice = outcome_text.refusal(refusal)
        platform = desk.platform(conversation.source_id)
        updated = rendering.reply_modal(
            conversation, desk.last_customer_message(conversation.id), input_limit(platform),
            desk.templates_for(conversation), text=text, version=int(metadata.get("version", 0)) + 1, notice=notice,
            seen_reply_id=int(metadata.get("seen_reply", 0)),
        )
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)

    @app.action("escalate")
    def escalate_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        with _refusals_to(respond):
            conversation = desk.get(_conversation_id(body))
            desk.require_for(_user(body), conversation, "escalate")
            client.views_open(trigger_id=body["trigger_id"], view=rendering.escalate_modal(conversation, desk.config))

    @app.action("resolve")
    def resolve_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        _act(ack, respond, lambda: desk.resolve(_conversation_id(body), _user(body)))

    @app.action("approve_reply")
    def approve_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        _act(ack, respond, lambda: desk.approve(_reply_id(body), _user(body)))

    @app.action("reject_reply")
    def reject_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        _act(ack, respond, lambda: desk.reject(_reply_id(body), _user(body)))

    @app.action("edit_draft")
    def edit_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        with _refusals_to(respond):
            reply = desk.get_reply(_reply_id(body))
            conversation = desk.get(reply.conversation_id)
            desk.require_for(_user(body), conversation, "approve")
            platform = desk.platform(conversation.source_id)
            view = rendering.approve_edit_modal(conversation, reply, input_limit(platform))
            client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action("moderate")
    def moderation_picked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        action, _, conversation = (body["actions"][0].get("selected_option") or {}).get("value", "").partition(":")
        if not conversation.isdigit():
            ack()
            respond(text="This menu is not linked to a conversation.", response_type="ephemeral", replace_original=False)
            return
        _act(ack, respond, lambda: desk.moderate(int(conversation), _user(body), action))

    @app.action("retry_reply")
    def retry_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        _act(ack, respond, lambda: desk.retry_reply(_reply_id(body), _user(body)))

    @app.action("not_urgent")
    def not_urgent_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        _act(ack, respond, lambda: desk.correct_priority(_conversation_id(body), _user(body), "normal"))

    @app.action("reopen")
    def reopen_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        _act(ack, respond, lambda: desk.reopen(_conversation_id(body), _user(body)))


def _act(ack: Ack, respond: Respond, action: Any) -> None:
    """Change state first, then acknowledge: a click that could not be stored shows Slack's error."""
    try:
        result: ActionResult = action()
    except ActionRefused as refusal:
        ack()
        respond(text=outcome_text.refusal(refusal), response_type="ephemeral", replace_original=False)
        return
    ack()
    if not result.changed:
        respond(text=outcome_text.summary(result), response_type="ephemeral", replace_original=False)


class _refusals_to:
    """Turn an ActionRefused inside the block into an ephemeral message for the clicker."""

    def __init__(self, respond: Respond) -> None:
        self._respond = respond

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb: object) -> bool:
        if isinstance(error, ActionRefused):
            self._respond(text=outcome_text.refusal(error), response_type="ephemeral", replace_original=False)
            return True
        return False


def agent_names(client: WebClient, user_id: str) -> tuple[str, str]:
    """The teammate's first and full name as Slack knows them, for templates."""
    try:
        profile = client.users_info(user=user_id)["user"]
    except SlackApiError:
        return "", ""
    names = profile.get("profile", {})
    full = names.get("real_name") or profile.get("real_name") or profile.get("name", "")
    first = names.get("first_name") or full.split(" ")[0]
    return first, full


def _conversation_id(body: dict[str, Any]) -> int:
    return _button_number(body, "a conversation")


def _reply_id(body: dict[str, Any]) -> int:
    return _button_number(body, "a reply")


def _button_number(body: dict[str, Any], what: str) -> int:
    """The id a button carries as its value."""
    value = body["actions"][0].get("value", "")
    if not value.isdigit():
        raise ActionRefused(f"This button is not linked to {what}.")
    return int(value)


def _user(body: dict[str, Any]) -> str:
    return body["user"]["id"]
