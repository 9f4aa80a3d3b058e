"""Counts every answer Slack gives, to any of the bot's clients, in the process's metrics."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import HttpRequest, HttpResponse, RetryHandler, RetryState

from bot.metrics import Metrics

_ERROR_CODE = re.compile(r"[a-z0-9_.]{1,64}")
"""Slack's error codes (channel_not_found, ratelimited): a label value, unlike a whole answer."""


def metered_slack_client(metrics: Metrics, **kwargs: Any) -> WebClient:
    """A WebClient whose every answer from Slack is counted. Bolt makes a client per request
    from this one's settings and retry handlers, so its listeners' calls are counted too."""
    client = WebClient(**kwargs)
    client.retry_handlers = [SlackCallMeter(metrics), *client.retry_handlers]
    return client


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
