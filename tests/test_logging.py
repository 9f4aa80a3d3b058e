"""`socialdesk serve` as a process: one log format for every logger, JSON on demand, quiet when idle."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from bot.logs import DemoteChattyLibraries
from bot.demo.standins.slack_requests import FakeSlack
from bot.demo.standins.slack_web_api import SlackStandIn
from tests.support.bot import customer_message
from tests.support.cli import healthy
from tests.support.config import BOT_TOKEN, CHANNELS, CONFIG_TEMPLATE, HOOK_SECRET, SIGNING_SECRET
from tests.support.serve import free_port, wait_for

FAST_TICKS = """
scheduler: {scan_interval: 1s}
delivery: {retry_base: 50ms, retry_max: 1s, max_attempts: 4, poll_interval: 200ms, http_timeout: 2s, channel_pace: 10ms}
"""


class Serve:
    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path, slack: FakeSlack) -> None:
        self.process, self.url, self.log, self.slack = process, url, log, slack

    def lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()

    def webhook(self, body: dict[str, object]) -> httpx.Response:
        from bot.platforms.webhook import SIGNATURE_HEADER, sign

        raw = json.dumps(body).encode()
        return httpx.post(f"{self.url}/webhooks/acme-hook", content=raw,
                          headers={SIGNATURE_HEADER: sign(HOOK_SECRET, raw)}, timeout=10)


@contextmanager
def serve(tmp_path: Path, api: SlackStandIn, **env: str) -> Iterator[Serve]:
    config = tmp_path / "app.yaml"
    config.write_text(CONFIG_TEMPLATE.replace("{reply_url}", "http://127.0.0.1:9/replies").replace(
        "scheduler: {scan_interval: 1h}\n", "").replace(
        "delivery: {retry_base: 50ms, retry_max: 1s, max_attempts: 4, poll_interval: 200ms, http_timeout: 2s, "
        "channel_pace: 10ms}\n", "") + FAST_TICKS)
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SOCIALDESK_", "LOG_"))}
    full_env = {**base, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": api.base_url, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
                "SOCIALDESK_CONFIG": str(config), "PORT": str(port), "HOST": "127.0.0.1",
                "ACME_HOOK_SECRET": HOOK_SECRET, "HANEUL_HOOK_SECRET": "haneul-secret", **env}
    log = tmp_path / "stderr.log"
    with open(log, "wb") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=full_env, cwd=tmp_path,
                                   stdout=stderr, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    running = Serve(process, url, log, FakeSlack(url, SIGNING_SECRET, api))
    try:
        wait_for(lambda: healthy(url), timeout=30)
        yield running
    finally:
        process.terminate()
        process.wait(20)


@pytest.fixture
def api() -> Iterator[SlackStandIn]:
    with SlackStandIn(token=BOT_TOKEN, channels=set(CHANNELS)) as stand_in:
        yield stand_in


def test_json_logs_are_one_object_a_line_for_every_logger(tmp_path, api):
    with serve(tmp_path, api, LOG_FORMAT="json", LOG_LEVEL="DEBUG") as bot:
        assert bot.webhook(customer_message()).status_code == 202
        api.wait_for(lambda: api.messages("C0ACME01"), timeout=10)
        assert bot.slack.command("U0ALICE01", "/social", "help", "C0ACME01").status_code == 200
        time.sleep(1.5)  # a few scheduler ticks
    records = [json.loads(line) for line in bot.lines()]  # every line parses, or this fails
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)
    assert not [record for record in records if any("\x1b" in str(value) for value in record.values())]
    loggers = {record["logger"].split(".")[0] for record in records}
    assert {"socialdesk", "uvicorn", "apscheduler", "slack_bolt"} <= loggers, loggers


def test_text_logs_share_one_format_and_uvicorn_follows_the_level(tmp_path, api):
    with serve(tmp_path, api, LOG_LEVEL="info"):
        pass
    lines = [line for line in Path(tmp_path / "stderr.log").read_text().splitlines() if line.strip()]
    assert any(" INFO uvicorn.error: Application startup complete." in line for line in lines), lines
    assert not any(line.startswith("INFO:") for line in lines), lines  # uvicorn's own format
    assert " INFO alembic.runtime.migration: Running upgrade  -> 0001, initial schema" in "\n".join(lines)
    assert not [line for line in lines if "Context impl" in line or "Will assume" in line]  # said at every start
    with serve(tmp_path, api, LOG_LEVEL="WARNING"):
        pass
    # Nothing below WARNING (a loaded machine may make the scheduler warn of a skipped tick).
    assert [line for line in Path(tmp_path / "stderr.log").read_text().splitlines()
            if not _at_least_warning(line)] == []


def test_idle_serve_logs_nothing_at_info_after_start_up(tmp_path, api):
    """Every tick of the scheduler (delivery each 200 ms, scans each second) is DEBUG: idle, nothing
    is logged at INFO, however long it runs."""
    with serve(tmp_path, api, LOG_LEVEL="INFO") as bot:
        assert bot.webhook(customer_message()).status_code == 202
        api.wait_for(lambda: api.messages("C0ACME01"), timeout=10)
        started = len(bot.lines())
        time.sleep(4)
        after = bot.lines()[started:]
    assert [line for line in after if not _at_least_warning(line)] == []


def _at_least_warning(line: str) -> bool:
    return line.split(" ")[2] in ("WARNING", "ERROR", "CRITICAL")


def test_a_bad_log_level_is_refused_in_one_line(tmp_path):
    from tests.support.cli import GOOD_ENV, ROOT, assert_one_line_error, socialdesk

    env = {**GOOD_ENV, "SOCIALDESK_CONFIG": str(ROOT / "app.yaml"), "LOG_LEVEL": "verbose"}
    result = socialdesk("serve", env=env, cwd=tmp_path)
    assert_one_line_error(result, "LOG_LEVEL", "'verbose'", "DEBUG, INFO, WARNING, ERROR, CRITICAL")
    result = socialdesk("serve", env={**env, "LOG_LEVEL": "INFO", "LOG_FORMAT": "xml"}, cwd=tmp_path)
    assert_one_line_error(result, "LOG_FORMAT", "text or json")
    assert not (tmp_path / "socialdesk.db").exists()


def test_a_scheduler_tick_skipped_or_late_on_a_busy_machine_is_not_a_warning():
    quiet = DemoteChattyLibraries("INFO")
    skipped = logging.LogRecord("apscheduler.scheduler", logging.WARNING, __file__, 1,
                                'Execution of job "%s" skipped: maximum number of running instances reached (%d)',
                                ("delivery-tick", 1), None)
    late = logging.LogRecord("apscheduler.executors.default", logging.WARNING, __file__, 1,
                             'Run time of job "%s" was missed by %s', ("sla-scan", "0:00:02"), None)
    other = logging.LogRecord("apscheduler.scheduler", logging.WARNING, __file__, 1, "Job store failed", (), None)
    assert not quiet.filter(skipped) and not quiet.filter(late)
    assert quiet.filter(other) and other.levelname == "WARNING"
