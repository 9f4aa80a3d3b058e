"""Plays Slack's side towards the bot: signed interactivity, slash command and Events API requests.

Payloads are shaped like the ones Slack sends (see the samples in Slack's SDK test suites), and
they are built from what the bot really posted in the Slack stand-in: a click finds its button in
the stored message, a modal submission fills in the stored view's inputs.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx

from bot.demo.standins.slack_web_api import APP_ID, Message, SlackStandIn

_event_ids = itertools.count(1)


class FakeSlack:
    def __init__(self, bot_url: str, signing_secret: str, api: SlackStandIn, team_id: str = "T0TEAM001",
                 api_app_id: str = APP_ID) -> None:
        self.endpoint = bot_url.rstrip("/") + "/slack/events"
        self.api = api
        self.team_id = team_id
        self.api_app_id = api_app_id
        self._secret = signing_secret.encode()
        self.http = httpx.Client(timeout=10)

    # -- what people do -----------------------------------------------------------------------

    def click(self, user_id: str, message: Message, action_id: str, *, value: str | None = None) -> httpx.Response:
        block_id, element = _find_element(message.blocks or [], action_id)
        action = {
            "action_id": action_id, "block_id": block_id, "text": element.get("text"),
            "value": value if value is not None else element.get("value"), "type": element.get("type", "button"),
            "action_ts": f"{time.time():.6f}",
        }
        return self._interact(self._block_actions(user_id, message, action))

    def pick(self, user_id: str, message: Message, action_id: str, value: str) -> httpx.Response:
        """Pick an option of a menu (an overflow) in a message."""
        block_id, element = _find_element(message.blocks or [], action_id)
        action = {"action_id": action_id, "block_id": block_id, "type": element["type"],
                  "selected_option": _option(element, value), "action_ts": f"{time.time():.6f}"}
        return self._interact(self._block_actions(user_id, message, action))

    def choose(self, user_id: str, view: dict[str, Any], action_id: str, value: str,
               typed: dict[str, Any] | None = None) -> httpx.Response:
        """Pick an option of a select inside an open modal (Slack sends the modal's current state)."""
        block_id, element = _find_element(view.get("blocks", []), action_id)
        action = {"action_id": action_id, "block_id": block_id, "type": element["type"],
                  "selected_option": _option(element, value), "action_ts": f"{time.time():.6f}"}
        current = {**view, "state": {"values": state_values(view, typed or {})}}
        payload = {
            "type": "block_actions", "user": self._user(user_id), "api_app_id": self.api_app_id,
            "token": "legacy-verification-token", "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": self.api.issue_trigger(user_id), "team": self._team(), "enterprise": None,
            "is_enterprise_install": False, "view": current, "actions": [action],
        }
        return self._interact(payload)

    def enter(self, user_id: str, view: dict[str, Any], action_id: str, value: str) -> httpx.Response:
        """Type into a view's text input that dispatches its action (App Home's, a modal's) and press Enter."""
        block_id, element = _find_element(view.get("blocks", []), action_id)
        block = next(block for block in view["blocks"] if block.get("block_id") == block_id)
        triggers = (element.get("dispatch_action_config") or {}).get("trigger_actions_on", ["on_enter_pressed"])
        dispatched = block.get("dispatch_action") and "on_enter_pressed" in triggers
        if element["type"] != "plain_text_input" or not dispatched:
            raise ValueError(f"{action_id!r} sends nothing on Enter: it needs dispatch_action and on_enter_pressed")
        if len(value) > element.get("max_length", 3000):
            raise ValueError(f"Slack lets no more than {element['max_length']} characters be typed in {action_id!r}")
        action = {"action_id": action_id, "block_id": block_id, "type": "plain_text_input", "value": value,
                  "action_ts": f"{time.time():.6f}"}
        current = {**view, "state": {"values": state_values(view, {action_id: value})}}
        payload = {
            "type": "block_actions", "user": self._user(user_id), "api_app_id": self.api_app_id,
            "token": "legacy-verification-token", "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": self.api.issue_trigger(user_id), "team": self._team(), "enterprise": None,
            "is_enterprise_install": False, "view": current, "actions": [action],
        }
        return self._interact(payload)

    def message_shortcut(self, user_id: str, message: dict[str, Any], callback_id: str,
                         channel_id: str) -> httpx.Response:
        """A message shortcut on any message (e.g. one a teammate pasted), shaped like Slack's message_action."""
        payload = {
            "type": "message_action", "token": "legacy-verification-token", "action_ts": f"{time.time():.6f}",
            "team": self._team(), "user": self._user(user_id), "channel": {"id": channel_id, "name": "general"},
            "is_enterprise_install": False, "enterprise": None, "callback_id": callback_id,
            "trigger_id": self.api.issue_trigger(user_id), "response_url": self.api.new_response_url(),
            "message_ts": message["ts"], "message": {"type": "message", **message},
        }
        return self._interact(payload)

    def submit(self, user_id: str, view: dict[str, Any], values: dict[str, Any]) -> httpx.Response:
        submitted = {**view, "state": {"values": state_values(view, values)}}
        payload = {
            "type": "view_submission", "team": self._team(), "user": self._user(user_id),
            "api_app_id": self.api_app_id, "token": "legacy-verification-token",
            "trigger_id": self.api.issue_trigger(user_id), "view": submitted, "response_urls": [],
            "is_enterprise_install": False, "enterprise": None,
        }
        return self._interact(payload)

    def close(self, user_id: str, view: dict[str, Any]) -> httpx.Response:
        payload = {"type": "view_closed", "team": self._team(), "user": self._user(user_id),
                   "api_app_id": self.api_app_id, "view": view, "is_cleared": False}
        return self._interact(payload)

    def command(self, user_id: str, command: str, text: str, channel_id: str, *,
                channel_name: str = "general") -> httpx.Response:
        if "commands" not in self.api.scopes:
            raise PermissionError("Slack offers an app's slash command only when the app has the commands scope")
        form = {
            "token": "legacy-verification-token", "team_id": self.team_id, "team_domain": self.api.team_domain,
            "channel_id": channel_id, "channel_name": channel_name, "user_id": user_id,
            "user_name": user_id.lower(), "command": command, "text": text, "api_app_id": self.api_app_id,
            "is_enterprise_install": "false", "response_url": self.api.new_response_url(),
            "trigger_id": self.api.issue_trigger(user_id),
        }
        return self._send_command(form)

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None,
              retry_reason: str = "http_timeout") -> httpx.Response:
        envelope = {
            "token": "legacy-verification-token", "team_id": self.team_id, "api_app_id": self.api_app_id,
            "event": event, "type": "event_callback",
            "event_id": event_id or f"Ev{next(_event_ids):08d}", "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": self.team_id, "user_id": "U0BOT0001",
                                "is_bot": True, "is_enterprise_install": False}],
            "is_ext_shared_channel": False, "event_context": f"4-{event.get('type', 'event')}",
        }
        return self._send_event(envelope, retry_num, retry_reason)

    def url_verification(self, challenge: str) -> httpx.Response:
        body = {"token": "legacy-verification-token", "challenge": challenge, "type": "url_verification"}
        return self.post_signed(json.dumps(body).encode(), "application/json")

    # -- transport ----------------------------------------------------------------------------

    def post_signed(self, body: bytes, content_type: str, *, timestamp: int | None = None,
                    extra_headers: dict[str, str] | None = None) -> httpx.Response:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self.signature(stamp, body),
            **(extra_headers or {}),
        }
        return self.http.post(self.endpoint, content=body, headers=headers)

    def signature(self, timestamp: str, body: bytes) -> str:
        """Slack's v0 signature, over the raw bytes whatever they are."""
        base = b"v0:" + timestamp.encode() + b":" + body
        return "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()

    def post_raw(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return self.http.post(self.endpoint, content=body, headers=headers)

    def _interact(self, payload: dict[str, Any]) -> httpx.Response:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post_signed(body, "application/x-www-form-urlencoded")

    def _send_command(self, form: dict[str, str]) -> httpx.Response:
        return self.post_signed(urlencode(form).encode(), "application/x-www-form-urlencoded")

    def _send_event(self, envelope: dict[str, Any], retry_num: int | None, retry_reason: str) -> httpx.Response:
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self.post_signed(json.dumps(envelope).encode(), "application/json", extra_headers=headers)

    def _block_actions(self, user_id: str, message: Message, action: dict[str, Any]) -> dict[str, Any]:
        container: dict[str, Any] = {"type": "message", "message_ts": message.ts, "channel_id": message.channel,
                                     "is_ephemeral": False}
        if message.thread_ts:
            container["thread_ts"] = message.thread_ts
        return {
            "type": "block_actions", "user": self._user(user_id), "api_app_id": self.api_app_id,
            "token": "legacy-verification-token", "container": container,
            "trigger_id": self.api.issue_trigger(user_id), "team": self._team(), "enterprise": None,
            "is_enterprise_install": False, "channel": {"id": message.channel, "name": "social"},
            "message": message.to_payload(), "state": {"values": {}},
            "response_url": self.api.new_response_url(), "actions": [action],
        }

    def _team(self) -> dict[str, str]:
        return {"id": self.team_id, "domain": self.api.team_domain}

    def _user(self, user_id: str) -> dict[str, str]:
        return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": self.team_id}


def _find_element(blocks: list[dict[str, Any]], action_id: str) -> tuple[str, dict[str, Any]]:
    for block in blocks:
        elements = list(block.get("elements") or []) + [e for e in (block.get("accessory"), block.get("element")) if e]
        for element in elements:
            if element.get("action_id") == action_id:
                return block.get("block_id", ""), element
    raise ValueError(f"no element with action_id {action_id!r} in this message")


def state_values(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """view.state.values as Slack builds it from what the user entered, keyed by action_id."""
    unknown = set(values)
    state: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        action_id = element["action_id"]
        unknown.discard(action_id)
        state.setdefault(block["block_id"], {})[action_id] = _input_state(element, values.get(action_id))
    if unknown:
        raise ValueError(f"the view has no input with action_id {sorted(unknown)[0]!r}")
    return state


def _input_state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = element["type"]
    if kind in ("plain_text_input", "url_text_input", "email_text_input", "number_input"):
        return {"type": kind, "value": value}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind in ("conversations_select", "channels_select"):
        key = "selected_conversation" if kind == "conversations_select" else "selected_channel"
        return {"type": kind, key: value}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": _option(element, value) if value is not None else None}
    if kind == "checkboxes":
        return {"type": kind, "selected_options": [_option(element, v) for v in value or []]}
    raise ValueError(f"inputs of type {kind!r} are not supported by the stand-in")


def _option(element: dict[str, Any], value: Any) -> dict[str, Any]:
    for option in element.get("options", []):
        if option["value"] == value:
            return option
    raise ValueError(f"{value!r} is not one of the options of {element['action_id']!r}")
