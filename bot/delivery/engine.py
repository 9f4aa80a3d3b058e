"""Carries out the outbox: posts and edits Slack messages and sends replies to the platforms.

Every effect is read from durable state and retried until it succeeds or fails for good, so a
Slack or platform outage delays messages but loses none. Jobs of one conversation run in order
(the parent before its thread); claims are leases, so several processes can share one database.
How each effect is carried out is in bot/delivery/effects/, every call to Slack goes through
bot/delivery/slack_gateway.py.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient

from bot.clock import Clock
from bot.config import Config
from bot.delivery.attempt import Attempt, Services
from bot.delivery.effects import crisis, digest, moderation, notices, replies, threads
from bot.delivery.errors import PARENT_NOT_SHOWN, GiveUp, NotYet, Refused, Retry
from bot.delivery.job import Job
from bot.delivery.slack_gateway import WORST_CASE_CALLS, SlackGateway
from bot.digest import DigestComposer
from bot.domain import Desk
from bot.domain.effects import (
    Effect, Payload, PostDigest, PostSourceStatus, PostUnshownNotice, PublishHome, SendReply, stored_payload,
)
from bot.domain.outbox import enqueue_payload
from storage import jobs
from storage.db import Database
from storage.models import Conversation, JobStatus, OutboxJob

log = logging.getLogger(__package__)

BATCH = 50
PRIORITY_AGING = timedelta(minutes=2)
CONVERSATION_CHANNEL_POSTS = {Effect.POST_PARENT, Effect.POST_MESSAGE, Effect.POST_NOTE}
"""Effects that post to the conversation's own channel, so their pace is known before they run."""

HANDLERS: dict[Effect, Callable[[Attempt, Any], Any]] = {
    Effect.POST_PARENT: threads.post_parent,
    Effect.UPDATE_PARENT: threads.update_parent,
    Effect.POST_MESSAGE: threads.post_message,
    Effect.POST_NOTE: threads.post_note,
    Effect.UPDATE_NOTE: threads.update_note,
    Effect.POST_ESCALATION: threads.post_escalation,
    Effect.SEND_REPLY: replies.send_reply,
    Effect.MODERATE: moderation.moderate,
    Effect.DM_USER: notices.dm_user,
    Effect.PUBLISH_HOME: notices.publish_home,
    Effect.QUIET_LINE: notices.quiet_line,
    Effect.POST_LEAD: notices.post_lead,
    Effect.POST_SOURCE_STATUS: notices.post_source_status,
    Effect.POST_UNSHOWN_NOTICE: notices.post_unshown_notice,
    Effect.POST_DIGEST: digest.post_digest,
    Effect.UPLOAD_CHART: digest.upload_chart,
    Effect.POST_CRISIS_ALERT: crisis.post_crisis_alert,
    Effect.POST_SURGE_THREAD: crisis.post_surge_thread,
    Effect.POST_CRISIS_ALL_CLEAR: crisis.post_crisis_all_clear,
    Effect.POST_SURGE_ENDED: crisis.post_surge_ended,
}
"""Each effect's function: it takes the attempt and the job's payload, of the effect's payload type."""


def job_lease(config: Config) -> timedelta:
    """How long a worker holds a job: as configured, and never less than the job's worst case (every
    call it may make taking the whole timeout), so that no second worker takes over a job still running."""
    delivery = config.delivery
    worst = WORST_CASE_CALLS * delivery.http_timeout + delivery.http_timeout
    return max(delivery.lease, worst)


