"""Where messages come from: one source a platform account, and the environment variables of its secrets."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bot.config.fields import DEFAULT_POLL_INTERVAL, BaseUrl, EnvName, PollInterval, Strict


class WebhookSource(Strict):
    brand: str
    type: Literal["webhook"]
    secret_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    reply_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    platform: str = Field(default="Webhook", min_length=1, max_length=40)
    max_reply_length: int = Field(default=5000, ge=1, le=100_000)

    def env_vars(self) -> dict[str, str]:
        return {"secret": self.secret_env}


class MetaSource(Strict):
    """A Facebook Page (comments, Messenger) and its linked Instagram account (comments, DMs)."""

    brand: str
    type: Literal["meta"]
    page_id: str = Field(pattern=r"^[0-9]{1,40}$")
    instagram_account_id: str | None = Field(default=None, pattern=r"^[0-9]{1,40}$")
    app_secret_env: EnvName
    verify_token_env: EnvName
    page_token_env: EnvName
    graph_version: str = Field(default="v21.0", pattern=r"^v[0-9]+\.[0-9]+$")
    api_url: BaseUrl = "https://graph.facebook.com"
    platform: str = Field(default="Facebook", min_length=1, max_length=40)
    max_reply_length: int = Field(default=2000, ge=1, le=8000)

    def env_vars(self) -> dict[str, str]:
        return {"app_secret": self.app_secret_env, "verify_token": self.verify_token_env,
                "page_token": self.page_token_env}


class MastodonSource(Strict):
    brand: str
    type: Literal["mastodon"]
    instance_url: BaseUrl
    token_env: EnvName
    poll_interval: PollInterval = DEFAULT_POLL_INTERVAL
    platform: str = Field(default="Mastodon", min_length=1, max_length=40)
    max_reply_length: int = Field(default=500, ge=1, le=100_000)

    def env_vars(self) -> dict[str, str]:
        return {"token": self.token_env}


class BlueskySource(Strict):
    brand: str
    type: Literal["bluesky"]
    handle: str = Field(pattern=r"^[A-Za-z0-9.-]{3,253}$|^did:[a-z]+:\S+$")
    app_password_env: EnvName
    service_url: BaseUrl = "https://bsky.social"
    poll_interval: PollInterval = DEFAULT_POLL_INTERVAL
    platform: str = Field(default="Bluesky", min_length=1, max_length=40)

    def env_vars(self) -> dict[str, str]:
        return {"app_password": self.app_password_env}


class YouTubeOAuth(Strict):
    client_id_env: EnvName
    client_secret_env: EnvName
    refresh_token_env: EnvName


class YouTubeSource(Strict):
    brand: str
    type: Literal["youtube"]
    channel_id: str = Field(pattern=r"^UC[A-Za-z0-9_-]{22}$")
    api_key_env: EnvName | None = None
    oauth: YouTubeOAuth | None = None
    api_url: BaseUrl = "https://www.googleapis.com/youtube/v3"
    token_url: BaseUrl = "https://oauth2.googleapis.com/token"
    poll_interval: PollInterval = DEFAULT_POLL_INTERVAL
    platform: str = Field(default="YouTube", min_length=1, max_length=40)
    max_reply_length: int = Field(default=10_000, ge=1, le=10_000)

    @model_validator(mode="after")
    def _has_credentials(self) -> YouTubeSource:
        if self.api_key_env is None and self.oauth is None:
            raise ValueError("set api_key_env (read only) or oauth (needed to reply and moderate)")
        return self

    def env_vars(self) -> dict[str, str]:
        names = {"api_key": self.api_key_env} if self.api_key_env else {}
        if self.oauth is not None:
            names |= {"client_id": self.oauth.client_id_env, "client_secret": self.oauth.client_secret_env,
                      "refresh_token": self.oauth.refresh_token_env}
        return names


SOURCE_TYPES = ("webhook", "meta", "mastodon", "bluesky", "youtube")
Source = Annotated[
    WebhookSource | MetaSource | MastodonSource | BlueskySource | YouTubeSource, Field(discriminator="type")
]
