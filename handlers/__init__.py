"""Slack listeners, one module per kind of request: they translate requests into calls of the desk.
The web routes that carry them (and the platforms' webhooks) are in ``handlers.web``."""

from slack_bolt import App

from bot.domain.desk import Desk
from bot.domain.ledger import RequestLedger
from handlers import actions, commands, events, guard, home, shortcuts, views
from handlers.actions import whole_message


def register_listeners(app: App, desk: Desk, ledger: RequestLedger) -> None:
    guard.register(app, desk, ledger)
    # Bolt tries the listeners in this order, and each try builds every argument a listener could ask for:
    # the most frequent requests come first (every message in a brand channel is an event; then commands).
    home.register(app, desk)
    events.register(app, desk)
    commands.register(app, desk)
    actions.register(app, desk)
    views.register(app, desk)
    shortcuts.register(app, desk)
    whole_message.register(app, desk)
