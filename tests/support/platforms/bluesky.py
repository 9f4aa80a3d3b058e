"""Bluesky: the polled account's handle and app password, and a bot started with them."""

from __future__ import annotations

from typing import Any

from tests.support.bot import running_bot
from tests.support.config import config_with_sources

HANDLE, APP_PASSWORD = "acme.bsky.social", "abcd-efgh-ijkl-mnop"


def start(database_url: str, slack_api: Any, bluesky: Any) -> Any:
    config = config_with_sources(f"""
  acme-bsky:
    brand: acme
    type: bluesky
    handle: {HANDLE}
    app_password_env: ACME_BLUESKY_APP_PASSWORD
    service_url: {bluesky.url}
    poll_interval: 1h
""")
    return running_bot(database_url, slack_api, config, credentials={"acme-bsky": {"app_password": APP_PASSWORD}})
