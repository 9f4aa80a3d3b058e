"""Carries out the outbox: posts and edits Slack messages and sends replies to the platforms.

Every effect is read from durable state and retried until it succeeds or fails for good, so a
Slack or platform outage delays messages but loses none. Jobs of one conversation run in order
(the parent before its thread); claims are leases, so several processes can share one database.

Slack has no idempotency key for chat.postMessage, so every post carries the job's key in its
message metadata; a job that may already have been carried out (its worker died, or Slack's answer
was lost) first looks for that key in the channel or thread instead of posting again. Posts are
paced to one per second per channel, as Slack asks, and a 429 holds back only what it concerns.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy import case, exists, func, or_, outerjoin, select, update
from sqlalchemy.orm import Session, aliased

from bot import rendering
from bot.clock import Clock
from bot.config import Config, Crisis
from bot.domain import Desk
from bot.digest import DigestComposer
from bot.domain.channel_alerts import REASONS, refusal_note
from bot.domain.outbox import Effect, enqueue
from bot.platforms import DeliveryError, OutgoingReply, moderation
from bot.slack_check import channels_to_check
from storage.db import Database
from storage import repositories as repo
from storage.models import (
    Activity, Conversation, CrisisEpisode, JobStatus, Message, OutboxJob, QuietLine, Reply, ReplyStatus,
)

log = logging.getLogger(__name__)

BATCH = 50
PRIORITY_AGING = timedelta(minutes=2)
TRANSIENT_SLACK_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
INVALID_CONTENT_ERRORS = {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "msg_too_long",
                          "invalid_arguments", "invalid_attachments", "too_many_attachments", "no_text"}
"""What Slack answers when it refuses a message or view as it was built; a shorter form may pass."""
CONTENT_METHODS = {"chat_postMessage", "chat_update", "views_publish"}
PARENT_NOT_SHOWN = "parent_not_shown"
"""Not Slack's: a thread message whose conversation's parent Slack refused; the parent's notice covers it."""
POST_METADATA_TYPE = "socialdesk_post"
HISTORY_PAGE = 200
MAX_HISTORY_PAGES = 10
"""A post whose answer was lost is looked for among this many pages of newer messages at most."""
WORST_CASE_CALLS = MAX_HISTORY_PAGES + 4
"""The most calls one job makes: the pages of the lookup, the post, its shortened form when Slack
refuses the first, and a permalink or the workspace's address. The SDK makes no retries of its own."""
POSTING_METHODS = {"chat_postMessage", "chat_update", "files_upload_v2"}
CHANNEL_REFUSALS = {"is_archived", "channel_not_found", "not_in_channel"}
"""Slack refuses every post to the channel until someone fixes it: the posts wait, the admins are told."""
LOOKUP_REFUSALS = {"not_in_channel", "missing_scope", "channel_not_found"}
"""Why the bot may not read a channel's history; the lookup before a post is skipped, not the post."""
CONVERSATION_CHANNEL_POSTS = {Effect.POST_PARENT, Effect.POST_MESSAGE, Effect.POST_NOTE}
"""Effects that post to the conversation's own channel, so their pace is known before they run."""


class Retry(Exception):
    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class GiveUp(Exception):
    """The effect can never succeed as it stands (bad channel, missing parent, ...)."""


class SlackRefused(GiveUp):
    def __init__(self, method: str, error: str, fix: str = "") -> None:
        super().__init__(f"Slack {method} refused: {error}" + (f"; {fix}" if fix else ""))
        self.error = error


class Refused(SlackRefused):
    """Slack refused the content of a message or view as invalid (too long, malformed)."""


class NotYet(Exception):
    """The channel or method is paced or rate limited for a moment; the job waits without counting
    an attempt."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Pacer:
    """At most one post per second per channel, and a 429's Retry-After for what it concerns.
    Real time, whatever the bot's clock: Slack counts in real seconds."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._free_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        with self._lock:
            return max(0.0, self._free_at.get(key, 0.0) - time.monotonic())

    def used(self, key: str) -> None:
        with self._lock:
            self._free_at[key] = max(self._free_at.get(key, 0.0), time.monotonic() + self.interval)

    def hold(self, key: str, seconds: float) -> None:
        with self._lock:
            self._free_at[key] = max(self._free_at.get(key, 0.0), time.monotonic() + seconds)

    def next_free(self, keys: set[str]) -> float | None:
        waits = [self.wait(key) for key in keys]
        return min(waits) if waits else None


