"""Fixtures that stand the bot up the way it runs: a real HTTP server, a Slack stand-in, a database.

Storage-touching tests run on SQLite and, when TEST_DATABASE_URL points at a PostgreSQL server,
on PostgreSQL too (each test in its own schema).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from bot.app import Runtime, build_runtime
from bot.clock import Clock
from bot.config import Config, parse_config
from bot.demo.standins.reply_receiver import ReplyReceiver
from bot.demo.standins.server import ServerThread
from bot.demo.standins import slack_web_api as slack_web
from bot.demo.standins.slack_web_api import SlackStandIn
from bot.demo.standins.slack_requests import FakeSlack
from bot.platforms.webhook import SIGNATURE_HEADER, sign
from bot.settings import Settings
from storage.db import temporary_schema

BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"
HOOK_SECRET = "acme-hook-secret"
ALICE, BOB, CAROL = "U0ALICE01", "U0BOB0001", "U0CAROL01"
PEOPLE = {ALICE: "Alice Park", BOB: "Bob Lee", CAROL: "Carol Choi"}

CONFIG_TEMPLATE = """
brands:
  acme:
    name: Acme
    ref_prefix: ACME
    slack_channel: C0ACME01
    timezone: Asia/Seoul
    on_duty_usergroup: S0DUTY001
    sla:
      default: {first_response: 1h, warn_before: 15m, escalate_after: 1h, escalate_to: pr}
      dm: {first_response: 2h, business_hours: true}
      urgent: {first_response: 15m, warn_before: 5m}
    business_hours: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}
    holidays: {country: KR, dates: ["2026-12-31"]}
    templates:
      shipping: {title: Shipping delay, text: "Hi {{ author_name }}, your order {{ ref }} ships today."}
      broken: "Dear {{ customer_nickname }}"
  haneul:
    name: Haneul Coffee
    ref_prefix: HNL
    slack_channel: C0HANEUL1
escalation:
  pr: {name: PR team, slack_channel: C0PR0001, usergroup: S0PR0001}
  legal: {name: Legal, slack_channel: C0LEGAL01}
sources:
  acme-hook:
    brand: acme
    type: webhook
    secret_env: ACME_HOOK_SECRET
    reply_url: {reply_url}
    platform: Facebook
    max_reply_length: 500
  haneul-hook:
    brand: haneul
    type: webhook
    secret_env: HANEUL_HOOK_SECRET
    platform: Instagram
scheduler: {scan_interval: 1h}
digest: {schedule: "off"}  # tests of the digest turn it on
delivery: {retry_base: 50ms, retry_max: 1s, max_attempts: 4, poll_interval: 200ms, http_timeout: 2s, channel_pace: 10ms}
templates:
  thanks: "Thanks {{ author_name }}! — {{ agent_first_name }} from {{ brand }}"
  shipping: "Generic shipping text"
"""
CHANNELS = {"C0ACME01", "C0HANEUL1", "C0PR0001", "C0LEGAL01"}


# -- databases ---------------------------------------------------------------------------------


def _postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'socialdesk.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL run: set TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    with temporary_schema(base, "t") as url:
        yield url


# -- stand-ins ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_missing_scope(request: pytest.FixtureRequest) -> Iterator[None]:
    """The stand-in grants the token exactly the manifest's scopes: any missing_scope answer during a
    test means the manifest lacks a scope the bot uses (unless the test takes scopes away on purpose)."""
    slack_web.REFUSED_SCOPES.clear()
    yield
    if request.node.get_closest_marker("scopes_taken_away") is None:
        assert not slack_web.REFUSED_SCOPES, f"Slack answered missing_scope: {slack_web.REFUSED_SCOPES}"


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(token=BOT_TOKEN, channels=set(CHANNELS), users=PEOPLE) as api:
        yield api


@pytest.fixture
def receiver() -> Iterator[ReplyReceiver]:
    with ReplyReceiver(secret=HOOK_SECRET) as stand_in:
        yield stand_in


# -- the bot -----------------------------------------------------------------------------------


@dataclass
class Bot:
    """The running bot and the ways tests reach it: as Slack, and as a webhook sender."""

    url: str
    runtime: Runtime
    slack: FakeSlack
    api: SlackStandIn
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    @property
    def config(self) -> Config:
        return self.runtime.config

    def webhook(self, body: dict[str, Any] | bytes, source: str = "acme-hook", secret: str = HOOK_SECRET,
                headers: dict[str, str] | None = None) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        sent_headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, raw)}
        sent_headers.update(headers or {})
        return self.http.post(f"{self.url}/webhooks/{source}", content=raw, headers=sent_headers)

    def parent(self, channel: str = "C0ACME01", index: int = -1) -> Any:
        self.api.wait_for(lambda: self.api.messages(channel), timeout=5)
        return self.api.messages(channel)[index]

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until the outbox has nothing left to do now."""
        self.api.wait_for(lambda: self.runtime.worker.pending() == 0, timeout=timeout)


def make_config(reply_url: str, extra: str = "") -> Config:
    return parse_config(CONFIG_TEMPLATE.replace("{reply_url}", reply_url) + extra)


def make_settings(database_url: str, api: SlackStandIn,
                  credentials: dict[str, dict[str, str]] | None = None) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.base_url,
        database_url=database_url,
        source_secrets={"acme-hook": HOOK_SECRET, "haneul-hook": "haneul-secret"},
        source_credentials=credentials or {},
    )


@contextmanager
def running_bot(database_url: str, api: SlackStandIn, config: Config, clock: Clock | None = None,
                credentials: dict[str, dict[str, str]] | None = None) -> Iterator[Bot]:
    """The bot on a real HTTP server; ``credentials`` are the platform sources' secrets by source id."""
    runtime = build_runtime(make_settings(database_url, api, credentials), config, clock)
    with ServerThread(runtime.asgi) as server:
        bot = Bot(server.url, runtime, FakeSlack(server.url, SIGNING_SECRET, api), api)
        try:
            yield bot
        finally:
            bot.http.close()


@pytest.fixture
def bot(database_url: str, slack_api: SlackStandIn, receiver: ReplyReceiver) -> Iterator[Bot]:
    with running_bot(database_url, slack_api, make_config(receiver.url)) as running:
        yield running


def customer_message(**overrides: Any) -> dict[str, Any]:
    """A webhook body as a social tool would send it."""
    body: dict[str, Any] = {
        "id": f"m-{uuid.uuid4().hex[:10]}",
        "kind": "comment",
        "author": {"id": "fb-1001", "name": "Kim Minji", "handle": "@minji"},
        "text": "주문한 제품이 아직 도착하지 않았어요. 언제 받을 수 있나요?",
        "url": "https://facebook.com/acme/posts/1?comment_id=1001",
    }
    body.update(overrides)
    return body
