"""Process settings from the environment (secrets never live in app.yaml)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.config import Config, ConfigError, load_config
from storage.db import DEFAULT_DATABASE_URL

SLACK_API_DEFAULT = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str
    slack_signing_secret: str
    slack_api_url: str = SLACK_API_DEFAULT
    database_url: str = DEFAULT_DATABASE_URL
    config_path: str = "app.yaml"
    port: int = 3000
    host: str = "0.0.0.0"
    slack_app_token: str = field(default="", repr=False)
    """The app-level token (xapp-...): when set, Slack's requests arrive over Socket Mode."""
    source_secrets: dict[str, str] = field(default_factory=dict, repr=False)
    """The signing secret of each webhook source."""
    source_credentials: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    """The other sources' tokens and passwords by purpose (``page_token``, ``app_password``, ...)."""

    def __repr__(self) -> str:
        return (f"Settings(slack_api_url={self.slack_api_url!r}, database_url={_redact(self.database_url)!r}, "
                f"port={self.port})")


def settings_from_env(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    token = env.get("SLACK_BOT_TOKEN", "").strip()
    secret = env.get("SLACK_SIGNING_SECRET", "").strip()
    app_token = env.get("SLACK_APP_TOKEN", "").strip()
    if not token:
        raise ConfigError(
            "SLACK_BOT_TOKEN is not set: export the Bot User OAuth Token (xoxb-...) "
            "from your Slack app's 'OAuth & Permissions' page"
        )
    if app_token and not app_token.startswith("xapp-"):
        raise ConfigError(
            f"SLACK_APP_TOKEN is not an app-level token (it starts with {_token_kind(app_token)!r}, not 'xapp-'): "
            "generate one with the connections:write scope on your Slack app's 'Basic Information' page"
        )
    if not secret and not app_token:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: export the Signing Secret from your Slack app's "
            "'Basic Information' page (or SLACK_APP_TOKEN, an xapp-... token, for Socket Mode)"
        )
    port_text = env.get("PORT", "3000")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"PORT: {port_text!r} is not a TCP port number (1-65535)")
    api_url = env.get("SLACK_API_URL", SLACK_API_DEFAULT)
    return Settings(
        slack_bot_token=token,
        slack_signing_secret=secret,
        slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
        database_url=database_url(env),
        config_path=env.get("SOCIALDESK_CONFIG") or "app.yaml",
        port=int(port_text),
        host=env.get("HOST", "0.0.0.0"),
        slack_app_token=app_token,
    )


def database_url(env: Mapping[str, str] | None = None) -> str:
    """DATABASE_URL, or the SQLite file in the current folder when it is not set."""
    env = os.environ if env is None else env
    return env.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def source_secrets(config: Config, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each source's signing secret, read from the environment variable app.yaml names."""
    env = os.environ if env is None else env
    secrets: dict[str, str] = {}
    for source_id, source in config.sources.items():
        if source.type != "webhook":
            continue
        value = env.get(source.secret_env, "")
        if not value:
            raise ConfigError(
                f"sources.{source_id}.secret_env: environment variable {source.secret_env} is not set; "
                "export the shared secret the sending tool signs its webhooks with"
            )
        secrets[source_id] = value
    return secrets


def source_credentials(config: Config, env: Mapping[str, str] | None = None) -> dict[str, dict[str, str]]:
    """The platform sources' credentials by purpose, read from the environment variables app.yaml names."""
    env = os.environ if env is None else env
    credentials: dict[str, dict[str, str]] = {}
    for source_id, source in config.sources.items():
        if source.type == "webhook":
            continue
        values: dict[str, str] = {}
        for purpose, name in source.env_vars().items():
            value = env.get(name, "").strip()
            if not value:
                raise ConfigError(
                    f"sources.{source_id}: environment variable {name} ({purpose.replace('_', ' ')}) is not set; "
                    "export it before starting (see docs/platforms/README.md)"
                )
            values[purpose] = value
        credentials[source_id] = values
    return credentials


def load_everything(env: Mapping[str, str] | None = None) -> tuple[Settings, Config]:
    settings = settings_from_env(env)
    config = load_config(settings.config_path)
    secrets = source_secrets(config, env)
    credentials = source_credentials(config, env)
    return Settings(**{**settings.__dict__, "source_secrets": secrets, "source_credentials": credentials}), config


def _token_kind(token: str) -> str:
    """What a token starts with (``xoxb-``), never more of it."""
    head, dash, _rest = token.partition("-")
    return head + dash if dash and len(head) <= 4 else token[:2] + "..."


def _redact(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"
