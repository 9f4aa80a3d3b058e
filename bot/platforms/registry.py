"""One client per configured source, whatever its type."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from bot.config import Config
from bot.platforms import PlatformClient


def make_clients(config: Config, secrets: Mapping[str, str], credentials: Mapping[str, Mapping[str, str]],
                 http: httpx.Client) -> dict[str, PlatformClient]:
    return {source_id: make_client(source_id, config, secrets, credentials, http) for source_id in config.sources}


def make_client(source_id: str, config: Config, secrets: Mapping[str, str],
                credentials: Mapping[str, Mapping[str, str]], http: httpx.Client) -> PlatformClient:
    from bot.platforms.bluesky import BlueskyClient
    from bot.platforms.mastodon import MastodonClient
    from bot.platforms.meta import MetaClient
    from bot.platforms.webhook import WebhookClient
    from bot.platforms.youtube import YouTubeClient

    source = config.sources[source_id]
    match source.type:
        case "webhook":
            return WebhookClient(source_id, source, secrets[source_id], http)
        case "meta":
            return MetaClient(source_id, source, credentials[source_id], http)
        case "bluesky":
            return BlueskyClient(source_id, source, credentials[source_id], http)
        case "mastodon":
            return MastodonClient(source_id, source, credentials[source_id], http)
        case "youtube":
            return YouTubeClient(source_id, source, credentials[source_id], http)
    raise AssertionError(f"no client for source type {source.type!r}")
