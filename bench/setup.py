"""The app.yaml, secrets and people the benchmarks run the bot with."""

from __future__ import annotations

from pathlib import Path

from bot.config import Config, parse_config

BOT_TOKEN = "xoxb-bench-token"
SIGNING_SECRET = "bench-signing-secret"
BRANDS = {  # brand id: (ref prefix, channel, source id)
    "acme": ("ACME", "C0ACME01", "acme-hook"),
    "haneul": ("HNL", "C0HANEUL1", "haneul-hook"),
    "bora": ("BORA", "C0BORA001", "bora-hook"),
}
CHANNELS = {channel for _prefix, channel, _source in BRANDS.values()} | {"C0PR0001"}
SOURCE_SECRETS = {source: f"{source}-secret" for _prefix, _channel, source in BRANDS.values()}
PEOPLE = {"U0ALICE01": "Alice Park", "U0BOB0001": "Bob Lee", "U0CAROL01": "Carol Choi"}
COMMAND = "/social"


def config_text(delivery: dict[str, str] | None = None) -> str:
    """Three brands with a channel and a webhook source each; delivery (unless given) and scan at their
    defaults."""
    brands = "\n".join(
        f"  {brand}:\n    name: {brand.title()}\n    ref_prefix: {prefix}\n    slack_channel: {channel}\n"
        f"    timezone: Asia/Seoul\n    on_duty_usergroup: S0DUTY001"
        for brand, (prefix, channel, _source) in BRANDS.items()
    )
    sources = "\n".join(
        f"  {source}:\n    brand: {brand}\n    type: webhook\n    secret_env: {_secret_env(source)}\n"
        f"    platform: Facebook"
        for brand, (_prefix, _channel, source) in BRANDS.items()
    )
    return f"""
brands:
{brands}
escalation:
  pr: {{name: PR team, slack_channel: C0PR0001}}
sources:
{sources}
sla:
  default: {{first_response: 1h, next_response: 4h, resolution: 3d, warn_before: 15m,
            escalate_after: 1h, escalate_to: pr}}
digest: {{schedule: "off"}}
""" + (f"delivery: {{{', '.join(f'{key}: {value}' for key, value in delivery.items())}}}\n" if delivery else "")


def bench_config() -> Config:
    return parse_config(config_text())


def write_config(folder: Path, delivery: dict[str, str] | None = None) -> Path:
    path = folder / "app.yaml"
    path.write_text(config_text(delivery), encoding="utf-8")
    return path


def secret_environment() -> dict[str, str]:
    return {_secret_env(source): secret for source, secret in SOURCE_SECRETS.items()}


def _secret_env(source: str) -> str:
    return source.upper().replace("-", "_") + "_SECRET"
