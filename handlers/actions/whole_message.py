"""The "Show the whole message" button under customer text that had to be cut, and its pages."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.desk import Desk
from bot.domain.outcomes import ActionRefused
from bot.slack_ui.whole_message import PAGE_TURN, SHOW_MESSAGE, page_choice, whole_message_modal
from bot.slack_ui import outcome_text


def register(app: App, desk: Desk) -> None:
    @app.action(SHOW_MESSAGE)
    def show_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        try:
            conversation, message = desk.customer_message(_number(body["actions"][0].get("value", "")))
            desk.require_for(user, conversation, "view")
        except ActionRefused as refusal:
            if body.get("view") is None:
                respond(text=outcome_text.refusal(refusal), response_type="ephemeral", replace_original=False)
            return
        view = whole_message_modal(conversation, message)
        if body.get("view") is not None:  # from inside the Reply modal: on top of it
            client.views_push(trigger_id=body["trigger_id"], view=view)
        else:
            client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(PAGE_TURN)
    def page_turned(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        message_id, page = page_choice(str(body["actions"][0].get("value", "")))
        try:
            conversation, message = desk.customer_message(_number(message_id))
            desk.require_for(body["user"]["id"], conversation, "view")
            shown = whole_message_modal(conversation, message, _number(page))
        except ActionRefused:
            return
        view = body["view"]
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=shown)


def _number(value: str) -> int:
    if not value.isdigit():
        raise ActionRefused("This button is not linked to a message.")
    return int(value)
