"""Mastodon: the polled source's token and a bot started with it."""

from __future__ import annotations

from typing import Any

from bot.config import Config
from tests.support.bot import running_bot
from tests.support.config import config_with_sources

TOKEN = "mastodon-user-token"


def masto_config(instance_url: str, interval: str = "1h") -> Config:
    return config_with_sources(f"""
  acme-masto:
    brand: acme
    type: mastodon
    instance_url: {instance_url}
    token_env: ACME_MASTODON_TOKEN
    poll_interval: {interval}
""")


def start(database_url: str, slack_api: Any, mastodon: Any, clock: Any = None, interval: str = "1h") -> Any:
    return running_bot(database_url, slack_api, masto_config(mastodon.url, interval), clock,
                       credentials={"acme-masto": {"token": TOKEN}})
