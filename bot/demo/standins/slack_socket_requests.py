"""Plays Slack's side towards a bot connected over Socket Mode: the same clicks, submissions, commands
and events as ``FakeSlack``, sent as envelopes over the bot's link instead of signed HTTP requests.
Each answers the ack Slack received (its payload is what the user sees for a command or a modal)."""

from __future__ import annotations

from typing import Any

from bot.demo.standins.slack_requests import FakeSlack
from bot.demo.standins.slack_web_api import SlackStandIn
from bot.demo.standins.slack_socket_mode import Ack, Envelope, SocketModeStandIn

RESPONSE_PAYLOAD_INTERACTIONS = ("view_submission", "block_suggestion")
"""The interactions whose ack may carry an answer (errors, an updated view, options)."""


class SocketSlack(FakeSlack):
    def __init__(self, api: SlackStandIn, team_id: str = "T0TEAM001") -> None:
        super().__init__("", "", api, team_id=team_id)
        if api.socket_mode is None:
            raise ValueError("give the Slack stand-in an app_token to turn on Socket Mode")
        self.link: SocketModeStandIn = api.socket_mode
        self.sent_events: list[Envelope] = []

    def _interact(self, payload: dict[str, Any]) -> Ack:  # type: ignore[override]
        return self.link.deliver("interactive", payload,
                                 accepts_response_payload=payload.get("type") in RESPONSE_PAYLOAD_INTERACTIONS)

    def _send_command(self, form: dict[str, str]) -> Ack:  # type: ignore[override]
        return self.link.deliver("slash_commands", form, accepts_response_payload=True)

    def _send_event(self, envelope: dict[str, Any], retry_num: int | None, retry_reason: str) -> Ack:  # type: ignore[override]
        # A first delivery says retry 0 with no reason; a redelivery usually comes in a new envelope.
        sent = self.link.send("events_api", envelope, retry_attempt=retry_num or 0,
                              retry_reason=retry_reason if retry_num else "")
        self.sent_events.append(sent)
        return self.link.ack_for(sent)
