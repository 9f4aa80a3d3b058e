"""Clicks on buttons and menus (block_actions), one module per feature. The whole-message buttons
(whole_message.py) are registered last, after the modals: see handlers/__init__.py."""

from slack_bolt import App

from bot.domain.desk import Desk
from handlers.actions import approvals, conversation, replies, search


def register(app: App, desk: Desk) -> None:
    conversation.register(app, desk)
    replies.register(app, desk)
    approvals.register(app, desk)
    search.register(app, desk)
