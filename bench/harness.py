"""Standing the bot up for a benchmark: database, Slack stand-in, server process, and signed requests."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.databases import scratch_database
from bench.load import Request
from bench.serve import ServerProcess
from bench.setup import BOT_TOKEN, CHANNELS, PEOPLE, SIGNING_SECRET, SOURCE_SECRETS, write_config
from bot.demo.standins.slack_requests import FakeSlack
from bot.demo.standins.slack_web_api import SlackStandIn
from bot.platforms.webhook import SIGNATURE_HEADER, sign


class RequestRecorder(FakeSlack):
    """FakeSlack's payloads and signatures, handed back as requests instead of being sent."""

    def post_signed(self, body: bytes, content_type: str, *, timestamp: int | None = None,
                    extra_headers: dict[str, str] | None = None) -> Any:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self.signature(stamp, body),
            **(extra_headers or {}),
        }
        return Request("/slack/events", body, headers)


def webhook_request(source_id: str, body: dict[str, Any]) -> Request:
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(SOURCE_SECRETS[source_id], raw)}
    return Request(f"/webhooks/{source_id}", raw, headers)


def customer_message(message_id: str, conversation_id: str, author: int = 1) -> dict[str, Any]:
    return {
        "id": message_id,
        "conversation_id": conversation_id,
        "kind": "comment",
        "author": {"id": f"fb-{author}", "name": f"Customer {author}", "handle": f"@customer{author}"},
        "text": "주문한 제품이 아직 도착하지 않았어요. 언제 받을 수 있나요? Where is my order?",
        "url": f"https://facebook.com/acme/posts/1?comment_id={message_id}",
    }


@dataclass
class Stage:
    """One benchmark's surroundings: its database, the Slack stand-in and a folder for logs."""

    database_url: str
    database_kind: str
    api: SlackStandIn
    folder: Path
    config_path: Path

    def server(self, app_name: str, label: str | None = None, env: dict[str, str] | None = None) -> ServerProcess:
        return ServerProcess(app_name, database_url=self.database_url, slack_api_url=self.api.base_url,
                             config_path=self.config_path, log_path=self.folder / f"{label or app_name}.log",
                             extra_env=env)

    def slack(self, bot_url: str) -> RequestRecorder:
        return RequestRecorder(bot_url, SIGNING_SECRET, self.api)


@contextmanager
def stage(kind: str, postgres_url: str | None, label: str, delivery: dict[str, str] | None = None,
          **stand_in: Any) -> Iterator[Stage]:
    with (
        tempfile.TemporaryDirectory(prefix=f"bench-{label}-") as folder,
        scratch_database(kind, postgres_url, label) as database_url,
        SlackStandIn(token=BOT_TOKEN, channels=set(CHANNELS), users=PEOPLE, **stand_in) as api,
    ):
        path = Path(folder)
        yield Stage(database_url, kind, api, path, write_config(path, delivery))


def post_webhook(http: httpx.Client, base_url: str, request: Request) -> httpx.Response:
    return http.post(base_url + request.path, content=request.body, headers=request.headers)
