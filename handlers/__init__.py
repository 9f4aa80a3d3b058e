"""Slack listeners and inbound HTTP endpoints: they translate requests into calls of the desk."""

from slack_bolt import App

from bot.domain import Desk
from handlers import actions, commands, events, shortcuts, views


def register_listeners(app: App, desk: Desk) -> None:
    actions.register(app, desk)
    views.register(app, desk)
    commands.register(app, desk)
    events.register(app, desk)
    shortcuts.register(app, desk)
