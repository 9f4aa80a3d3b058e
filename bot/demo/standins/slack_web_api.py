"""A local stand-in for the Slack Web API, for the offline demo and the tests.

It answers the methods the bot uses the way Slack does (response shapes, ``ok: false`` error
names, HTTP 429 with ``Retry-After``), enforces Block Kit limits, records every call, and keeps
channel state (messages, threads, edits, modals) so a pretend user can click what the bot posted.

Like Slack it grants the token only its scopes (by default the manifest's) and answers
``missing_scope`` for any method they do not cover, and it knows which channels the bot is in and
which are archived or private (``set_channel``, ``delete_channel``): ``not_in_channel``,
``is_archived`` and ``channel_not_found`` come where Slack sends them.
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlparse

from bot.demo.standins.common import LocalServer, QuietHandler, wait_for
from bot.demo.standins.slack_socket_mode import SocketModeStandIn
from bot.slack_limits import message_refusal, text_units, view_errors  # noqa: F401 - text_units for callers
from bot.slack_scopes import bot_scopes

BOT_USER_ID = "U0BOT0001"
BOT_ID = "B0BOT0001"
APP_ID = "A0APP0001"
JSON_ARGS = ("blocks", "view", "attachments", "metadata", "users", "files")
TRIGGER_LIFETIME = 3.0

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
class _Fault:
    method: str
    error: str | None
    status: int
    retry_after: int | None
    remaining: int
    channel: str | None
    lose_response: bool = False
    """Carry the call out, then answer with the error: Slack did it but the caller never heard."""


class SlackStandIn(LocalServer):
    def __init__(
        self,
        token: str = "xoxb-test",
        channels: set[str] | None = None,
        team_id: str = "T0TEAM001",
        team_domain: str = "socialdesk-demo",
        post_rate_per_channel: float | None = None,
        burst: int = 3,
        users: dict[str, str] | None = None,
        scopes: set[str] | list[str] | None = None,
        app_token: str | None = None,
    ) -> None:
        self.token = token
        self.scopes = list(bot_scopes() if scopes is None else scopes)
        """The token's scopes; by default exactly what the bot's manifest asks for."""
        self.app_token = app_token
        """The app-level token (xapp-...) that may open Socket Mode links, answered from ``socket_mode``."""
        self.socket_mode = SocketModeStandIn() if app_token else None
        self.users = users or {}
        self.usergroups: dict[str, list[str]] = {}
        self.usergroup_handles: dict[str, str] = {}
        self.channels = channels
        self.channel_state: dict[str, Channel] = {}
        """Channels set up by ``set_channel``; any other known channel is public, with the bot in it."""
        self.team_id = team_id
        self.team_domain = team_domain
        self.post_rate_per_channel = post_rate_per_channel
        self.burst = burst
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []
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
        self._faults: list[_Fault] = []
        self._delays: dict[str, float] = {}
        self._buckets: dict[str, tuple[float, float]] = {}
        self._listeners: list[Callable[[Call], None]] = []
        self._ts_counter = itertools.count(1)
        self._view_counter = itertools.count(1)
        super().__init__(_handler_for(self))
        self.base_url = f"{self.url}/api/"

    def start(self) -> SlackStandIn:
        if self.socket_mode is not None:
            self.socket_mode.start()
        return super().start()

    def stop(self) -> None:
        super().stop()
        if self.socket_mode is not None:
            self.socket_mode.stop()

    # -- test controls ------------------------------------------------------------------------

    def fail_next(self, method: str, *, error: str | None = None, status: int = 200,
                  retry_after: int | None = None, count: int = 1, channel: str | None = None,
                  lose_response: bool = False) -> None:
        with self._lock:
            self._faults.append(_Fault(method, error, status, retry_after, count, channel, lose_response))

    def set_channel(self, channel: str, *, name: str | None = None, private: bool = False, member: bool = True,
                    archived: bool = False) -> None:
        with self._lock:
            if self.channels is not None:
                self.channels.add(channel)
            self.channel_state[channel] = Channel(channel, name or channel.lower(), private, member, archived)

    def delete_channel(self, channel: str) -> None:
        with self._lock:
            if self.channels is not None:
                self.channels.discard(channel)
            self.channel_state.pop(channel, None)

    def _channel(self, channel: str) -> Channel:
        return self.channel_state.get(channel) or Channel(channel, channel.lower())

    def set_delay(self, method: str, seconds: float) -> None:
        self._delays[method] = seconds

    def on_call(self, callback: Callable[[Call], None]) -> None:
        self._listeners.append(callback)

    def issue_trigger(self, user_id: str) -> str:
        trigger = f"{int(time.time() * 1000)}.{secrets.randbelow(10**10):010d}.{secrets.token_hex(16)}"
        with self._lock:
            self._triggers[trigger] = (user_id, time.monotonic(), False)
        return trigger

    def new_response_url(self) -> str:
        return f"{self.url}/response_url/{secrets.token_hex(8)}"

    # -- reading state ------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    def messages(self, channel: str) -> list[Message]:
        with self._lock:
            return list(self._top[channel])

    def thread(self, channel: str, thread_ts: str) -> list[Message]:
        with self._lock:
            return list(self._threads[(channel, thread_ts)])

    def message(self, channel: str, ts: str) -> Message:
        with self._lock:
            return self._by_ts[(channel, ts)]

    def view_for_user(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self._user_modal.get(user_id)
            return self.views.get(view_id) if view_id else None

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        with self._lock:
            view_id = self._home.get(user_id)
            return self.views.get(view_id) if view_id else None

    wait_for = staticmethod(wait_for)

    # -- answering ----------------------------------------------------------------------------

    def handle(self, method: str, args: dict[str, Any], auth: str | None) -> tuple[int, dict[str, Any], dict[str, str]]:
        if method in self._delays:
            time.sleep(self._delays[method])
        headers: dict[str, str] = {}
        try:
            handler = getattr(self, "_m_" + method.replace(".", "_"), None)
            if handler is None:
                raise SlackError("unknown_method", status=404)
            self._check_token(method, args, auth)
            if method != "apps.connections.open":
                headers["x-oauth-scopes"] = ",".join(self.scopes)  # as Slack does on every call a bot token made
            self._check_scope(method, args)
            lost = self._inject_fault(method, args)
            with self._lock:
                status, body = 200, {"ok": True, **handler(args)}
            if lost is not None:
                raise lost
        except SlackError as error:
            status, body = error.status, {"ok": False, "error": error.error, **error.extra}
            if "retry_after" in error.extra:
                headers["Retry-After"] = str(body.pop("retry_after"))
            if error.error == "missing_scope":
                REFUSED_SCOPES.append((method, str(error.extra.get("needed"))))
        call = Call(method, args, status, body, time.monotonic())
        with self._lock:
            self.calls.append(call)
        for listener in self._listeners:
            listener(call)
        return status, body, headers

    def record_response(self, token: str, body: dict[str, Any]) -> None:
        with self._lock:
            self.responses.append({**body, "url_token": token})

    def _check_token(self, method: str, args: dict[str, Any], auth: str | None) -> None:
        given = auth.removeprefix("Bearer ").strip() if auth else args.get("token")
        if not given:
            raise SlackError("not_authed")
        if given not in (self.token, self.app_token):
            raise SlackError("invalid_auth")
        # Only an app-level token opens Socket Mode links, and it is good for nothing else.
        if (given == self.app_token) != (method == "apps.connections.open"):
            raise SlackError("not_allowed_token_type")

    def _check_scope(self, method: str, args: dict[str, Any]) -> None:
        need = NEEDED_SCOPES.get(method)
        if isinstance(need, dict):
            channel = str(args.get("channel") or "")
            kind = "im" if channel.startswith("D") else "private" if self._channel(channel).private else "public"
            need = need[kind]
        if need is not None and need not in self.scopes:
            raise SlackError("missing_scope", needed=need, provided=",".join(self.scopes))

    def _inject_fault(self, method: str, args: dict[str, Any]) -> SlackError | None:
        """Raise the fault due for this call; a fault that loses the response is returned instead."""
        with self._lock:
            for fault in self._faults:
                if fault.method == method and fault.remaining > 0 and fault.channel in (None, args.get("channel")):
                    fault.remaining -= 1
                    if fault.lose_response:
                        return SlackError(fault.error or "internal_error", status=fault.status)
                    if fault.status == 429:
                        raise SlackError("ratelimited", status=429, retry_after=fault.retry_after or 1)
                    raise SlackError(fault.error or "internal_error", status=fault.status)
            if method == "chat.postMessage" and self.post_rate_per_channel:
                self._take_token(str(args.get("channel")))
        return None

    def _take_token(self, channel: str) -> None:
        rate = self.post_rate_per_channel or 1.0
        now = time.monotonic()
        tokens, last = self._buckets.get(channel, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * rate)
        if tokens < 1:
            self._buckets[channel] = (tokens, now)
            raise SlackError("ratelimited", status=429, retry_after=max(1, int((1 - tokens) / rate + 0.999)))
        self._buckets[channel] = (tokens - 1, now)

    # -- methods ------------------------------------------------------------------------------

    def _m_apps_connections_open(self, _args: dict[str, Any]) -> dict[str, Any]:
        assert self.socket_mode is not None  # only an app token gets here
        return {"url": self.socket_mode.new_url()}

    def _m_auth_test(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"https://{self.team_domain}.slack.com/", "team": "Socialdesk Demo", "user": "socialdesk",
                "team_id": self.team_id, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(args)
        text, blocks = self._content(args)
        ts = self._next_ts()
        thread_ts = args.get("thread_ts") or None
        message = Message(channel, ts, text, blocks, thread_ts if (channel, str(thread_ts)) in self._by_ts else None)
        metadata = args.get("metadata")
        if metadata is not None:
            if not isinstance(metadata, dict) or not isinstance(metadata.get("event_type"), str) \
                    or not isinstance(metadata.get("event_payload"), dict):
                raise SlackError("invalid_metadata_format")
            message.metadata = metadata
        self._by_ts[(channel, ts)] = message
        if message.thread_ts:
            self._threads[(channel, message.thread_ts)].append(message)
        if not message.thread_ts or str(args.get("reply_broadcast", "")).lower() in ("1", "true"):
            self._top[channel].append(message)
        return {"channel": channel, "ts": ts, "message": message.to_payload()}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(args)
        message = self._by_ts.get((channel, str(args.get("ts"))))
        if message is None:
            raise SlackError("message_not_found")
        text, blocks = self._content(args)
        message.edits.append({"text": message.text, "blocks": message.blocks})
        message.text, message.blocks = text, blocks
        return {"channel": channel, "ts": message.ts, "text": text, "message": message.to_payload()}

    def _m_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(args)
        message = self._by_ts.pop((channel, str(args.get("ts"))), None)
        if message is None:
            raise SlackError("message_not_found")
        for container in (self._threads[(channel, message.thread_ts)] if message.thread_ts else [], self._top[channel]):
            if message in container:
                container.remove(message)
        return {"channel": channel, "ts": message.ts}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(args)
        if not args.get("user"):
            raise SlackError("user_not_in_channel")
        text, blocks = self._content(args)
        self.ephemerals.append({"channel": channel, "user": args["user"], "text": text, "blocks": blocks,
                                "thread_ts": args.get("thread_ts")})
        return {"message_ts": self._next_ts()}

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._known_channel(args)
        message = self._by_ts.get((channel, str(args.get("message_ts"))))
        if message is None:
            raise SlackError("message_not_found")
        permalink = f"https://{self.team_domain}.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
        if message.thread_ts:
            permalink += f"?thread_ts={message.thread_ts}&cid={channel}"
        return {"channel": channel, "permalink": permalink}

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = args.get("users")
        users = users.split(",") if isinstance(users, str) else users
        if not users:
            raise SlackError("users_list_not_supplied")
        channel = "D" + "".join(sorted(users))[1:10].upper()
        if self.channels is not None:
            self.channels.add(channel)
        return {"channel": {"id": channel}}

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._readable(args)
        newest_first = [m for m in reversed(self._top[channel]) if _within(m.ts, args)]
        return self._page(newest_first, args, default_limit=100, most=999)

    def _m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._readable(args)
        parent = self._by_ts.get((channel, str(args.get("ts"))))
        if parent is None:
            raise SlackError("thread_not_found")
        thread = [m for m in [parent] + self._threads[(channel, parent.ts)] if m is parent or _within(m.ts, args)]
        return self._page(thread, args, default_limit=1000, most=1000)

    @staticmethod
    def _page(messages: list[Message], args: dict[str, Any], default_limit: int, most: int) -> dict[str, Any]:
        """One page of a listing, as Slack hands them out: ``limit`` at a time, then a cursor."""
        try:
            limit = int(args.get("limit") or default_limit)
        except ValueError:
            raise SlackError("invalid_limit") from None
        limit = max(1, min(limit, most))
        start = 0
        cursor = str(args.get("cursor") or "")
        if cursor:
            try:
                start = int(base64.b64decode(cursor).decode().removeprefix("next_offset:"))
            except (ValueError, UnicodeDecodeError):
                raise SlackError("invalid_cursor") from None
        chosen = messages[start:start + limit]
        more = start + limit < len(messages)
        metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        next_cursor = base64.b64encode(f"next_offset:{start + limit}".encode()).decode() if more else ""
        return {"messages": [m.in_history(metadata) for m in chosen], "has_more": more,
                "response_metadata": {"next_cursor": next_cursor}}

    def _m_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._known_channel(args)
        if channel.startswith("D"):
            return {"channel": {"id": channel, "is_im": True, "is_member": True, "is_archived": False}}
        state = self._channel(channel)
        if state.private and not state.member:
            raise SlackError("channel_not_found")
        return {"channel": {"id": channel, "name": state.name, "is_channel": True, "is_private": state.private,
                            "is_member": state.member, "is_archived": state.archived}}

    def _m_usergroups_list(self, _args: dict[str, Any]) -> dict[str, Any]:
        groups = [{"id": group, "team_id": self.team_id, "is_usergroup": True,
                   "handle": self.usergroup_handles.get(group, group.lower()), "name": group, "date_delete": 0}
                  for group in self.usergroups]
        return {"usergroups": groups}

    def _m_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = str(args.get("usergroup", ""))
        if group not in self.usergroups:
            raise SlackError("no_such_subteam")
        return {"users": list(self.usergroups[group])}

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user", ""))
        if user[:1] not in ("U", "W"):
            raise SlackError("user_not_found")
        real_name = self.users.get(user, user.lower())
        name = real_name.split(" ")[0].lower()
        profile = {"display_name": name, "real_name": real_name, "first_name": real_name.split(" ")[0]}
        return {"user": {"id": user, "team_id": self.team_id, "name": name, "real_name": real_name, "profile": profile}}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            raise SlackError("invalid_arguments")
        file_id = f"F{next(self._view_counter):010d}"
        self._uploads[file_id] = {"filename": args["filename"], "length": int(args["length"]), "data": None}
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        with self._lock:
            upload = self._uploads.get(file_id)
            if upload is None:
                return False
            upload["data"] = data
            return True

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        completed = []
        for entry in args.get("files") or []:
            upload = self._uploads.get(entry.get("id", ""))
            if upload is None or upload["data"] is None:
                raise SlackError("file_not_found")
            if len(upload["data"]) != upload["length"]:
                raise SlackError("file_upload_size_mismatch")
            completed.append({"id": entry["id"], "name": upload["filename"], "title": entry.get("title") or upload["filename"]})
        channel = args.get("channel_id")
        if channel:
            self._postable({"channel": channel})
            thread_ts = args.get("thread_ts") or None
            message = Message(channel, self._next_ts(), str(args.get("initial_comment") or ""), None,
                              thread_ts if (channel, str(thread_ts)) in self._by_ts else None)
            self._by_ts[(channel, message.ts)] = message
            (self._threads[(channel, message.thread_ts)] if message.thread_ts else self._top[channel]).append(message)
            for file in completed:
                self.files[file["id"]] = {**file, **self._uploads[file["id"]], "channel": channel, "thread_ts": thread_ts}
        return {"files": completed}

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self._use_trigger(args)
        view = self._store_view(args.get("view"), modal=True)
        self._user_modal[user] = view["id"]
        return {"view": view}

    def _m_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._m_views_open(args)

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id = args.get("view_id") or next(
            (vid for vid, v in self.views.items() if args.get("external_id") and v.get("external_id") == args["external_id"]),
            None,
        )
        if view_id not in self.views:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != self.views[view_id]["hash"]:
            raise SlackError("hash_conflict")
        view = self._store_view(args.get("view"), modal=True, view_id=view_id)
        return {"view": view}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("user_id", ""))
        if not user:
            raise SlackError("invalid_arguments")
        view = self._store_view(args.get("view"), modal=False, view_id=self._home.get(user))
        self._home[user] = view["id"]
        return {"view": view}

    # -- helpers ------------------------------------------------------------------------------

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


def _within(ts: str, args: dict[str, Any]) -> bool:
    """Slack's ``oldest`` and ``latest`` bounds, exclusive unless ``inclusive`` is set."""
    inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
    oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")
    value = float(ts)
    return (oldest <= value <= latest) if inclusive else (oldest < value < latest)


