"""YouTube: the channel, its API key and OAuth client, and a bot started with the source."""

from __future__ import annotations

from typing import Any

from tests.support.bot import running_bot
from tests.support.config import config_with_sources

CHANNEL = "UCa-vrCLQHviTOVnEKDOdetQ"
API_KEY, CLIENT_ID, CLIENT_SECRET, REFRESH = "AIza-test-key", "client.apps.googleusercontent.com", "client-secret", "1//refresh"
OAUTH = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "refresh_token": REFRESH}


def start(database_url: str, slack_api: Any, youtube: Any, oauth: bool = True) -> Any:
    credentials = {**OAUTH} if oauth else {"api_key": API_KEY}
    auth = ("    oauth: {client_id_env: YT_CLIENT_ID, client_secret_env: YT_CLIENT_SECRET, "
            "refresh_token_env: YT_REFRESH_TOKEN}") if oauth else "    api_key_env: YT_API_KEY"
    config = config_with_sources(f"""
  acme-yt:
    brand: acme
    type: youtube
    channel_id: {CHANNEL}
{auth}
    api_url: {youtube.api_url}
    token_url: {youtube.token_url}
    poll_interval: 1h
""")
    return running_bot(database_url, slack_api, config, credentials={"acme-yt": credentials})
