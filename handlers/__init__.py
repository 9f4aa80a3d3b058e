"""Slack listeners and inbound HTTP endpoints: they translate requests into calls of the desk."""

from slack_bolt import App

from bot.domain import Desk
from bot.domain.ledger import RequestLedger
from handlers import actions, commands, events, guard, shortcuts, views, whole_message


def register_listeners(app: App, desk: Desk, ledger: RequestLedger) -> None:
    guard.register(app, desk, ledger)
    # Bolt tries the listeners in this order, and each try builds every argument a listener could ask for:
    # the most frequent requests come first (every message in a brand channel is an event; then commands).
    events.register(app, desk)
    commands.register(app, desk)
    actions.register(app, desk)
    views.register(app, desk)
    shortcuts.register(app, desk)
    whole_message.register(app, desk)