def _handler_for(stand_in: SlackStandIn) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            path = urlparse(self.path)
            raw = self.read_body()
            if path.path.startswith("/upload/"):
                ok = stand_in.receive_upload(path.path.rsplit("/", 1)[1], raw)
                return self.write(200 if ok else 404, f"OK - {len(raw)}".encode(), "text/plain")
            if path.path.startswith("/response_url/"):
                stand_in.record_response(path.path.rsplit("/", 1)[1], json.loads(raw or b"{}"))
                return self._json(200, {"ok": True}, {})
            if not path.path.startswith("/api/"):
                return self._json(404, {"ok": False, "error": "unknown_method"}, {})
            args = _decode_args(path.query, raw, self.headers.get("Content-Type", ""))
            status, body, headers = stand_in.handle(path.path[len("/api/"):], args, self.headers.get("Authorization"))
            if status >= 500:
                # Slack's edge answers outages with an HTML page, not JSON.
                return self.write(status, b"<html><body><h1>503 Service Unavailable</h1></body></html>", "text/html")
            self._json(status, body, headers)

        def _json(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            self.write(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)

    return Handler


def _decode_args(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query))
    if "application/json" in content_type and raw:
        args.update(json.loads(raw))
    elif raw:
        args.update(dict(parse_qsl(raw.decode())))
        for key in JSON_ARGS:
            if isinstance(args.get(key), str) and args[key][:1] in "[{":
                args[key] = json.loads(args[key])
    return args