class DeliveryWorker:
    def __init__(
        self,
        db: Database,
        desk: Desk,
        config: Config,
        slack: WebClient,
        clock: Clock,
        digests: DigestComposer,
    ) -> None:
        self.db = db
        self.desk = desk
        self.config = config
        self.slack = SlackGateway(slack, config)
        self.services = Services(db, desk, config, clock, digests, self.slack)
        self.clock = clock
        self.worker_id = uuid.uuid4().hex[:12]
        self.pacer = self.slack.pacer
        self.lease = job_lease(config)
        self._paced: set[str] = set()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_tick: float | None = None
        """When the worker's loop last went round (time.monotonic()), for /readyz."""

    # -- running ---------------------------------------------------------------------------

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="socialdesk-delivery", daemon=True)
        self._thread.start()

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        poll = self.config.delivery.poll_interval.total_seconds()
        while not self._stop.is_set():
            self.last_tick = time.monotonic()
            self._wake.clear()
            try:
                while self.run_once() and not self._stop.is_set():
                    pass
                wait = self._seconds_to_next_job(poll)
            except Exception:
                log.exception("delivery: unexpected error; retrying shortly")
                wait = poll
            self._wake.wait(wait)

    def run_once(self) -> int:
        """Carry out the jobs due now; returns how many were attempted."""
        attempted = 0
        held_back: set[int | None] = set()
        self._paced = set()
        for job in self._due_jobs():
            self.last_tick = time.monotonic()
            if job.conversation_id in held_back:
                continue  # an earlier job of this conversation did not go through: keep the order
            if job.channel and job.channel in self._paced:
                held_back.add(job.conversation_id)
                continue
            if job.channel and self.pacer.wait(job.channel) > 0:
                self._paced.add(job.channel)
                held_back.add(job.conversation_id)
                continue
            if self._claim(job.id):
                if not self._run(job) and job.conversation_id is not None:
                    held_back.add(job.conversation_id)
                attempted += 1
        return attempted

    def pending(self) -> int:
        """How many effects are still waiting to be carried out."""
        with self.db.transaction() as session:
            return jobs.pending_count(session)

    # -- effects run on request, outside the outbox ------------------------------------------

    def publish_home(self, user: str) -> None:
        notices.publish_home(Attempt(self.services), PublishHome(user=user))

    def post_digest(self, brand_id: str, since: str, until: str) -> str:
        """Post the digest text, then queue its chart for the thread; returns the message ts."""
        return digest.post_digest(Attempt(self.services), PostDigest(brand=brand_id, since=since, until=until))

    # -- claiming --------------------------------------------------------------------------

    def _due_jobs(self) -> list[Job]:
        # A new conversation's parent goes before notes and edits waiting in the same channel (under a
        # backlog it would appear minutes late); whatever has waited longer than PRIORITY_AGING joins it,
        # in the order it came, so that a stream of new conversations starves nothing.
        now = self.clock.now()
        with self.db.transaction() as session:
            return [
                Job(row.id, row.conversation_id, row.kind,
                    row.slack_channel if row.kind in CONVERSATION_CHANNEL_POSTS else None,
                    suspect=row.attempts > 0 or row.claimed_by is not None, created_at=row.created_at)
                for row in jobs.due_jobs(session, now, Effect.POST_PARENT.value, PRIORITY_AGING, BATCH)
            ]

    def _claim(self, job_id: int) -> bool:
        now = self.clock.now()
        with self.db.transaction() as session:
            return jobs.claim(session, job_id, now, now + self.lease, self.worker_id)

    def _seconds_to_next_job(self, poll: float) -> float:
        now = self.clock.now()
        with self.db.transaction() as session:
            next_at = jobs.next_attempt_after(session, now)
        wait = poll if next_at is None else min(poll, max(0.01, (next_at - now).total_seconds()))
        paced = self.pacer.next_free(self._paced)
        return wait if paced is None else min(wait, max(0.01, paced))

    # -- running one job -------------------------------------------------------------------

    def _run(self, job: Job) -> bool:
        """Run one claimed job; False when it must be tried again later."""
        job_id = job.id
        with self.db.transaction() as session:
            row = session.get_one(OutboxJob, job_id)
            kind, stored, conversation_id, attempts = row.kind, dict(row.payload), row.conversation_id, row.attempts
            superseded = kind == Effect.UPDATE_PARENT and jobs.later_pending(
                session, job_id, conversation_id, Effect.UPDATE_PARENT.value)
        if superseded:
            # The parent is rendered from the conversation as it is when the update runs: a later
            # update still to come will show everything this one would have (fewer chat.update calls).
            self._finish(job_id, JobStatus.DONE, None)
            return True
        payload: Payload | None = None
        try:
            payload = stored_payload(Effect(kind), stored)
            self._perform_or_shorten(Attempt(self.services, job), payload)
        except NotYet as paced:
            self._paced.add(paced.key)
            self._release(job_id)
            return False
        except Retry as retry:
            return self._retry_or_fail(job_id, kind, payload, attempts + 1, str(retry), retry.after)
        except Refused as refusal:
            assert payload is not None
            self._needs_attention(job, payload, conversation_id, refusal)
        except GiveUp as failure:
            log.error("delivery: %s for conversation %s failed for good: %s", kind, conversation_id, failure)
            self._finish(job_id, JobStatus.FAILED, str(failure), kind=kind)
        except Exception as exc:
            log.exception("delivery: %s for conversation %s raised", kind, conversation_id)
            return self._retry_or_fail(job_id, kind, payload, attempts + 1, f"{type(exc).__name__}: {exc}", None)
        else:
            self._finish(job_id, JobStatus.DONE, None)
        return True

    def _perform_or_shorten(self, attempt: Attempt, payload: Payload) -> None:
        """Carry the effect out; what Slack refuses as invalid is sent again at once in a shortened form
        (plain text, cut harder) rather than dropped."""
        assert attempt.job is not None
        handler = HANDLERS[Effect(attempt.job.kind)]
        try:
            handler(attempt, payload)
        except Refused as refusal:
            log.warning("delivery: %s for conversation %s refused (%s); sending it shortened", attempt.job.kind,
                        attempt.job.conversation_id, refusal.error)
            attempt.shortened = True
            handler(attempt, payload)

    def _needs_attention(self, job: Job, payload: Payload, conversation_id: int | None, refusal: Refused) -> None:
        """Slack refused even the shortened form: the job waits for the admins, who are told in the
        brand's channel and in App Home."""
        log.error("delivery: %s for conversation %s refused even shortened: %s", job.kind, conversation_id, refusal)
        # A notice, or a thread message of a refused parent, is not announced again: App Home lists it.
        announced = job.kind == Effect.POST_UNSHOWN_NOTICE or refusal.error == PARENT_NOT_SHOWN
        brand = None if announced else self._brand_of(payload, conversation_id)
        now = self.clock.now()
        with self.db.transaction() as session:
            jobs.finish(session, job.id, JobStatus.ATTENTION, now, str(refusal))
            if brand is not None:
                enqueue_payload(session, PostUnshownNotice(job=job.id, brand=brand, what=job.kind, error=refusal.error),
                                None, now, dedupe_key=f"unshown:{job.id}")

    def _brand_of(self, payload: Payload, conversation_id: int | None) -> str | None:
        if conversation_id is not None:
            with self.db.transaction() as session:
                return session.get_one(Conversation, conversation_id).brand_id
        brand = getattr(payload, "brand", None)
        if brand in self.config.brands:
            return str(brand)
        source = self.config.sources.get(payload.source) if isinstance(payload, PostSourceStatus) else None
        return source.brand if source else None

    def _release(self, job_id: int) -> None:
        with self.db.transaction() as session:
            jobs.release(session, job_id)

    def _retry_or_fail(
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
            self._finish(job_id, JobStatus.FAILED, error, attempts, kind=kind)
            return True
        backoff = min(delivery.retry_max.total_seconds(), delivery.retry_base.total_seconds() * 2 ** (attempts - 1))
        delay = max(after or 0.0, backoff * random.uniform(0.8, 1.0))
        log.warning("delivery: %s will be retried in %.1fs (attempt %d): %s", kind, delay, attempts, error)
        with self.db.transaction() as session:
            jobs.retry_later(session, job_id, attempts, error, self.clock.now() + timedelta(seconds=delay))
        return False

    def _finish(self, job_id: int, status: JobStatus, error: str | None, attempts: int | None = None,
                kind: str | None = None) -> None:
        if status == JobStatus.FAILED and kind is not None:
            self.desk.metrics.jobs_failed.labels(kind).inc()
        with self.db.transaction() as session:
            jobs.finish(session, job_id, status, self.clock.now(), error, attempts)