@dataclass(frozen=True)
class _Job:
    id: int
    conversation_id: int | None
    kind: str
    channel: str | None
    suspect: bool
    """A worker may have carried this job out already (it died, or an answer was lost)."""
    created_at: datetime


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
        self.slack = slack
        self.digests = digests
        self.clock = clock
        self.worker_id = uuid.uuid4().hex[:12]
        self._workspace_url: str | None = None
        self.pacer = Pacer(config.delivery.channel_pace.total_seconds())
        self.lease = job_lease(config)
        self._running = threading.local()
        self._paced: set[str] = set()
        self._refused_channels: dict[str, str] = {}
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
        held_back: set[int] = set()
        self._paced = set()
        for job in self._due_jobs():
            self.last_tick = time.monotonic()
            if job.conversation_id in held_back:
                continue  # an earlier job of this conversation did not go through: keep the order
            if job.channel and job.channel in self._paced:
                held_back.add(job.conversation_id)  # type: ignore[arg-type]
                continue
            if job.channel and self.pacer.wait(job.channel) > 0:
                self._paced.add(job.channel)
                held_back.add(job.conversation_id)  # type: ignore[arg-type]
                continue
            if self._claim(job.id):
                if not self._run(job) and job.conversation_id is not None:
                    held_back.add(job.conversation_id)
                attempted += 1
        return attempted

    def pending(self) -> int:
        """How many effects are still waiting to be carried out."""
        with self.db.transaction() as session:
            return session.scalar(
                select(func.count()).select_from(OutboxJob).where(OutboxJob.status == JobStatus.PENDING)
            ) or 0

    # -- claiming --------------------------------------------------------------------------

    def _due_jobs(self) -> list[_Job]:
        now = self.clock.now()
        earlier = aliased(OutboxJob)
        # A new conversation's parent goes before notes and edits waiting in the same channel (under a
        # backlog it would appear minutes late); whatever has waited longer than PRIORITY_AGING joins it,
        # in the order it came, so that a stream of new conversations starves nothing.
        first_turn = case((or_(OutboxJob.kind == Effect.POST_PARENT.value,
                               OutboxJob.created_at <= now - PRIORITY_AGING), 0), else_=1)
        blocked = exists().where(
            earlier.conversation_id == OutboxJob.conversation_id,
            earlier.id < OutboxJob.id,
            earlier.status == JobStatus.PENDING,
        )
        query = (
            select(OutboxJob.id, OutboxJob.conversation_id, OutboxJob.kind, OutboxJob.attempts,
                   OutboxJob.claimed_by, OutboxJob.created_at, Conversation.slack_channel)
            .select_from(outerjoin(OutboxJob, Conversation, OutboxJob.conversation_id == Conversation.id))
            .where(
                OutboxJob.status == JobStatus.PENDING,
                OutboxJob.next_attempt_at <= now,
                or_(OutboxJob.claimed_until.is_(None), OutboxJob.claimed_until < now),
                or_(OutboxJob.conversation_id.is_(None), ~blocked),
            )
            .order_by(first_turn, OutboxJob.id)
            .limit(BATCH)
        )
        with self.db.transaction() as session:
            return [
                _Job(row.id, row.conversation_id, row.kind,
                     row.slack_channel if row.kind in CONVERSATION_CHANNEL_POSTS else None,
                     suspect=row.attempts > 0 or row.claimed_by is not None, created_at=row.created_at)
                for row in session.execute(query)
            ]

    def _claim(self, job_id: int) -> bool:
        now = self.clock.now()
        with self.db.transaction() as session:
            claimed = session.execute(
                update(OutboxJob)
                .where(
                    OutboxJob.id == job_id,
                    OutboxJob.status == JobStatus.PENDING,
                    or_(OutboxJob.claimed_until.is_(None), OutboxJob.claimed_until < now),
                )
                .values(claimed_until=now + self.lease, claimed_by=self.worker_id)
            )
            return claimed.rowcount == 1

    def _seconds_to_next_job(self, poll: float) -> float:
        now = self.clock.now()
        with self.db.transaction() as session:
            next_at = session.scalar(
                select(func.min(OutboxJob.next_attempt_at)).where(
                    OutboxJob.status == JobStatus.PENDING, OutboxJob.next_attempt_at > now
                )
            )
        wait = poll if next_at is None else min(poll, max(0.01, (next_at - now).total_seconds()))
        paced = self.pacer.next_free(self._paced)
        return wait if paced is None else min(wait, max(0.01, paced))

    # -- running one job -------------------------------------------------------------------

    def _run(self, job: _Job) -> bool:
        """Run one claimed job; False when it must be tried again later."""
        job_id = job.id
        with self.db.transaction() as session:
            row = session.get_one(OutboxJob, job_id)
            kind, payload, conversation_id, attempts = row.kind, dict(row.payload), row.conversation_id, row.attempts
            superseded = kind == Effect.UPDATE_PARENT and _later_parent_update(session, job_id, conversation_id)
        if superseded:
            # The parent is rendered from the conversation as it is when the update runs: a later
            # update still to come will show everything this one would have (fewer chat.update calls).
            self._finish(job_id, JobStatus.DONE, None)
            return True
        self._running.job = job
        self._running.shortened = False
        try:
            self._perform_or_shorten(Effect(kind), payload, conversation_id)
        except NotYet as paced:
            self._paced.add(paced.key)
            self._release(job_id)
            return False
        except Retry as retry:
            return self._retry_or_fail(job_id, kind, payload, attempts + 1, str(retry), retry.after)
        except Refused as refusal:
            self._needs_attention(job, payload, conversation_id, refusal)
        except GiveUp as failure:
            log.error("delivery: %s for conversation %s failed for good: %s", kind, conversation_id, failure)
            self._finish(job_id, JobStatus.FAILED, str(failure), kind=kind)
        except Exception as exc:
            log.exception("delivery: %s for conversation %s raised", kind, conversation_id)
            return self._retry_or_fail(job_id, kind, payload, attempts + 1, f"{type(exc).__name__}: {exc}", None)
        else:
            self._finish(job_id, JobStatus.DONE, None)
        finally:
            self._running.job = None
            self._running.shortened = False
        return True

    def _perform_or_shorten(self, effect: Effect, payload: dict[str, Any], conversation_id: int | None) -> None:
        """Carry the effect out; what Slack refuses as invalid is sent again at once in a shortened form
        (plain text, cut harder) rather than dropped."""
        try:
            self._perform(effect, payload, conversation_id)
        except Refused as refusal:
            log.warning("delivery: %s for conversation %s refused (%s); sending it shortened", effect.value,
                        conversation_id, refusal.error)
            self._running.shortened = True
            self._perform(effect, payload, conversation_id)

    def _needs_attention(self, job: _Job, payload: dict[str, Any], conversation_id: int | None, refusal: Refused) -> None:
        """Slack refused even the shortened form: the job waits for the admins, who are told in the
        brand's channel and in App Home."""
        log.error("delivery: %s for conversation %s refused even shortened: %s", job.kind, conversation_id, refusal)
        # A notice, or a thread message of a refused parent, is not announced again: App Home lists it.
        announced = job.kind == Effect.POST_UNSHOWN_NOTICE or refusal.error == PARENT_NOT_SHOWN
        brand = None if announced else self._brand_of(payload, conversation_id)
        now = self.clock.now()
        with self.db.transaction() as session:
            session.execute(update(OutboxJob).where(OutboxJob.id == job.id).values(
                status=JobStatus.ATTENTION, done_at=now, claimed_until=None, last_error=str(refusal)))
            if brand is not None:
                enqueue(session, Effect.POST_UNSHOWN_NOTICE, None, now, dedupe_key=f"unshown:{job.id}",
                        job=job.id, brand=brand, what=job.kind, error=refusal.error)

    def _brand_of(self, payload: dict[str, Any], conversation_id: int | None) -> str | None:
        if conversation_id is not None:
            with self.db.transaction() as session:
                return session.get_one(Conversation, conversation_id).brand_id
        if payload.get("brand") in self.config.brands:
            return str(payload["brand"])
        source = self.config.sources.get(str(payload.get("source")))
        return source.brand if source else None

    def _release(self, job_id: int) -> None:
        with self.db.transaction() as session:
            session.execute(update(OutboxJob).where(OutboxJob.id == job_id).values(claimed_until=None, claimed_by=None))

    def _retry_or_fail(
        self, job_id: int, kind: str, payload: dict[str, Any], attempts: int, error: str, after: float | None
    ) -> bool:
        """Schedule another attempt (False) or, out of attempts, fail the job for good (True)."""
        delivery = self.config.delivery
        # Slack effects are retried for as long as it takes: an outage of any length loses nothing.
        # A customer reply stops after max_attempts and is shown as not delivered, with a Retry button.
        if kind == Effect.SEND_REPLY and attempts >= delivery.max_attempts:
            log.error("delivery: %s gave up after %d attempts: %s", kind, attempts, error)
            if kind == Effect.SEND_REPLY:
                self.desk.reply_failed(payload["reply_id"], error)
            self._finish(job_id, JobStatus.FAILED, error, attempts, kind=kind)
            return True
        backoff = min(delivery.retry_max.total_seconds(), delivery.retry_base.total_seconds() * 2 ** (attempts - 1))
        delay = max(after or 0.0, backoff * random.uniform(0.8, 1.0))
        log.warning("delivery: %s will be retried in %.1fs (attempt %d): %s", kind, delay, attempts, error)
        with self.db.transaction() as session:
            session.execute(
                update(OutboxJob)
                .where(OutboxJob.id == job_id)
                .values(
                    attempts=attempts,
                    last_error=error[:2000],
                    next_attempt_at=self.clock.now() + timedelta(seconds=delay),
                    claimed_until=None,
                    claimed_by=None,
                )
            )
        return False

    def _finish(self, job_id: int, status: JobStatus, error: str | None, attempts: int | None = None,
                kind: str | None = None) -> None:
        if status == JobStatus.FAILED and kind is not None:
            self.desk.metrics.jobs_failed.labels(kind).inc()
        values: dict[str, Any] = {"status": status, "done_at": self.clock.now(), "claimed_until": None, "last_error": error}
        if attempts is not None:
            values["attempts"] = attempts
        with self.db.transaction() as session:
            session.execute(update(OutboxJob).where(OutboxJob.id == job_id).values(**values))

    def _perform(self, effect: Effect, payload: dict[str, Any], conversation_id: int | None) -> None:
        match effect:
            case Effect.POST_PARENT:
                self._post_parent(_required(conversation_id))
            case Effect.UPDATE_PARENT:
                self._update_parent(_required(conversation_id))
            case Effect.POST_MESSAGE:
                self._post_customer_message(_required(conversation_id), payload["message_id"])
            case Effect.POST_NOTE:
                self._post_note(_required(conversation_id), payload["activity_id"])
            case Effect.UPDATE_NOTE:
                self._update_note(_required(conversation_id), payload["activity_id"])
            case Effect.POST_ESCALATION:
                self._post_escalation(_required(conversation_id), payload["activity_id"])
            case Effect.SEND_REPLY:
                self._send_reply(payload["reply_id"])
            case Effect.DM_USER:
                self._direct_message(_required(conversation_id), payload["user"], payload["activity_id"])
            case Effect.PUBLISH_HOME:
                self.publish_home(payload["user"])
            case Effect.POST_DIGEST:
                self.post_digest(payload["brand"], payload["since"], payload["until"])
            case Effect.UPLOAD_CHART:
                self._upload_chart(payload)
            case Effect.QUIET_LINE:
                self._quiet_line(payload["brand"], payload["day"])
            case Effect.MODERATE:
                self._moderate(_required(conversation_id), payload["action"], payload["target"], payload.get("actor"))
            case Effect.POST_LEAD:
                self._post_lead(_required(conversation_id), payload["channel"], payload.get("actor"))
            case Effect.POST_SOURCE_STATUS:
                self._post_source_status(payload)
            case Effect.POST_CRISIS_ALERT:
                self._post_crisis_alert(payload["episode"])
            case Effect.POST_SURGE_THREAD:
                self._post_surge_thread(payload["episode"])
            case Effect.POST_CRISIS_ALL_CLEAR:
                self._post_crisis_all_clear(payload["episode"])
            case Effect.POST_SURGE_ENDED:
                self._post_surge_ended(payload["episode"])
            case Effect.POST_UNSHOWN_NOTICE:
                self._post_unshown_notice(payload)

    # -- the effects -----------------------------------------------------------------------

    def _post_parent(self, conversation_id: int) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
            if conversation.slack_ts:
                return
            first = _first_message(session, conversation_id)
            tags = repo.tags_of(session, conversation_id)
            surge = self._surge_thread_of(session, conversation)
        message = rendering.parent_message(conversation, first, self.config, self.clock.now(), tags,
                                           self.desk.moderation_options(conversation))
        thread_ts = surge[1] if surge else None
        if surge:
            message["thread_ts"] = thread_ts
        response = self._call("chat_postMessage", channel=surge[0] if surge else conversation.slack_channel,
                              unfurl_links=False, unfurl_media=False, **message)
        self._save(Conversation, conversation_id, slack_ts=response["ts"], slack_channel=response["channel"],
                   slack_thread_ts=thread_ts,
                   slack_permalink=self._thread_permalink(response["channel"], response["ts"], thread_ts))
        self._save(Message, first.id, slack_ts=response["ts"])

    def _surge_thread_of(self, session: Session, conversation: Conversation) -> tuple[str, str] | None:
        """Where a conversation grouped in surge mode is posted: (channel, ts of the surge thread)."""
        if conversation.surge_episode_id is None:
            return None
        episode = session.get_one(CrisisEpisode, conversation.surge_episode_id)
        if episode.surge_ts is None or episode.surge_channel is None:
            if self._still_pending(session, Effect.POST_SURGE_THREAD):
                raise Retry("the surge thread is not posted yet")
            return None  # it could not be posted: the conversation gets its own thread
        return episode.surge_channel, episode.surge_ts

    @staticmethod
    def _still_pending(session: Session, effect: Effect) -> bool:
        """Whether a job of this kind may still be carried out (of any episode: they are rare)."""
        return session.scalar(select(exists().where(OutboxJob.kind == effect.value,
                                                    OutboxJob.status == JobStatus.PENDING))) or False

    def _update_parent(self, conversation_id: int) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
            first = _first_message(session, conversation_id)
            tags = repo.tags_of(session, conversation_id)
        if not conversation.slack_ts:
            raise self._no_parent(conversation)
        message = rendering.parent_message(conversation, first, self.config, self.clock.now(), tags,
                                           self.desk.moderation_options(conversation))
        self._call("chat_update", channel=conversation.slack_channel, ts=conversation.slack_ts, **message)

    def _post_customer_message(self, conversation_id: int, message_id: int) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
            message = session.get_one(Message, message_id)
        if message.slack_ts:
            return
        response = self._post_in_thread(conversation, **rendering.thread_message(conversation, message))
        self._save(Message, message_id, slack_ts=response["ts"])

    def _post_note(self, conversation_id: int, activity_id: int) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
            activity = session.get_one(Activity, activity_id)
            reply_id = activity.detail.get("reply_id")
            reply = session.get(Reply, reply_id) if reply_id else None
        if activity.slack_ts:
            return
        approvers = self.desk.access.approvers(conversation.brand_id)
        response = self._post_in_thread(conversation, **rendering.activity_message(activity, reply, self.config,
                                                                                  approvers))
        self._save(Activity, activity_id, slack_ts=response["ts"])

    def _update_note(self, conversation_id: int, activity_id: int) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
            activity = session.get_one(Activity, activity_id)
            reply_id = activity.detail.get("reply_id")
            reply = session.get(Reply, reply_id) if reply_id else None
        if not activity.slack_ts:
            raise GiveUp("the note to edit was never posted")
        message = rendering.activity_message(activity, reply, self.config)
        if conversation.slack_thread_ts:
            message = rendering.in_shared_thread(conversation, message)
        self._call("chat_update", channel=conversation.slack_channel, ts=activity.slack_ts, **message)

    def _post_escalation(self, conversation_id: int, activity_id: int) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
            activity = session.get_one(Activity, activity_id)
        tier = self.config.escalation.get(activity.detail["tier"])
        if tier is None:
            raise GiveUp(f"escalation tier {activity.detail['tier']!r} is no longer in app.yaml")
        permalink = conversation.slack_permalink or self._permalink(conversation)
        message = rendering.escalation_post(conversation, activity, permalink, self.config)
        self._call("chat_postMessage", channel=tier.slack_channel, unfurl_links=False, **message)

    def _quiet_line(self, brand_id: str, day: str) -> None:
        """Post the day's quiet line once, then keep it up to date in place."""
        brand = self.config.brands[brand_id]
        with self.db.transaction() as session:
            reasons = repo.quiet_reasons_on(session, brand_id, day, brand.zone)
            line = session.get(QuietLine, (brand_id, day))
            if line is None:
                line = QuietLine(brand_id=brand_id, day=day)
                session.add(line)
            ts, channel = line.slack_ts, line.slack_channel
        message = rendering.quiet_line(brand.name, reasons, self.config.slash_command)
        if ts and channel:
            self._call("chat_update", channel=channel, ts=ts, **message)
            return
        response = self._call("chat_postMessage", channel=brand.slack_channel, unfurl_links=False, **message)
        with self.db.transaction() as session:
            session.execute(update(QuietLine).where(QuietLine.brand_id == brand_id, QuietLine.day == day)
                            .values(slack_ts=response["ts"], slack_channel=response["channel"]))

    def _moderate(self, conversation_id: int, action: str, target: str, actor: str | None) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
        try:
            moderation.perform(self.desk.platform(conversation.source_id), action, target, conversation.platform)
        except DeliveryError as error:
            self.desk.metrics.platform_errors.labels(conversation.source_id, "moderate").inc()
            if not error.permanent:
                raise Retry(str(error), error.retry_after) from None
            self.desk.moderation_done(conversation_id, actor, action, error=str(error))
            return
        self.desk.moderation_done(conversation_id, actor, action)

    def _post_lead(self, conversation_id: int, channel: str, actor: str | None) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
            first = _first_message(session, conversation_id)
        permalink = conversation.slack_permalink or self._permalink(conversation)
        message = rendering.lead_post(conversation, first, permalink, actor, self.config)
        self._call("chat_postMessage", channel=channel, unfurl_links=False, **message)

    def _thread_permalink(self, channel: str, ts: str, thread_ts: str | None = None) -> str | None:
        """Slack's permalink of a message, built from the workspace URL (asked once) instead of one
        chat.getPermalink call per conversation."""
        if self._workspace_url is None:
            try:
                self._workspace_url = self._call("auth_test")["url"]
            except (Retry, GiveUp):
                return None
        permalink = f"{self._workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
        return f"{permalink}?thread_ts={thread_ts}&cid={channel}" if thread_ts else permalink

    def _permalink(self, conversation: Conversation) -> str | None:
        if not conversation.slack_ts:
            return None
        try:
            permalink = self._call("chat_getPermalink", channel=conversation.slack_channel,
                                   message_ts=conversation.slack_ts)["permalink"]
        except GiveUp:
            return None
        self._save(Conversation, conversation.id, slack_permalink=permalink)
        return permalink

    def _send_reply(self, reply_id: int) -> None:
        with self.db.transaction() as session:
            reply = session.get_one(Reply, reply_id)
            conversation = session.get_one(Conversation, reply.conversation_id)
            recorded = frozenset(session.scalars(select(Reply.external_id).where(
                Reply.conversation_id == conversation.id, Reply.id != reply_id, Reply.external_id.is_not(None))))
        if reply.status != ReplyStatus.PENDING:
            return
        platform = self.desk.platform(conversation.source_id)
        job: _Job | None = getattr(self._running, "job", None)
        outgoing = OutgoingReply(reply.reply_key, conversation.external_id, reply.in_reply_to, reply.text,
                                 reply.created_at, maybe_sent=job is not None and job.suspect,
                                 recorded_ids=recorded)  # type: ignore[arg-type]
        try:
            sent = platform.send_reply(outgoing)
        except DeliveryError as error:
            self.desk.metrics.platform_errors.labels(conversation.source_id, "reply").inc()
            if error.permanent:
                self.desk.reply_failed(reply_id, str(error))
                return
            raise Retry(str(error), error.retry_after) from None
        self.desk.reply_delivered(reply_id, sent.external_id)

    def _direct_message(self, conversation_id: int, user: str, activity_id: int) -> None:
        with self.db.transaction() as session:
            conversation = session.get_one(Conversation, conversation_id)
            activity = session.get_one(Activity, activity_id)
        channel = self._call("conversations_open", users=user)["channel"]["id"]
        self._call("chat_postMessage", channel=channel, text=rendering.overdue_dm(conversation, activity, self.config),
                   unfurl_links=False)

    def post_digest(self, brand_id: str, since: str, until: str) -> str:
        """Post the digest text, then queue its chart for the thread; returns the message ts."""
        report = self.digests.report(brand_id, datetime.fromisoformat(since), datetime.fromisoformat(until))
        channel = self.config.brands[brand_id].slack_channel
        message = rendering.digest_message(report.brand_name, self.digests.text(report))
        response = self._call("chat_postMessage", channel=channel, unfurl_links=False, **message)
        now = self.clock.now()
        with self.db.transaction() as session:
            enqueue(session, Effect.UPLOAD_CHART, None, now, brand=brand_id, since=since, until=until,
                    channel=response["channel"], thread_ts=response["ts"])
        return response["ts"]

    def _upload_chart(self, payload: dict[str, Any]) -> None:
        report = self.digests.report(payload["brand"], datetime.fromisoformat(payload["since"]),
                                     datetime.fromisoformat(payload["until"]))
        day = datetime.fromisoformat(payload["until"]).date().isoformat()
        self._call("files_upload_v2", channel=payload["channel"], thread_ts=payload["thread_ts"],
                   file=self.digests.chart(report), filename=f"digest-{payload['brand']}-{day}.png",
                   title=f"{report.brand_name}: the week by day")

    def _post_source_status(self, payload: dict[str, Any]) -> None:
        source = self.config.sources.get(payload["source"])
        if source is None:
            raise GiveUp(f"source {payload['source']!r} is no longer in app.yaml")
        message = rendering.source_status_message(payload["source"], source.platform, payload["state"],
                                                  payload["detail"], bool(payload.get("permanent", True)))
        self._call("chat_postMessage", channel=self.config.brands[source.brand].slack_channel,
                   unfurl_links=False, **message)

    def _post_crisis_alert(self, episode_id: int) -> None:
        with self.db.transaction() as session:
            episode = session.get_one(CrisisEpisode, episode_id)
            samples = [(message, session.get_one(Conversation, message.conversation_id))
                       for message_id in episode.numbers.get("samples", [])
                       if (message := session.get(Message, message_id)) is not None]
        if episode.alert_ts:
            return
        settings = self._crisis_settings(episode)
        message = rendering.crisis_alert(self.config.brands[episode.brand_id].name, episode.numbers, samples,
                                         settings.usergroup)
        response = self._call("chat_postMessage", channel=settings.channel, unfurl_links=False, unfurl_media=False,
                              **message)
        self._save(CrisisEpisode, episode_id, alert_channel=response["channel"], alert_ts=response["ts"])

    def _post_surge_thread(self, episode_id: int) -> None:
        with self.db.transaction() as session:
            episode = session.get_one(CrisisEpisode, episode_id)
        if episode.surge_ts:
            return
        brand = self.config.brands[episode.brand_id]
        message = rendering.surge_parent(brand.name, episode.numbers.get("surge_below", ["low"]))
        response = self._call("chat_postMessage", channel=brand.slack_channel, unfurl_links=False, **message)
        self._save(CrisisEpisode, episode_id, surge_channel=response["channel"], surge_ts=response["ts"])

    def _post_crisis_all_clear(self, episode_id: int) -> None:
        """In the alert's thread, and in the channel too (one message, broadcast from the thread)."""
        with self.db.transaction() as session:
            episode = session.get_one(CrisisEpisode, episode_id)
            alert_pending = not episode.alert_ts and self._still_pending(session, Effect.POST_CRISIS_ALERT)
        if alert_pending:
            raise Retry("the alert is not posted yet")
        assert episode.cleared_at is not None
        message = rendering.crisis_all_clear(self.config.brands[episode.brand_id].name, episode.numbers,
                                             episode.started_at, episode.cleared_at)
        if episode.alert_ts and episode.alert_channel:
            self._call("chat_postMessage", channel=episode.alert_channel, thread_ts=episode.alert_ts,
                       reply_broadcast=True, unfurl_links=False, **message)
        else:  # the alert itself could not be posted
            self._call("chat_postMessage", channel=self._crisis_settings(episode).channel, unfurl_links=False, **message)

    def _post_surge_ended(self, episode_id: int) -> None:
        with self.db.transaction() as session:
            episode = session.get_one(CrisisEpisode, episode_id)
            surge_pending = not episode.surge_ts and self._still_pending(session, Effect.POST_SURGE_THREAD)
        if surge_pending:
            raise Retry("the surge thread is not posted yet")
        if not episode.surge_ts or not episode.surge_channel:
            return  # there is no surge thread to close
        message = rendering.surge_ended(self.config.brands[episode.brand_id].name)
        self._call("chat_postMessage", channel=episode.surge_channel, thread_ts=episode.surge_ts, **message)

    def _crisis_settings(self, episode: CrisisEpisode) -> Crisis:
        settings = self.config.crisis_for(episode.brand_id)
        if settings is None or settings.channel is None:
            raise GiveUp(f"crisis alerts are no longer configured for brand {episode.brand_id!r}")
        return settings

    def _post_unshown_notice(self, payload: dict[str, Any]) -> None:
        brand = self.config.brands.get(payload["brand"])
        if brand is None:
            raise GiveUp(f"brand {payload['brand']!r} is no longer in app.yaml")
        with self.db.transaction() as session:
            job = session.get(OutboxJob, payload["job"])
            conversation = session.get(Conversation, job.conversation_id) if job and job.conversation_id else None
        roles = self.config.roles_for(payload["brand"])
        message = rendering.unshown_notice(payload["what"], conversation.ref if conversation else None,
                                           payload["error"], roles.admin if roles else (), self.config.slash_command)
        self._call("chat_postMessage", channel=brand.slack_channel, unfurl_links=False, **message)

    def publish_home(self, user: str) -> None:
        view = rendering.home_view(self.desk.home(user), self.config)
        self._call("views_publish", user_id=user, view=view)

    # -- Slack plumbing --------------------------------------------------------------------

    def _no_parent(self, conversation: Conversation) -> GiveUp:
        """Why a thread message cannot go out: its parent was refused by Slack (then it waits for
        attention with it), or was never posted."""
        with self.db.transaction() as session:
            refused = session.scalar(select(exists().where(
                OutboxJob.conversation_id == conversation.id, OutboxJob.kind == Effect.POST_PARENT.value,
                OutboxJob.status == JobStatus.ATTENTION)))
        if refused:
            return Refused("chat_postMessage", PARENT_NOT_SHOWN)
        return GiveUp("the conversation's parent message was never posted")

    def _post_in_thread(self, conversation: Conversation, **message: Any) -> Any:
        if not conversation.slack_ts:
            raise self._no_parent(conversation)
        if conversation.slack_thread_ts:
            message = rendering.in_shared_thread(conversation, message)
        return self._call("chat_postMessage", channel=conversation.slack_channel,
                          thread_ts=conversation.slack_thread_ts or conversation.slack_ts,
                          unfurl_links=False, unfurl_media=False, **message)

    def _call(self, method: str, **kwargs: Any) -> Any:
        if getattr(self._running, "shortened", False) and method in CONTENT_METHODS:
            kwargs = rendering.shortened(method, kwargs)
        if method == "chat_postMessage":
            return self._post(**kwargs)
        return self._slack(method, method, **kwargs)

    def _post(self, **kwargs: Any) -> Any:
        """chat.postMessage, paced per channel, marked with the job's key, and not repeated when a
        previous attempt of the job got through."""
        channel = kwargs["channel"]
        job: _Job | None = getattr(self._running, "job", None)
        if job is not None:
            kwargs["metadata"] = {"event_type": POST_METADATA_TYPE, "event_payload": {"job": job.id}}
            # A shortened post follows a refusal of this very attempt: the lookup was done just before.
            if job.suspect and not channel.startswith("D") and not getattr(self._running, "shortened", False):
                already = self._find_post(job, channel, kwargs.get("thread_ts"))
                if already is not None:
                    log.info("delivery: job %s had been posted already (%s); not posting again", job.id, already)
                    return {"channel": channel, "ts": already}
        response = self._slack(channel, "chat_postMessage", **kwargs)
        self.pacer.used(response.get("channel") or channel)
        return response

    def _find_post(self, job: _Job, channel: str, thread_ts: str | None) -> str | None:
        """The ts of the message this job posted on an earlier attempt, if Slack has it."""
        # Nothing this job posted can be older than the job: the window since then bounds the pages.
        oldest = f"{job.created_at.timestamp() - 60:.6f}"
        cursor = None
        for _ in range(MAX_HISTORY_PAGES):
            try:
                found = self._page_after(channel, thread_ts, oldest, cursor)
            except SlackRefused as refused:
                if refused.error not in LOOKUP_REFUSALS:
                    raise
                log.warning("delivery: cannot read %s to see whether job %s was posted already (%s); posting it, "
                            "so it may show twice", channel, job.id, refused.error)
                return None
            for message in found.get("messages", []):
                metadata = message.get("metadata") or {}
                if metadata.get("event_type") == POST_METADATA_TYPE and \
                        metadata.get("event_payload", {}).get("job") == job.id:
                    return message["ts"]
            cursor = (found.get("response_metadata") or {}).get("next_cursor")
            if not found.get("has_more") or not cursor:
                return None
        log.warning("delivery: job %s not found in %d pages of %s; posting it", job.id, MAX_HISTORY_PAGES, channel)
        return None

    def _page_after(self, channel: str, thread_ts: str | None, oldest: str, cursor: str | None) -> Any:
        """One page of the thread's replies, or of the channel's messages, newer than ``oldest``."""
        where: dict[str, Any] = {"oldest": oldest, "include_all_metadata": True}
        if cursor:
            where["cursor"] = cursor
        if thread_ts:
            return self._slack("conversations_replies", "conversations_replies", channel=channel, ts=thread_ts,
                               limit=1000, **where)
        return self._slack("conversations_history", "conversations_history", channel=channel, limit=HISTORY_PAGE,
                           **where)

    def _slack(self, pace_key: str, method: str, **kwargs: Any) -> Any:
        if self.pacer.wait(pace_key) > 0:
            raise NotYet(pace_key)
        channel = str(kwargs.get("channel") or "")
        try:
            response = getattr(self.slack, method)(**kwargs)
        except SlackApiError as exc:
            response = exc.response
            error = response.get("error") if isinstance(response.data, dict) else None
            if response.status_code == 429:
                after = _retry_after(response.headers) or 1.0
                self.pacer.hold(pace_key, after)
                raise Retry(f"Slack rate limit on {method}", after) from None
            if response.status_code >= 500 or error in TRANSIENT_SLACK_ERRORS:
                raise Retry(f"Slack {method} answered {error or response.status_code}") from None
            if method in POSTING_METHODS and error in CHANNEL_REFUSALS and channel:
                raise self._channel_refused(channel, error) from None
            if method in CONTENT_METHODS and error in INVALID_CONTENT_ERRORS:
                raise Refused(method, error) from None
            if error == "missing_scope":
                needed = response.get("needed") or "a scope"
                raise SlackRefused(method, error, f"the app lacks {needed}: add it, reinstall the app and run "
                                                  "`socialdesk check`") from None
            raise SlackRefused(method, str(error or response.status_code)) from None
        except (OSError, SlackRequestError) as exc:
            raise Retry(f"cannot reach Slack for {method}: {exc}") from None
        if method in POSTING_METHODS and self._refused_channels.pop(channel, None):
            log.info("delivery: Slack takes posts to %s again; the posts that waited go out", channel)
        return response

    def _channel_refused(self, channel: str, error: str) -> Retry:
        """The post waits (retried now and then) and the admins hear of it: in the log once, in App Home."""
        if self._refused_channels.get(channel) != error:
            self._refused_channels[channel] = error
            places = [where for named, where, _ in channels_to_check(self.config) if named == channel]
            log.error("delivery: Slack refuses posts to %s (%s): %s. They wait until the bot can post there "
                      "(unarchive the channel or invite the bot) or app.yaml names another channel; admins see "
                      "this in App Home", channel, ", ".join(places) or "not in app.yaml", REASONS.get(error, error))
        return Retry(refusal_note(channel, error), after=self.config.delivery.retry_max.total_seconds())

    def _save(self, model: type, row_id: int, **values: Any) -> None:
        # A plain UPDATE: recording where a message landed must not bump the conversation's version,
        # which guards teammates' concurrent edits.
        with self.db.transaction() as session:
            session.execute(update(model).where(model.id == row_id).values(**values))  # type: ignore[attr-defined]


def job_lease(config: Config) -> timedelta:
    """How long a worker holds a job: as configured, and never less than the job's worst case (every
    call it may make taking the whole timeout), so that no second worker takes over a job still running."""
    delivery = config.delivery
    worst = WORST_CASE_CALLS * delivery.http_timeout + delivery.http_timeout
    return max(delivery.lease, worst)


def _required(conversation_id: int | None) -> int:
    if conversation_id is None:
        raise GiveUp("this effect needs a conversation and has none")
    return conversation_id


def _first_message(session: Session, conversation_id: int) -> Message:
    return session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id).limit(1)
    ).one()


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


def _later_parent_update(session: Session, job_id: int, conversation_id: int | None) -> bool:
    return bool(session.scalar(select(exists().where(
        OutboxJob.conversation_id == conversation_id,
        OutboxJob.status == JobStatus.PENDING,
        OutboxJob.id > job_id,
        OutboxJob.kind == Effect.UPDATE_PARENT.value,
    ))))
