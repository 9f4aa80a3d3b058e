"""Moderation a platform allows on a customer's comment, behind one small interface."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from bot.platforms import PlatformClient

PLATFORM_METHODS = {"hide": "hide", "unhide": "unhide", "delete": "delete", "block": "block_author",
                    "dismiss": "dismiss"}
"""Actions carried out on the platform, and the client method that does each."""

ACTIONS_BY_KIND = {
    "comment": ("hide", "unhide", "delete", "block"),
    "mention": ("dismiss",),
    "dm": ("dismiss",),
}
"""What each kind of conversation can have done to it, where the client can do it (Mastodon
dismisses the notification of a mention or a direct message)."""


def supported(platform: PlatformClient, kind: str) -> list[str]:
    """What can be done to a conversation of this kind: the platform's actions where the client has
    them, and marking as spam (the desk files it away; the comment is hidden where the platform can)."""
    actions = [action for action in ACTIONS_BY_KIND.get(kind, ())
               if callable(getattr(platform, PLATFORM_METHODS[action], None))]
    return actions + ["spam"]


def perform(platform: PlatformClient, action: str, comment_id: str, platform_name: str) -> None:
    """Carry out the action on the platform; raises the client's PlatformError when refused."""
    method: Callable[..., Any] = getattr(platform, PLATFORM_METHODS[action])
    if "instagram" in inspect.signature(method).parameters:
        method(comment_id, instagram=platform_name == "Instagram")
    else:
        method(comment_id)
