"""The bot on a real HTTP server, and the ways tests reach it: as Slack, and as a webhook sender."""

from __future__ import annotations

import json
import shutil
import ssl
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import httpx

from bot.app import Runtime, build_runtime
from bot.clock import Clock
from bot.config import Config
from bot.demo.standins.server import ServerThread
from bot.demo.standins.slack_requests import FakeSlack
from bot.demo.standins.slack_web_api import SlackStandIn
from bot.platforms.webhook import SIGNATURE_HEADER, sign
from storage.db import Database
from tests.support.config import HOOK_SECRET, SIGNING_SECRET, make_settings


_TLS = ssl.create_default_context()
"""One TLS context for every test's client (loading the CA bundle for each costs more than the test)."""


@dataclass
class Bot:
    """The running bot and the ways tests reach it: as Slack, and as a webhook sender."""

    url: str
    runtime: Runtime
    slack: FakeSlack
    api: SlackStandIn
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10, verify=_TLS))

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


@contextmanager
def running_bot(database_url: str, api: SlackStandIn, config: Config, clock: Clock | None = None,
                credentials: dict[str, dict[str, str]] | None = None) -> Iterator[Bot]:
    """The bot on a real HTTP server; ``credentials`` are the platform sources' secrets by source id."""
    _start_from_migrated_copy(database_url)
    runtime = build_runtime(make_settings(database_url, api, credentials), config, clock)
    with ServerThread(runtime.asgi, tick=0.01) as server:
        bot = Bot(server.url, runtime, FakeSlack(server.url, SIGNING_SECRET, api), api)
        try:
            yield bot
        finally:
            bot.http.close()


def _start_from_migrated_copy(database_url: str) -> None:
    """A new SQLite database starts as a copy of one migrated once per run: the same schema, without
    running every migration again for each test (the bot's own migrate() then finds nothing to do).
    Fresh migrations are still run by the storage tests, the command-line tests and on PostgreSQL."""
    if not database_url.startswith("sqlite:///"):
        return
    path = Path(database_url.removeprefix("sqlite:///"))
    if not path.exists():
        shutil.copyfile(_migrated_sqlite(), path)


@cache
def _migrated_sqlite() -> Path:
    folder = tempfile.TemporaryDirectory(prefix="socialdesk-schema-")
    _KEEP.append(folder)  # removed when the test run ends
    path = Path(folder.name) / "migrated.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.dispose()
    return path


_KEEP: list[tempfile.TemporaryDirectory[str]] = []


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
