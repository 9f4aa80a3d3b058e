"""`socialdesk serve` as a real process that can be killed, on a free port, and a webhook sender that
retries like the platforms do."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bot.demo.standins.common import wait_for
from bot.demo.standins.reply_receiver import ReplyReceiver
from bot.demo.standins.slack_requests import FakeSlack
from bot.demo.standins.slack_web_api import SlackStandIn
from bot.platforms.webhook import SIGNATURE_HEADER, sign
from tests.support.config import BOT_TOKEN, CONFIG_TEMPLATE, HOOK_SECRET, SIGNING_SECRET

__all__ = ["RELIABILITY_SETTINGS", "ServeProcess", "deliver_webhook", "free_port", "wait_for"]

RELIABILITY_SETTINGS = """
delivery: {retry_base: 50ms, retry_max: 500ms, max_attempts: 50, poll_interval: 100ms, http_timeout: 1s,
           channel_pace: 10ms, lease: 3s}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServeProcess:
    """`socialdesk serve` in its own process, started from the same configuration each time."""

    def __init__(self, workdir: Path, database_url: str, api: SlackStandIn, receiver: ReplyReceiver) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = workdir / "app.yaml"
        if not config.exists():
            config.write_text(CONFIG_TEMPLATE.replace("{reply_url}", receiver.url) + RELIABILITY_SETTINGS)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCIALDESK_"))}
        self.env = {**base, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": api.base_url, "DATABASE_URL": database_url, "SOCIALDESK_CONFIG": str(config),
                    "PORT": str(self.port), "HOST": "127.0.0.1", "ACME_HOOK_SECRET": HOOK_SECRET,
                    "HANEUL_HOOK_SECRET": "haneul-secret", "LOG_LEVEL": "WARNING"}
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None
        self.slack = FakeSlack(self.url, SIGNING_SECRET, api)

    def start(self) -> ServeProcess:
        log = open(self.workdir / f"serve-{self.port}.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=self.env, cwd=self.workdir,
                                        stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.healthy, timeout=30)
        return self

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def kill9(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def deliver_webhook(urls: list[str], body: dict[str, Any], give_up_after: float = 60.0) -> bool:
    """Send like a platform does: until some server answers 2xx (Meta retries failed deliveries)."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(HOOK_SECRET, raw)}
    deadline = time.monotonic() + give_up_after
    attempt = 0
    while time.monotonic() < deadline:
        url = urls[attempt % len(urls)]
        attempt += 1
        try:
            if httpx.post(f"{url}/webhooks/acme-hook", content=raw, headers=headers, timeout=5).status_code < 300:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False
