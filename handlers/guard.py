"""Checks every Slack request passes before any listener runs: not a replay, not an event already
handled, and from the configured workspace."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.domain.desk import Desk
from bot.domain.ledger import RequestLedger
from bot.domain.sanitise import clean_in_place
from handlers.events import IGNORED_EVENTS
from handlers.slack_input import MALFORMED
from storage.db import refused_as_data, short_reason

log = logging.getLogger(__name__)


def register(app: App, desk: Desk, ledger: RequestLedger) -> None:
    expected_team = desk.config.slack.team_id
    register_error_handler(app)

    @app.use
    def guard(req: BoltRequest, body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:  # noqa: A002
        # Whatever a listener reads of the request (command text, modal inputs, ids) is storable.
        clean_in_place(req.body)
        team = _team_of(body)
        # Slack's url_verification, which names no workspace, is answered by Bolt before this runs.
        foreign = bool(expected_team) and team != expected_team
        if not foreign and _ignored_event(body):
            # Nothing to do once or twice: no replay check (a round trip to the ledger), straight to its ack.
            next()
            return None
        if req.mode == "socket_mode":
            # No signature over Socket Mode; a redelivered envelope carries the same payload. Acked, not refused,
            # or Slack would send it once more.
            key = _delivery_key(body)
            if key and not ledger.first_time(key):
                log.info("slack: an envelope was delivered twice; ignored")
                return BoltResponse(status=200, body="")
        else:
            retried = bool(_header(req, "x-slack-retry-num"))
            # The signature was checked on arrival (handlers/web/slack.py); the same signature means the same
            # request again.
            if not ledger.first_time(f"sig:{_header(req, 'x-slack-signature')}"):
                log.warning("slack: a request was received twice (%s); ignored", "Slack retry" if retried else "replay")
                return BoltResponse(status=200 if retried else 401, body="" if retried else "replayed request")
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not ledger.first_time(f"event:{event_id}"):
            return BoltResponse(status=200, body="")
        if foreign:
            return _foreign_workspace(desk, body, team)
        next()
        return None


def register_error_handler(app: App) -> None:
    @app.error
    def listener_failed(error: Exception, body: dict[str, Any], response: BoltResponse | None) -> None:
        """A listener raised: a payload missing what Slack always sends is the sender's fault (400);
        the database being away is temporary (503)."""
        if response is None:
            return
        if isinstance(error, MALFORMED):
            log.warning("slack: malformed %s request: %s: %s", body.get("type") or "slash command",
                        type(error).__name__, error)
            response.status, response.body = 400, "malformed request"
        elif isinstance(error, SQLAlchemyError) and refused_as_data(error):
            log.warning("slack: the database refused what a %s request carried: %s",
                        body.get("type") or "slash command", short_reason(error))
            text = "That could not be stored: the database refused part of it. Check what you typed; nothing changed."
            if body.get("command"):
                response.status, response.body = 200, json.dumps({"response_type": "ephemeral", "text": text})
                response.headers["content-type"] = ["application/json"]
            else:
                response.status, response.body = 400, text
        elif isinstance(error, SQLAlchemyError):
            log.error("slack: database unavailable: %s", error)
            response.status, response.body = 503, "database unavailable; try again"
        else:
            log.error("slack: listener failed", exc_info=error)


def _foreign_workspace(desk: Desk, body: dict[str, Any], team: str | None) -> BoltResponse:
    user = _user_of(body)
    reason = f"request from workspace {team}, not the configured one" if team else "request without a workspace"
    desk.audit_refusal(user, body.get("type") or body.get("command") or "request", reason)
    text = "socialdesk works only in its own workspace; nothing was done."
    if body.get("command"):
        return BoltResponse(status=200, body=json.dumps({"response_type": "ephemeral", "text": text}),
                        headers={"content-type": "application/json"})
    inputs = [block["block_id"] for block in (body.get("view") or {}).get("blocks", [])
              if block.get("type") == "input" and block.get("block_id")]
    if body.get("type") == "view_submission" and inputs:
        return BoltResponse(status=200, body=json.dumps({"response_action": "errors", "errors": {inputs[0]: text}}),
                            headers={"content-type": "application/json"})
    return BoltResponse(status=200, body="")


def _ignored_event(body: dict[str, Any]) -> bool:
    event = body.get("event") if body.get("type") == "event_callback" else None
    return isinstance(event, dict) and event.get("type") in IGNORED_EVENTS


def _delivery_key(body: dict[str, Any]) -> str | None:
    """What tells one interaction or command apart from another in its payload: its trigger_id, and for a
    modal also the view and its version (a corrected submission has a new trigger). Events go by event_id."""
    view = body.get("view")
    if body.get("type") in ("view_submission", "view_closed") and isinstance(view, dict) and view.get("id"):
        return f"view:{view['id']}:{view.get('hash', '')}:{body.get('trigger_id', '')}"
    trigger = body.get("trigger_id")
    return f"trigger:{trigger}" if trigger else None


def _header(req: BoltRequest, name: str) -> str:
    values = req.headers.get(name) or []
    return values[0] if values else ""


def _team_of(body: dict[str, Any]) -> str | None:
    team = body.get("team")
    if isinstance(team, dict):
        return team.get("id")
    user = body.get("user")
    return body.get("team_id") or (user.get("team_id") if isinstance(user, dict) else None)


def _user_of(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if isinstance(user, dict):
        return user.get("id")
    return body.get("user_id")
