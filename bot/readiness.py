"""Whether this process can do its work (/readyz): the database answers and its schema is current,
the delivery worker and the scheduler are alive and ticking, and Slack accepted the token when it
was last asked. /healthz only says that the process answers."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.delivery import DeliveryWorker
from storage.db import MIGRATIONS, Database
from storage.operations import current_revision, head_revision

log = logging.getLogger(__name__)

TOKEN_CHECK_MINUTES = 5
REVOKED = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
"""auth.test answers that mean the token will not work again (anything else may pass)."""


@dataclass(frozen=True)
class Check:
    name: str
    problem: str | None
    """None when fine; otherwise one line saying what is wrong."""


class Readiness:
    def __init__(self, db: Database, worker: DeliveryWorker, scheduler: BackgroundScheduler, slack: WebClient,
                 tick_seconds: float, stale_after: float) -> None:
        self.db = db
        self.worker = worker
        self.scheduler = scheduler
        self.slack = slack
        self.tick_seconds = tick_seconds
        """How often the scheduler calls scheduler_ticked() (its delivery tick)."""
        self.stale_after = stale_after
        self.head = head_revision(str(MIGRATIONS))
        self._scheduler_tick: float | None = None
        self._token_problem: str | None = None
        self._lock = threading.Lock()

    def scheduler_ticked(self) -> None:
        self._scheduler_tick = time.monotonic()

    def check_token(self) -> None:
        """auth.test: a revoked or invalid token makes the process not ready until a check passes.
        Slack unreachable proves nothing about the token and changes nothing."""
        try:
            self.slack.auth_test()
        except SlackApiError as error:
            code = error.response.get("error") if isinstance(error.response.data, dict) else None
            if code in REVOKED:
                log.error("slack: the bot token was refused (%s); Slack calls will fail until it is replaced", code)
                with self._lock:
                    self._token_problem = f"Slack refused the bot token at the last check: {code}"
            return
        except (OSError, SlackRequestError):
            return
        with self._lock:
            self._token_problem = None

    def checks(self) -> list[Check]:
        return [*self._database(), self._worker(), self._scheduler(), Check("slack_token", self._token_problem)]

    def report(self) -> tuple[bool, dict[str, Any]]:
        checks = self.checks()
        ready = all(check.problem is None for check in checks)
        body: dict[str, Any] = {"status": "ready" if ready else "not ready",
                                "checks": {check.name: check.problem or "ok" for check in checks}}
        if not ready:
            body["reason"] = "; ".join(f"{check.name}: {check.problem}" for check in checks if check.problem)
        return ready, body

    def _database(self) -> list[Check]:
        try:
            with self.db.reading() as session:
                revision = current_revision(session)
        except Exception as error:
            reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            return [Check("database", f"unreachable ({reason})"),
                    Check("migrations", "unknown: the database is unreachable")]
        if revision != self.head:
            return [Check("database", None),
                    Check("migrations", f"schema at {revision or 'nothing'}, code expects {self.head}; "
                                        "run `socialdesk migrate`")]
        return [Check("database", None), Check("migrations", None)]

    def _worker(self) -> Check:
        if not self.worker.running():
            return Check("delivery_worker", "the delivery worker thread is not running")
        return Check("delivery_worker", self._stale(self.worker.last_tick, "the delivery worker"))

    def _scheduler(self) -> Check:
        if not self.scheduler.running:
            return Check("scheduler", "the scheduler is not running")
        return Check("scheduler", self._stale(self._scheduler_tick, "the scheduler"))

    def _stale(self, last: float | None, what: str) -> str | None:
        if last is None:
            return f"{what} has not ticked yet"
        age = time.monotonic() - last
        if age > self.stale_after:
            return f"{what} last ticked {age:.0f}s ago (expected at least every {self.stale_after:.0f}s)"
        return None
