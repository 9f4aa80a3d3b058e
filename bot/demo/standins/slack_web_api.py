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

import json
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlparse

from bot.demo.standins.common import LocalServer, QuietHandler, wait_for
from bot.demo.standins.slack_socket_mode import SocketModeStandIn
from bot.demo.standins.slack_web_chat import ChatMethods
from bot.demo.standins.slack_web_model import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    NEEDED_SCOPES,
    REFUSED_SCOPES,
    Call,
    Channel,
    Fault,
    Message,
    SlackError,
)
from bot.demo.standins.slack_web_state import TRIGGER_LIFETIME, WorkspaceState
from bot.demo.standins.slack_web_views import ViewAndDirectoryMethods
from bot.slack_scopes import bot_scopes

__all__ = [  # what the tests, the benchmarks and the demo take from here
    "APP_ID", "BOT_ID", "BOT_USER_ID", "NEEDED_SCOPES", "REFUSED_SCOPES", "TRIGGER_LIFETIME", "Call", "Channel",
    "Message", "SlackError", "SlackStandIn",
]

JSON_ARGS = ("blocks", "view", "attachments", "metadata", "users", "files")


class SlackStandIn(ChatMethods, ViewAndDirectoryMethods, LocalServer):
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
        WorkspaceState.__init__(self, channels, team_id, team_domain, users,
                                list(bot_scopes() if scopes is None else scopes))
        self.token = token
        self.app_token = app_token
        """The app-level token (xapp-...) that may open Socket Mode links, answered from ``socket_mode``."""
        self.socket_mode = SocketModeStandIn() if app_token else None
        self.post_rate_per_channel = post_rate_per_channel
        self.burst = burst
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []
        self._faults: list[Fault] = []
        self._delays: dict[str, float] = {}
        self._buckets: dict[str, tuple[float, float]] = {}
        self._listeners: list[Callable[[Call], None]] = []
        LocalServer.__init__(self, _handler_for(self))
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
            self._faults.append(Fault(method, error, status, retry_after, count, channel, lose_response))

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
