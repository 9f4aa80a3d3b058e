"""Events API listeners (App Home: home.py)."""

from __future__ import annotations

from slack_bolt import App

from bot.domain.desk import Desk

IGNORED_EVENTS = frozenset({"message"})
"""Events the bot acknowledges and does nothing with: the guard lets them through without the replay
check (done twice, they still change nothing)."""


def register(app: App, desk: Desk) -> None:
    @app.event("message")
    def thread_chatter_stays_internal() -> None:
        # Teammates talking in a conversation's thread is internal by design: only Reply reaches
        # the customer. Acknowledging (instead of a 404) keeps Slack from retrying the event.
        return None
