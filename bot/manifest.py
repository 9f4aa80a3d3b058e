"""The Slack app manifest for this bot, pointing at the deployment's base URL (or using Socket Mode).

Within the limits of Slack's published manifest schema (slackapi/manifest-schema); the tests check it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from bot.slack_scopes import bot_scopes
from bot.slack_ui.track import TRACK_SHORTCUT

BOT_EVENTS = ["app_home_opened"]
EVENTS_PATH = "slack/events"
APP_NAME_LIMIT = 35
"""display_information.name in Slack's schema; the bot user's display_name allows 80."""
URL_LIMIT = 3000
"""A slash command's url in Slack's schema (request URLs elsewhere allow 3,500)."""


class ManifestError(ValueError):
    pass


def request_url(base_url: str) -> str:
    """Where Slack sends events, interactions and commands: the base URL's path + /slack/events, its
    query string (a proxy's key, say) kept at the end."""
    parts = urlsplit(base_url)
    if parts.scheme != "https" or not parts.netloc:
        raise ManifestError(f"--url: {base_url!r} must be the bot's public https:// base URL, e.g. https://bot.example.com")
    if parts.fragment:
        raise ManifestError(f"--url: {base_url!r} has a #fragment, which Slack never sends; leave it out")
    path = parts.path.rstrip("/") + "/" + EVENTS_PATH
    url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
    if len(url) > URL_LIMIT:
        raise ManifestError(f"--url: Slack takes request URLs of at most {URL_LIMIT} characters; "
                            f"this one makes {len(url)}")
    return url


_NO_URL = "https://socket-mode.invalid"


def manifest(base_url: str | None, command: str = "/social", name: str = "socialdesk",
             socket_mode: bool = False) -> dict[str, Any]:
    if socket_mode:
        return _over_socket_mode(manifest(_NO_URL, command, name))
    endpoint = request_url(base_url or "")
    name = name.strip()
    if not name or len(name) > APP_NAME_LIMIT:
        raise ManifestError(f"--name: the app's name must be 1 to {APP_NAME_LIMIT} characters, not {len(name)}")
    return {
        "display_information": {
            "name": name,
            "description": "Answer your brand's social-media messages together, in Slack threads.",
            "background_color": "#1d3557",
        },
        "features": {
            # The bot sends direct messages (an overdue conversation to its assignee): they show in the
            # Messages tab, where nobody needs to write back.
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": True,
                         "messages_tab_read_only_enabled": True},
            "bot_user": {"display_name": name, "always_online": True},
            "shortcuts": [
                {
                    "name": "Track in social inbox",
                    "type": "message",
                    "callback_id": TRACK_SHORTCUT,
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
        "oauth_config": {"scopes": {"bot": bot_scopes()}},
        "settings": {
            "event_subscriptions": {"request_url": endpoint, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, "request_url": endpoint},
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(base_url: str | None, command: str = "/social", name: str = "socialdesk",
                  socket_mode: bool = False) -> str:
    return yaml.safe_dump(manifest(base_url, command, name, socket_mode), sort_keys=False, allow_unicode=True)


def _over_socket_mode(over_http: dict[str, Any]) -> dict[str, Any]:
    """The same app with Slack's requests sent over the bot's own link: no request URLs anywhere."""
    settings = over_http["settings"]
    for command in over_http["features"]["slash_commands"]:
        command.pop("url", None)
    settings["event_subscriptions"].pop("request_url", None)
    settings["interactivity"].pop("request_url", None)
    settings["socket_mode_enabled"] = True
    return over_http
