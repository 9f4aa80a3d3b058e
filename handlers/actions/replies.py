"""Reply under a conversation, a canned reply picked in the Reply modal, and Retry under a failed reply."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.domain.desk import Desk
from bot.domain.outcomes import ActionRefused
from bot.slack_ui import thread_parent as parent
from bot.slack_ui.reply_modal import TEMPLATE_PICKER, ReplyForm
from bot.slack_ui.thread_notes import RETRY_REPLY
from bot.slack_ui import outcome_text
from handlers.answering import act, refusals_to
from handlers.reply_form import reply_modal_for
from handlers.slack_input import agent_names, clicked_number, user_of


def register(app: App, desk: Desk) -> None:
    @app.action(parent.REPLY)
    def reply_clicked(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        with refusals_to(respond):
            conversation = desk.get(clicked_number(body, "a conversation"))
            desk.require_for(user_of(body), conversation, "reply")
            platform = desk.ensure_can_reply(conversation)
            view = reply_modal_for(desk, conversation, platform, seen_reply_id=desk.latest_reply_id(conversation.id))
            client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(TEMPLATE_PICKER)
    def template_picked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        view = body["view"]
        form = ReplyForm(view)
        conversation = desk.get(form.conversation_id)
        name = body["actions"][0]["selected_option"]["value"]
        first_name, full_name = agent_names(client, user_of(body))
        text, notice = None, None
        try:
            desk.require(user_of(body), conversation.brand_id, "reply")
            text = desk.fill_template(conversation, name, first_name, full_name)
        except ActionRefused as refusal:
            notice = outcome_text.refusal(refusal)
        platform = desk.platform(conversation.source_id)
        updated = reply_modal_for(desk, conversation, platform, text=text, version=form.version + 1, notice=notice,
                                  seen_reply_id=int(form.seen_reply or 0))
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)

    @app.action(RETRY_REPLY)
    def retry_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        act(ack, respond, lambda: desk.retry_reply(clicked_number(body, "a reply"), user_of(body)))
