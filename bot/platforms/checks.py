"""``socialdesk sources check``: every source's credentials tried against its platform's API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from bot.config import Config
from bot.platforms import PlatformError
from bot.platforms.registry import make_client


@dataclass(frozen=True)
class SourceCheck:
    source_id: str
    platform: str
    status: str  # "ok" or "failed"
    detail: str


def check_sources(config: Config, env: Mapping[str, str], http: httpx.Client) -> list[SourceCheck]:
    return [check_source(source_id, config, env, http) for source_id in config.sources]


def check_source(source_id: str, config: Config, env: Mapping[str, str], http: httpx.Client) -> SourceCheck:
    source = config.sources[source_id]
    platform = f"{source.type}" if source.type == source.platform.lower() else f"{source.type} ({source.platform})"
    values: dict[str, str] = {}
    for purpose, name in source.env_vars().items():
        value = env.get(name, "").strip()
        if not value:
            return SourceCheck(source_id, platform, "failed", f"environment variable {name} ({purpose}) is not set")
        values[purpose] = value
    if source.type == "webhook":
        return SourceCheck(source_id, platform, "ok", "signing secret set; signed webhooks need no API call")
    client = make_client(source_id, config, {}, {source_id: values}, http)
    try:
        detail = client.check()  # type: ignore[attr-defined]
    except PlatformError as error:
        return SourceCheck(source_id, platform, "failed", str(error))
    return SourceCheck(source_id, platform, "ok", detail)
