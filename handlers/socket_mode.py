"""Slack's requests over Socket Mode: the same Bolt app and listeners as ``/slack/events``, reached
through a WebSocket the bot opens itself, so no public URL is needed."""

from __future__ import annotations

import logging
import time

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import run_bolt_app, send_response
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.config import ConfigError
from handlers.slack_input import MALFORMED

log = logging.getLogger(__name__)

_TOKEN_ERRORS = {
    "invalid_auth": "Slack does not know this token; copy it again from 'Basic Information' → 'App-Level Tokens'",
    "not_authed": "the token is empty",
    "token_revoked": "the token was revoked; generate a new one under 'Basic Information' → 'App-Level Tokens'",
    "not_allowed_token_type": "this is not an app-level token (xapp-...)",
    "missing_scope": "the token lacks the connections:write scope; generate one that has it",
}


def open_link_url(api_url: str, app_token: str) -> str:
    """Ask Slack for a link URL (apps.connections.open); a refused token is one line saying what to do."""
    client = WebClient(base_url=api_url, timeout=10)
    try:
        return client.apps_connections_open(app_token=app_token)["url"]
    except SlackApiError as error:
        code = error.response.get("error", "unknown_error")
        hint = _TOKEN_ERRORS.get(code, "see 'Connect to Slack' in the README")
        raise ConfigError(f"SLACK_APP_TOKEN: Slack refused it ({code}): {hint}") from None
    except (SlackClientError, OSError) as error:
        raise ConfigError(f"SLACK_APP_TOKEN: could not reach Slack to open a Socket Mode link: {error}") from None


class SocketModeLink:
    """The WebSocket link to Slack, opened when the bot starts. Slack's envelopes go to the Bolt app as
    requests whose headers carry only the retry number and reason (there is no signature)."""

    def __init__(self, bolt: App, app_token: str) -> None:
        self._bolt = bolt
        self._app_token = app_token
        self._handler: _Handler | None = None
        self.first_url: str | None = None
        """A link URL already asked for (by the start-up check), used for the first link."""

    def connect(self) -> None:
        self._handler = _Handler(self._bolt, self._app_token, logger=logging.getLogger("slack_sdk.socket_mode"))
        self._handler.client.wss_uri = self.first_url
        self._handler.connect()
        if self._handler.client.is_connected():
            log.info("socket mode: connected to Slack")
        else:  # the client has logged why; it tries again with a new link URL every ping interval
            log.warning("socket mode: the link to Slack is not open yet; retrying")

    def close(self) -> None:
        if self._handler is not None:
            self._handler.close()


class _Handler(SocketModeHandler):
    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        start = time.time()
        try:
            response = run_bolt_app(self.app, req)
        except (*MALFORMED, RecursionError) as malformed:
            # As over HTTP (a 400): a payload Bolt cannot read is not from Slack. Acked, or it would come back.
            log.warning("slack: malformed %s envelope: %s: %s", req.type, type(malformed).__name__, malformed)
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        if 400 <= response.status < 500:
            # Refused (malformed, or nothing listens for it): sending it again cannot change the answer, and an
            # envelope that is not acked comes back.
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        send_response(client, req, response, start)
