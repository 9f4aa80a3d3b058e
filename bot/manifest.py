"""The Slack app manifest for this bot, pointing at the deployment's base URL (or using Socket Mode)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import yaml

BOT_SCOPES = [
    "chat:write",  # post conversations and thread notes, edit the parent message
    "chat:write.public",  # post escalations in tier channels the bot was not invited to
    "commands",  # the slash command
    "users:read",  # teammates' first names for canned replies
    "usergroups:read",  # roles given to user groups in app.yaml
    "channels:history",  # after a crash, find a post already made instead of posting it twice
    "groups:history",  # the same in private brand channels
]
BOT_EVENTS = ["app_home_opened"]


class ManifestError(ValueError):
    pass


def manifest(base_url: str | None, command: str = "/social", name: str = "socialdesk",
             socket_mode: bool = False) -> dict[str, Any]:
    if socket_mode:
        return _over_socket_mode(manifest(_NO_URL, command, name))
    base_url = base_url or ""
    parsed = urlparse(base_url)
    if parsed.scheme != "https" or not parsed.netloc:
        raise ManifestError(f"--url: {base_url!r} must be the bot's public https:// base URL, e.g. https://bot.example.com")
    endpoint = base_url.rstrip("/") + "/slack/events"
    return {
        "display_information": {
            "name": name,
            "description": "Answer your brand's social-media messages together, in Slack threads.",
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": False},
            "bot_user": {"display_name": name, "always_online": True},
            "shortcuts": [
                {
                    "name": "Track as social conversation",
                    "type": "message",
                    "callback_id": "track_message",
                    "description": "Bring a message found by hand into the social inbox",
                }
            ],
            "slash_commands": [
                {
                    "command": command,
                    "url": endpoint,
                    "description": "Work the social inbox by typing",
                    "usage_hint": "help",
                    "should_escape": True,  # mentions arrive as <@U123|name>, so `assign ... @dana` works
                }
            ],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": {"request_url": endpoint, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, "request_url": endpoint},
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(base_url: str | None, command: str = "/social", socket_mode: bool = False) -> str:
    return yaml.safe_dump(manifest(base_url, command, socket_mode=socket_mode), sort_keys=False, allow_unicode=True)


_NO_URL = "https://socket-mode.invalid"


def _over_socket_mode(over_http: dict[str, Any]) -> dict[str, Any]:
    """The same app with Slack's requests sent over the bot's own link: no request URLs anywhere."""
    settings = over_http["settings"]
    for command in over_http["features"]["slash_commands"]:
        command.pop("url", None)
    settings["event_subscriptions"].pop("request_url", None)
    settings["interactivity"].pop("request_url", None)
    settings["socket_mode_enabled"] = True
    return over_http
