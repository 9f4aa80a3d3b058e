"""Prometheus metrics, served at /metrics.

Each `serve` process has its own registry and exports its own counters and histograms (what this
process did since it started): Prometheus scrapes every process and sums them. The outbox gauges
are read from the database once per scrape, so every process exports the same figures for them:
aggregate those with ``max``, not ``sum``. See docs/operations.md.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState

from bot.clock import Clock
from storage.db import Database
from storage.operations import outbox_backlog

log = logging.getLogger(__name__)

_ERROR_CODE = re.compile(r"[a-z0-9_.]{1,64}")
"""Slack's error codes (channel_not_found, ratelimited): a label value, unlike a whole answer."""
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

    def slack_client(self, **kwargs: Any) -> WebClient:
        """A WebClient whose every answer from Slack is counted. Bolt makes a client per request
        from this one's settings and retry handlers, so its listeners' calls are counted too."""
        client = WebClient(**kwargs)
        client.retry_handlers = [SlackCallMeter(self), *client.retry_handlers]
        return client


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
            age = max(0.0, (self.clock.now() - backlog.oldest_created_at).total_seconds())
        yield GaugeMetricFamily("socialdesk_outbox_oldest_job_age_seconds",
                                "Age of the oldest waiting outbox job (0 when none waits)", value=age)


class SlackCallMeter(RetryHandler):
    """Never retries: slack_sdk shows every answer (and every network error) to its retry handlers,
    which makes this the one place that sees the calls of every client, Bolt's included."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(max_retry_count=0)
        self._metrics = metrics

    def can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                  error: Exception | None = None) -> bool:
        method = request.url.split("?", 1)[0].rsplit("/", 1)[-1]
        if response is None:
            if error is not None:
                self._metrics.slack_errors.labels(method, "unreachable").inc()
            return False
        code = _error_code(response)
        if response.status_code == 429:
            self._metrics.slack_rate_limited.labels(method).inc()
        if code is not None:
            self._metrics.slack_errors.labels(method, code).inc()
        return False


def _error_code(response: HttpResponse) -> str | None:
    """Slack's error code (channel_not_found, ratelimited), http_<status> for an error without one
    (an HTML error page, say), None for an answer that is ok."""
    body = response.body
    if not body and response.data:
        try:
            body = json.loads(response.data)
        except ValueError:
            body = None
    if response.status_code < 400 and (not isinstance(body, dict) or body.get("ok") is not False):
        return None
    code = body.get("error") if isinstance(body, dict) else None
    if isinstance(code, str) and _ERROR_CODE.fullmatch(code):
        return code
    return f"http_{response.status_code}"


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
