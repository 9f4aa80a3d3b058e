"""How a job ends once attempted: done, retried with backoff, failed for good, or set aside for the
admins when Slack refused even its shortened form."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from bot.clock import Clock
from bot.config import Config
from bot.delivery.errors import PARENT_NOT_SHOWN, Refused
from bot.delivery.job import Job
from bot.domain.desk import Desk
from bot.domain.effects import Effect, Payload, PostSourceStatus, PostUnshownNotice, SendReply
from bot.domain.outbox import enqueue_payload
from storage import jobs
from storage.db import Database
from storage.models import Conversation, JobStatus

log = logging.getLogger(__package__)


class Outcomes:
    def __init__(self, db: Database, desk: Desk, config: Config, clock: Clock) -> None:
        self.db = db
        self.desk = desk
        self.config = config
        self.clock = clock

    def release(self, job_id: int) -> None:
        """The job did not run (its channel is paced): it waits without counting an attempt."""
        with self.db.transaction() as session:
            jobs.release(session, job_id)

    def retry_or_fail(
        self, job_id: int, kind: str, payload: Payload | None, attempts: int, error: str, after: float | None
    ) -> bool:
        """Schedule another attempt (False) or, out of attempts, fail the job for good (True)."""
        delivery = self.config.delivery
        # Slack effects are retried for as long as it takes: an outage of any length loses nothing.
        # A customer reply stops after max_attempts and is shown as not delivered, with a Retry button.
        if kind == Effect.SEND_REPLY and attempts >= delivery.max_attempts:
            log.error("delivery: %s gave up after %d attempts: %s", kind, attempts, error)
            if isinstance(payload, SendReply):
                self.desk.reply_failed(payload.reply_id, error)
            self.finish(job_id, JobStatus.FAILED, error, attempts, kind=kind)
            return True
        backoff = min(delivery.retry_max.total_seconds(), delivery.retry_base.total_seconds() * 2 ** (attempts - 1))
        delay = max(after or 0.0, backoff * random.uniform(0.8, 1.0))
        log.warning("delivery: %s will be retried in %.1fs (attempt %d): %s", kind, delay, attempts, error)
        with self.db.transaction() as session:
            jobs.retry_later(session, job_id, attempts, error, self.clock.now() + timedelta(seconds=delay))
        return False

    def finish(self, job_id: int, status: JobStatus, error: str | None, attempts: int | None = None,
               kind: str | None = None) -> None:
        if status == JobStatus.FAILED and kind is not None:
            self.desk.metrics.jobs_failed.labels(kind).inc()
        with self.db.transaction() as session:
            jobs.finish(session, job_id, status, self.clock.now(), error, attempts)

    def needs_attention(self, job: Job, payload: Payload, refusal: Refused) -> None:
        """Slack refused even the shortened form: the job waits for the admins, who are told in the
        brand's channel and in App Home."""
        log.error("delivery: %s for conversation %s refused even shortened: %s", job.kind, job.conversation_id,
                  refusal)
        # A notice, or a thread message of a refused parent, is not announced again: App Home lists it.
        announced = job.kind == Effect.POST_UNSHOWN_NOTICE or refusal.error == PARENT_NOT_SHOWN
        brand = None if announced else self._brand_of(payload, job.conversation_id)
        now = self.clock.now()
        with self.db.transaction() as session:
            jobs.finish(session, job.id, JobStatus.ATTENTION, now, str(refusal))
            if brand is not None:
                notice = PostUnshownNotice(job=job.id, brand=brand, what=job.kind, error=refusal.error)
                enqueue_payload(session, notice, None, now, dedupe_key=f"unshown:{job.id}")

    def _brand_of(self, payload: Payload, conversation_id: int | None) -> str | None:
        if conversation_id is not None:
            with self.db.transaction() as session:
                return session.get_one(Conversation, conversation_id).brand_id
        brand = getattr(payload, "brand", None)
        if brand in self.config.brands:
            return str(brand)
        source = self.config.sources.get(payload.source) if isinstance(payload, PostSourceStatus) else None
        return source.brand if source else None
