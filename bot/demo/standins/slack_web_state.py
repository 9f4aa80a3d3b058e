"""The workspace the Slack Web API stand-in keeps, and the checks Slack makes before a method acts on it."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections import defaultdict
from typing import Any

from bot.demo.standins.slack_web_model import APP_ID, BOT_ID, Channel, Message, SlackError
from bot.slack_limits import message_refusal, view_errors

TRIGGER_LIFETIME = 3.0


class WorkspaceState:
    """Channels, messages, views, users and uploads; every method answers while holding ``_lock``."""

    url: str
    """The stand-in's own base URL (uploads go there)."""

    def __init__(self, channels: set[str] | None, team_id: str, team_domain: str, users: dict[str, str] | None,
                 scopes: list[str]) -> None:
        self.scopes = scopes
        """The token's scopes; by default exactly what the bot's manifest asks for."""
        self.users = users or {}
        self.usergroups: dict[str, list[str]] = {}
        self.usergroup_handles: dict[str, str] = {}
        self.channels = channels
        self.channel_state: dict[str, Channel] = {}
        """Channels set up by ``set_channel``; any other known channel is public, with the bot in it."""
        self.team_id = team_id
        self.team_domain = team_domain
        self.ephemerals: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._top: dict[str, list[Message]] = defaultdict(list)
        self._threads: dict[tuple[str, str], list[Message]] = defaultdict(list)
        self._by_ts: dict[tuple[str, str], Message] = {}
        self._user_modal: dict[str, str] = {}
        self._home: dict[str, str] = {}
        self._triggers: dict[str, tuple[str, float, bool]] = {}
        self._ts_counter = itertools.count(1)
        self._view_counter = itertools.count(1)

    def _channel(self, channel: str) -> Channel:
        return self.channel_state.get(channel) or Channel(channel, channel.lower())

    def _known_channel(self, args: dict[str, Any]) -> str:
        channel = str(args.get("channel") or "")
        if not channel or (self.channels is not None and channel not in self.channels and not channel.startswith("D")):
            raise SlackError("channel_not_found")
        return channel

    def _postable(self, args: dict[str, Any]) -> str:
        """A channel the bot may post in, or the error Slack gives."""
        channel = self._known_channel(args)
        if channel.startswith("D"):
            return channel
        state = self._channel(channel)
        if state.private and not state.member:
            raise SlackError("channel_not_found")
        if state.archived:
            raise SlackError("is_archived")
        if not state.member and "chat:write.public" not in self.scopes:
            raise SlackError("not_in_channel")
        return channel

    def _readable(self, args: dict[str, Any]) -> str:
        """A channel whose history the bot may read: only one it is a member of."""
        channel = self._known_channel(args)
        state = self._channel(channel)
        if not channel.startswith("D") and not state.member:
            raise SlackError("channel_not_found" if state.private else "not_in_channel")
        return channel

    def _content(self, args: dict[str, Any]) -> tuple[str, list[dict[str, Any]] | None]:
        text = str(args.get("text") or "")
        blocks = args.get("blocks")
        if not text and not blocks:
            raise SlackError("no_text")
        refusal = message_refusal(text, blocks)
        if refusal is not None:
            error, details = refusal
            raise SlackError(error, errors=details) if error == "invalid_blocks" else SlackError(error)
        return text, blocks

    def _use_trigger(self, args: dict[str, Any]) -> str:
        trigger = str(args.get("trigger_id") or "")
        if trigger not in self._triggers:
            raise SlackError("invalid_trigger_id")
        user, issued, used = self._triggers[trigger]
        if used:
            raise SlackError("exchanged_trigger_id")
        if time.monotonic() - issued > TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        self._triggers[trigger] = (user, issued, True)
        return user

    def _store_view(self, view: Any, modal: bool, view_id: str | None = None) -> dict[str, Any]:
        if not isinstance(view, dict):
            raise SlackError("invalid_arguments")
        errors = view_errors(view, modal)
        if errors:
            raise SlackError("invalid_arguments", response_metadata={"messages": [f"[ERROR] {e}" for e in errors]})
        view_id = view_id or f"V{next(self._view_counter):010d}"
        stored = {
            "id": view_id, "team_id": self.team_id, "type": view.get("type"), "title": view.get("title"),
            "submit": view.get("submit"), "close": view.get("close"), "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""), "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""), "state": {"values": {}}, "hash": secrets.token_hex(8),
            "clear_on_close": False, "notify_on_close": False, "root_view_id": view_id, "previous_view_id": None,
            "app_id": APP_ID, "bot_id": BOT_ID,
        }
        self.views[view_id] = stored
        return stored

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts_counter):06d}"
