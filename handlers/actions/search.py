"""App Home's search box: Enter opens a modal with the conversations found."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.desk import Desk
from bot.domain.search import BadSearch
from bot.slack_ui.search_results import SEARCH_ACTION, results_modal, search_answer, search_usage
from handlers.slack_input import user_of


def register(app: App, desk: Desk) -> None:
    @app.action(SEARCH_ACTION)
    def search_entered(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        words = next((action.get("value") or "" for action in body.get("actions", [])
                      if action.get("action_id") == SEARCH_ACTION), "")
        try:
            answer = search_answer(desk.search(user_of(body), words), desk.config)
        except BadSearch as bad:
            answer = search_usage(str(bad), desk.config.slash_command)
        client.views_open(trigger_id=body["trigger_id"], view=results_modal(answer))
