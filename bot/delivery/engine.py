"""Carries out the outbox: posts and edits Slack messages and sends replies to the platforms.

Every effect is read from durable state and retried until it succeeds or fails for good, so a
Slack or platform outage delays messages but loses none. Jobs of one conversation run in order
(the parent before its thread); claims are leases, so several processes can share one database.
How each effect is carried out is in bot/delivery/effects/ (HANDLERS: the table from effect to
function), every call to Slack goes through bot/delivery/slack_gateway.py, and how a job ends
(retry with backoff, failure, attention) is in bot/delivery/outcomes.py.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import timedelta

from slack_sdk import WebClient

from bot.clock import Clock
from bot.config import Config
from bot.delivery.attempt import Attempt, Services
from bot.delivery.effects import HANDLERS, digest, notices
from bot.delivery.errors import GiveUp, NotYet, Refused, Retry
from bot.delivery.job import Job
from bot.delivery.outcomes import Outcomes
from bot.delivery.slack_gateway import WORST_CASE_CALLS, SlackGateway
from bot.digest import DigestComposer
from bot.domain.desk import Desk
from bot.domain.effects import Effect, Payload, PostDigest, PublishHome, stored_payload
from storage import jobs
from storage.db import Database
from storage.models import JobStatus, OutboxJob

log = logging.getLogger(__package__)

BATCH = 50
PASS_GAP = 0.05
"""Seconds between the starts of two passes woken by new jobs: a burst of committed batches wakes the
worker once per gap instead of once per batch (every pass reads the due jobs), and a new job waits
at most this long for it."""
PACED_GAP = 0.25
"""The same, after a pass that could run nothing because every due job waited for its channel's pace:
under a burst, new jobs mostly join those queues. The price: meanwhile a job for another channel, or a
reply to a platform, waits up to this long. A channel's next slot is never waited past."""
PRIORITY_AGING = timedelta(minutes=2)
CONVERSATION_CHANNEL_POSTS = {Effect.POST_PARENT, Effect.POST_MESSAGE, Effect.POST_NOTE}
"""Effects that post to the conversation's own channel, so their pace is known before they run."""

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
        self.outcomes = Outcomes(db, desk, config, clock)
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
            started = self.last_tick = time.monotonic()
            self._wake.clear()
            gap = PASS_GAP
            try:
                while self.run_once() and not self._stop.is_set():
                    pass
                if self._paced:
                    gap = PACED_GAP
                wait = self._seconds_to_next_job(poll)
            except Exception:
                log.exception("delivery: unexpected error; retrying shortly")
                wait = poll
            due = time.monotonic() + wait
            if self._wake.wait(wait):
                self._stop.wait(min(started + gap, due) - time.monotonic())

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
            if self._claim(job):
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
                    row.attempts, row.claimed_by, row.created_at)
                for row in jobs.due_jobs(session, now, Effect.POST_PARENT.value, PRIORITY_AGING, BATCH)
            ]

    def _claim(self, job: Job) -> bool:
        """The job's lease, if no other worker has it or has tried the job since it was listed (the next
        pass sees such a job as it is now, suspect if it may have been carried out)."""
        now = self.clock.now()
        with self.db.transaction() as session:
            return jobs.claim(session, job.id, now, now + self.lease, self.worker_id,
                              attempts=job.attempts, claimed_by=job.claimed_by)

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
            self.outcomes.finish(job_id, JobStatus.DONE, None)
            return True
        payload: Payload | None = None
        try:
            payload = stored_payload(Effect(kind), stored)
            self._perform_or_shorten(job, payload)
        except NotYet as paced:
            self._paced.add(paced.key)
            self.outcomes.release(job_id)
            return False
        except Retry as retry:
            return self.outcomes.retry_or_fail(job_id, kind, payload, attempts + 1, str(retry), retry.after)
        except Refused as refusal:
            assert payload is not None
            self.outcomes.needs_attention(job, payload, refusal)
        except GiveUp as failure:
            log.error("delivery: %s for conversation %s failed for good: %s", kind, conversation_id, failure)
            self.outcomes.finish(job_id, JobStatus.FAILED, str(failure), kind=kind)
        except Exception as exc:
            log.exception("delivery: %s for conversation %s raised", kind, conversation_id)
            error = f"{type(exc).__name__}: {exc}"
            return self.outcomes.retry_or_fail(job_id, kind, payload, attempts + 1, error, None)
        else:
            self.outcomes.finish(job_id, JobStatus.DONE, None)
        return True

    def _perform_or_shorten(self, job: Job, payload: Payload) -> None:
        """Carry the effect out; what Slack refuses as invalid is sent again at once in a shortened form
        (plain text, cut harder) rather than dropped."""
        handler = HANDLERS[Effect(job.kind)]
        attempt = Attempt(self.services, job)
        try:
            handler(attempt, payload)
        except Refused as refusal:
            log.warning("delivery: %s for conversation %s refused (%s); sending it shortened", job.kind,
                        job.conversation_id, refusal.error)
            attempt.shortened = True
            handler(attempt, payload)
