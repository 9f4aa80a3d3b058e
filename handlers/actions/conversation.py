"""The buttons and the moderation menu under a conversation's parent message (Reply: replies.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.desk import Desk
from bot.domain.outcomes import ActionRefused
from bot.slack_ui import thread_parent as parent
from bot.slack_ui.assign_modal import assign_modal
from bot.slack_ui.escalate_modal import escalate_modal
from bot.slack_ui.snooze_modal import SNOOZE_MENU, menu_choice, snooze_modal
from handlers.answering import act, refusals_to
from handlers.slack_input import clicked_number, user_of


def register(app: App, desk: Desk) -> None:
    @app.action(parent.ASSIGN)
    def assign_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        with refusals_to(respond):
            conversation = desk.head(_conversation_id(body))
            desk.require_for(user_of(body), conversation, "assign")
            client.views_open(trigger_id=body["trigger_id"], view=assign_modal(conversation, user_of(body)))

    @app.action(parent.ESCALATE)
    def escalate_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        with refusals_to(respond):
            conversation = desk.head(_conversation_id(body))
            desk.require_for(user_of(body), conversation, "escalate")
            client.views_open(trigger_id=body["trigger_id"], view=escalate_modal(conversation, desk.config))

    @app.action(parent.RESOLVE)
    def resolve_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        act(ack, respond, lambda: desk.resolve(_conversation_id(body), user_of(body)))

    @app.action(parent.MODERATE)
    def moderation_picked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        action, conversation = parent.moderation_choice(
            (body["actions"][0].get("selected_option") or {}).get("value", ""))
        if conversation is None:
            ack()
            respond(text="This menu is not linked to a conversation.", response_type="ephemeral",
                    replace_original=False)
            return
        act(ack, respond, lambda: desk.moderate(conversation, user_of(body), action))

    @app.action(SNOOZE_MENU)
    def snooze_picked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        what, conversation_id = menu_choice((body["actions"][0].get("selected_option") or {}).get("value", ""))
        if what == "unsnooze" and conversation_id is not None:
            act(ack, respond, lambda: desk.unsnooze(conversation_id, user_of(body)))
            return
        ack()
        with refusals_to(respond):
            if what != "snooze" or conversation_id is None:
                raise ActionRefused("This menu is not linked to a conversation.")
            conversation = desk.head(conversation_id)
            desk.require_for(user_of(body), conversation, "snooze")
            zone = desk.config.brands[conversation.brand_id].zone.key
            client.views_open(trigger_id=body["trigger_id"], view=snooze_modal(conversation, zone))

    @app.action(parent.NOT_URGENT)
    def not_urgent_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        act(ack, respond, lambda: desk.correct_priority(_conversation_id(body), user_of(body), "normal"))

    @app.action(parent.REOPEN)
    def reopen_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        act(ack, respond, lambda: desk.reopen(_conversation_id(body), user_of(body)))


def _conversation_id(body: dict[str, Any]) -> int:
    return clicked_number(body, "a conversation")
