"""/metrics, scraped the way Prometheus does and read with its text parser, after real traffic:
signed webhooks and Slack requests, a Slack outage (429s and 503s), a breached deadline."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.clock import ManualClock
from tests.support.bot import customer_message, running_bot
from tests.support.config import ALICE, make_config
from tests.support.platforms.mastodon import start as start_mastodon_bot


def scrape(bot) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = bot.http.get(f"{bot.url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.text) for sample in family.samples}


def value(samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))  # Monday 12:00 in Seoul


@pytest.fixture
def fast_config(receiver):
    config = make_config(receiver.url)
    return config.model_copy(update={"scheduler": config.scheduler.model_copy(
        update={"scan_interval": timedelta(milliseconds=100)})})


def until(condition, clock: ManualClock | None = None, timeout: float = 10.0) -> None:
    """Wait for ``condition``, moving the bot's clock on so that retries come due."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        if clock is not None:
            clock.advance(timedelta(seconds=2))
        time.sleep(0.05)


def test_metrics_after_traffic_an_outage_and_a_breach(database_url, slack_api, receiver, clock, fast_config):
    with running_bot(database_url, slack_api, fast_config, clock) as bot:
        # A Slack outage: a 429 then two 503s for the first post.
        slack_api.fail_next("chat.postMessage", status=429, retry_after=1)
        slack_api.fail_next("chat.postMessage", status=503, count=2)
        first = customer_message(id="m-1")
        assert bot.webhook(first).status_code == 202
        assert bot.webhook(first).json()["status"] == "duplicate"  # counted once
        assert bot.webhook(customer_message(id="m-2", conversation_id="other")).status_code == 202
        assert bot.webhook(customer_message(id="h-1", kind="dm"), source="haneul-hook",
                           secret="haneul-secret").status_code == 202
        until(lambda: len(slack_api.messages("C0ACME01")) == 2, clock)
        until(lambda: slack_api.messages("C0HANEUL1"))
        parent, other = slack_api.messages("C0ACME01")

        # Slack rate-limits a call made while answering a click (Bolt's own client).
        slack_api.fail_next("views.open", status=429, retry_after=1)
        assert bot.slack.click(ALICE, parent, "assign").status_code == 200
        until(lambda: slack_api.calls_to("views.open"))

        # A reply the platform refuses, and an edit of the parent that Slack refuses for good.
        receiver.fail_next(400, body='{"error": "comment was deleted"}')
        assert bot.slack.command(ALICE, "/social", "reply ACME-1 Sorry, checking now", "C0ACME01").status_code == 200
        until(lambda: receiver.requests)
        bot.wait_idle()
        slack_api.fail_next("chat.update", error="cant_update_message", count=10)

        # A breach: the first response is due an hour after the comment.
        clock.advance(timedelta(minutes=61))
        until(lambda: sum("*overdue*" in message.text for message in slack_api.thread(
            "C0ACME01", parent.ts) + slack_api.thread("C0ACME01", other.ts)) == 2)
        bot.wait_idle()
        samples = scrape(bot)

        assert value(samples, "socialdesk_messages_ingested_total", source="acme-hook", brand="acme") == 2
        assert value(samples, "socialdesk_messages_ingested_total", source="haneul-hook", brand="haneul") == 1
        assert value(samples, "socialdesk_slack_rate_limited_total", method="chat.postMessage") == 1
        assert value(samples, "socialdesk_slack_rate_limited_total", method="views.open") == 1
        assert value(samples, "socialdesk_slack_request_duration_seconds_count", kind="block_actions") == 1
        assert value(samples, "socialdesk_slack_errors_total", method="chat.postMessage", error="ratelimited") == 1
        assert value(samples, "socialdesk_slack_errors_total", method="chat.postMessage",
                     error="http_503") == 2
        assert value(samples, "socialdesk_platform_errors_total", source="acme-hook", operation="reply") == 1
        assert value(samples, "socialdesk_sla_breaches_total", brand="acme") == 2  # both acme comments
        assert value(samples, "socialdesk_sla_breaches_total", brand="haneul") is None  # a DM: 24 h
        assert value(samples, "socialdesk_outbox_jobs_failed_total", kind="update_parent") >= 1
        assert value(samples, "socialdesk_slack_request_duration_seconds_count", kind="command") == 1
        assert value(samples, "socialdesk_slack_request_duration_seconds_bucket", kind="command", le="+Inf") == 1
        assert value(samples, "socialdesk_database_up") == 1
        assert value(samples, "socialdesk_outbox_backlog") == 0
        assert value(samples, "socialdesk_outbox_oldest_job_age_seconds") == 0

        # The worker stops: the backlog and the age of its oldest job grow, read at each scrape.
        bot.runtime.worker.stop()
        assert bot.webhook(customer_message(id="m-3", conversation_id="third")).status_code == 202
        clock.advance(timedelta(seconds=90))
        samples = scrape(bot)
        assert value(samples, "socialdesk_outbox_backlog") >= 1
        assert value(samples, "socialdesk_outbox_oldest_job_age_seconds") == 90
        assert value(samples, "socialdesk_messages_ingested_total", source="acme-hook", brand="acme") == 3


def test_each_process_counts_its_own_and_reads_the_same_backlog(database_url, slack_api, receiver, clock):
    config = make_config(receiver.url)
    with running_bot(database_url, slack_api, config, clock) as one, \
            running_bot(database_url, slack_api, config, clock) as two:
        one.runtime.worker.stop()
        two.runtime.worker.stop()
        assert one.webhook(customer_message(id="a")).status_code == 202
        assert one.webhook(customer_message(id="b", conversation_id="b")).status_code == 202
        assert two.webhook(customer_message(id="c", conversation_id="c")).status_code == 202
        first, second = scrape(one), scrape(two)
    assert value(first, "socialdesk_messages_ingested_total", source="acme-hook", brand="acme") == 2
    assert value(second, "socialdesk_messages_ingested_total", source="acme-hook", brand="acme") == 1
    assert value(first, "socialdesk_outbox_backlog") == value(second, "socialdesk_outbox_backlog") >= 3


def test_the_sample_dashboard_only_queries_metrics_the_bot_exports(bot):
    import json
    import re
    from pathlib import Path

    dashboard = json.loads((Path(__file__).resolve().parents[1] / "docs" / "grafana-dashboard.json").read_text())
    queried = {name for panel in dashboard["panels"] for target in panel["targets"]
               for name in re.findall(r"socialdesk_[a-z_]+", target["expr"])}
    exported = {family.name for family in text_string_to_metric_families(bot.http.get(f"{bot.url}/metrics").text)}
    suffixes = ("_total", "_bucket")
    assert {name.removesuffix(suffixes[0]).removesuffix(suffixes[1]) for name in queried} <= exported


def test_polled_sources_count_their_messages_and_their_errors(database_url, slack_api, mastodon):  # noqa: F811
    with start_mastodon_bot(database_url, slack_api, mastodon, ManualClock(datetime.now(UTC))) as bot:
        poller = bot.runtime.pollers["acme-masto"]
        mastodon.mention("where is my order?")
        poller.tick()
        mastodon.revoke()
        poller.tick()
        samples = scrape(bot)
    assert value(samples, "socialdesk_messages_ingested_total", source="acme-masto", brand="acme") == 1
    assert value(samples, "socialdesk_platform_errors_total", source="acme-masto", operation="poll") == 1
