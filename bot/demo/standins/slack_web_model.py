"""What the Slack Web API stand-in knows: its ids, the scope each method needs, calls, messages, channels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BOT_USER_ID = "U0BOT0001"
BOT_ID = "B0BOT0001"
APP_ID = "A0APP0001"

# What Slack's method reference asks of a bot token, kept apart from the bot's own table
# (bot/slack_scopes.py) so that a scope missing there shows up here as missing_scope.
# A method that reads a conversation needs the scope for that kind of conversation.
NEEDED_SCOPES: dict[str, str | dict[str, str] | None] = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.getPermalink": None,
    "conversations.open": "im:write",
    "conversations.history": {"public": "channels:history", "private": "groups:history", "im": "im:history"},
    "conversations.replies": {"public": "channels:history", "private": "groups:history", "im": "im:history"},
    "conversations.info": {"public": "channels:read", "private": "groups:read", "im": "im:read"},
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "users.info": "users:read",
    "usergroups.list": "usergroups:read",
    "usergroups.users.list": "usergroups:read",
    "views.open": None,
    "views.push": None,
    "views.update": None,
    "views.publish": None,
}
REFUSED_SCOPES: list[tuple[str, str]] = []
"""(method, needed scope) of every missing_scope answer in this process, for the test run's guard."""


class SlackError(Exception):
    def __init__(self, error: str, status: int = 200, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.extra = extra


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    http_status: int
    response: dict[str, Any]
    at: float


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] | None
    thread_ts: str | None = None
    user: str = BOT_USER_ID
    edits: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None

    def to_payload(self) -> dict[str, Any]:
        """The message as Slack embeds it in an interactivity payload."""
        payload: dict[str, Any] = {
            "type": "message", "subtype": "bot_message", "user": self.user, "bot_id": BOT_ID, "app_id": APP_ID,
            "text": self.text, "ts": self.ts, "team": "T0TEAM001",
        }
        if self.blocks is not None:
            payload["blocks"] = self.blocks
        if self.thread_ts:
            payload["thread_ts"] = self.thread_ts
        return payload

    def in_history(self, include_metadata: bool) -> dict[str, Any]:
        """The message as conversations.history and conversations.replies list it."""
        payload = self.to_payload()
        if include_metadata and self.metadata is not None:
            payload["metadata"] = self.metadata
        return payload


@dataclass
class Channel:
    """What Slack knows of a channel that decides whether the bot may read or post there."""

    id: str
    name: str
    private: bool = False
    member: bool = True
    archived: bool = False


@dataclass
class Fault:
    method: str
    error: str | None
    status: int
    retry_after: int | None
    remaining: int
    channel: str | None
    lose_response: bool = False
    """Carry the call out, then answer with the error: Slack did it but the caller never heard."""
