"""Prometheus metrics, served at /metrics.

Each `serve` process has its own registry and exports its own counters and histograms (what this
process did since it started): Prometheus scrapes every process and sums them. The outbox gauges
are read from the database once per scrape, so every process exports the same figures for them:
aggregate those with ``max``, not ``sum``. See docs/operations.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.clock import Clock, as_utc
from storage.db import Database
from storage.operations import outbox_backlog

log = logging.getLogger(__name__)

ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
"""Slack wants an answer within 3 seconds."""


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.messages_ingested = Counter(
            "socialdesk_messages_ingested", "Customer messages stored (duplicates left out)",
            ["source", "brand"], registry=registry)
        self.jobs_failed = Counter(
            "socialdesk_outbox_jobs_failed", "Outbox jobs that failed for good, by effect kind",
            ["kind"], registry=registry)
        self.slack_rate_limited = Counter(
            "socialdesk_slack_rate_limited", "Slack Web API calls answered 429, by method",
            ["method"], registry=registry)
        self.slack_errors = Counter(
            "socialdesk_slack_errors", "Slack Web API calls that failed (ok: false, HTTP errors, unreachable), "
            "by method and error", ["method", "error"], registry=registry)
        self.platform_errors = Counter(
            "socialdesk_platform_errors", "Platform API calls that failed, by source and operation "
            "(poll, reply, moderate)", ["source", "operation"], registry=registry)
        self.sla_breaches = Counter(
            "socialdesk_sla_breaches", "Response-window deadlines breached (overdue notices sent), by brand",
            ["brand"], registry=registry)
        self.slack_request_seconds = Histogram(
            "socialdesk_slack_request_duration_seconds", "Time to answer a request from Slack (the ack), by kind",
            ["kind"], buckets=ACK_BUCKETS, registry=registry)

    def watch_database(self, db: Database, clock: Clock) -> None:
        self.registry.register(DatabaseCollector(db, clock))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class DatabaseCollector(Collector):
    """The outbox backlog and the age of its oldest job, read once per scrape."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def describe(self) -> list[Any]:
        return []  # read the database at scrape time only, not at registration

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("socialdesk_database_up", "1 when the database answered this scrape")
        try:
            with self.db.reading() as session:
                backlog = outbox_backlog(session)
        except Exception as error:  # the scrape still answers, and says the database did not
            log.warning("metrics: cannot read the outbox: %s", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("socialdesk_outbox_backlog", "Outbox jobs waiting to be carried out",
                                value=backlog.pending)
        age = 0.0
        if backlog.oldest_created_at is not None:
            age = max(0.0, (self.clock.now() - as_utc(backlog.oldest_created_at)).total_seconds())
        yield GaugeMetricFamily("socialdesk_outbox_oldest_job_age_seconds",
                                "Age of the oldest waiting outbox job (0 when none waits)", value=age)


def slack_request_kind(body: dict[str, Any]) -> str:
    """What a request from Slack is, as a label of few values: command, event, block_actions, ..."""
    if not isinstance(body, dict):
        return "other"
    if "command" in body:
        return "command"
    if body.get("type") == "event_callback":
        return "event"
    payload = body.get("payload")
    kind = payload.get("type") if isinstance(payload, dict) else body.get("type")
    return kind if kind in KNOWN_KINDS else "other"


KNOWN_KINDS = {"block_actions", "view_submission", "view_closed", "message_action", "shortcut",
               "block_suggestion", "url_verification"}
