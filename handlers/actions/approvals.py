"""Approve, Edit and Reject under a draft reply waiting for approval."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.desk import Desk
from bot.domain.reply_text import reply_target
from bot.platforms import input_limit
from bot.slack_ui.approvals import APPROVE_REPLY, EDIT_DRAFT, REJECT_REPLY, approve_edit_modal
from handlers.answering import act, refusals_to
from handlers.slack_input import clicked_number, user_of


def register(app: App, desk: Desk) -> None:
    @app.action(APPROVE_REPLY)
    def approve_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        act(ack, respond, lambda: desk.approve(_reply_id(body), user_of(body)))

    @app.action(REJECT_REPLY)
    def reject_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        act(ack, respond, lambda: desk.reject(_reply_id(body), user_of(body)))

    @app.action(EDIT_DRAFT)
    def edit_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        with refusals_to(respond):
            reply = desk.get_reply(_reply_id(body))
            conversation = desk.get(reply.conversation_id)
            desk.require_for(user_of(body), conversation, "approve")
            platform = desk.platform(conversation.source_id)
            view = approve_edit_modal(conversation, reply, input_limit(platform, reply_target(conversation)))
            client.views_open(trigger_id=body["trigger_id"], view=view)


def _reply_id(body: dict[str, Any]) -> int:
    return clicked_number(body, "a reply")
