"""Events API listeners."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import rendering
from bot.domain import Desk


def register(app: App, desk: Desk) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        client.views_publish(user_id=user, view=rendering.home_view(desk.home(user), desk.config))

    @app.event("message")
    def thread_chatter_stays_internal() -> None:
        # Teammates talking in a conversation's thread is internal by design: only Reply reaches
        # the customer. Acknowledging (instead of a 404) keeps Slack from retrying the event.
        return None
