"""The desk: every state change of a conversation goes through here."""

from __future__ import annotations

import re
import statistics
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar
from datetime import datetime, time, timedelta

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.clock import Clock
from bot.business_hours import BusinessCalendar
from bot.config import AutoReply, Config, SlaPolicy
from bot.domain.access import Access, DirectoryUnavailable, Role
from bot.domain.channel_alerts import NOTE_PREFIX, ChannelAlert, channel_alerts
from bot.domain.crisis import surge_episode_for
from bot.domain.cutoff import Cutoff
from bot.domain.inbound import Author, InboundMessage
from bot.domain.outbox import Effect, batched_jobs, enqueue
from bot.domain.sanitise import storable
from bot.domain.sla import first_nudge_at
from bot.platforms import ConversationFacts, PlatformClient, length_unit, moderation, reply_length, reply_refusal
from bot.metrics import Metrics
from bot.platforms.tracked import TRACKED, brand_of_tracked_source, tracked_source_id
from bot.templates import CannedReply, TemplateBook, TemplateProblem
from bot.triage.rules import PRIORITY_ORDER, Verdict, rank, triage
from storage import repositories as repo
from storage.db import Database
from storage.repositories import QueueEntry
from storage.models import Activity, AuditEntry, Conversation, ConversationTag, Message, Reply, ReplyStatus, Status


_T = TypeVar("_T")
TAG_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,29}")


class ActionRefused(Exception):
    """The action cannot be done; the message tells the teammate why and what to do."""


class ReplyRepeated(ActionRefused):
    """The same text went to the same conversation a moment ago (a teammate who was shown an error
    while it was being stored types it again): asked before it is sent twice."""

    def __init__(self, message: str, earlier_reply_id: int) -> None:
        super().__init__(message)
        self.earlier_reply_id = earlier_reply_id


class ReplyCrossed(ActionRefused):
    """Someone else replied while the teammate was writing; they should read it before sending."""

    def __init__(self, message: str, latest_reply_id: int) -> None:
        super().__init__(message)
        self.latest_reply_id = latest_reply_id


@dataclass(frozen=True)
class IngestResult:
    conversation_id: int
    ref: str
    created: bool
    duplicate: bool


@dataclass
class _Arrival:
    """A message new to the desk, placed in its conversation (opened for it when ``created``)."""

    inbound: InboundMessage
    conversation: Conversation
    created: bool
    verdict: Verdict
    message: Message | None = None


def _result(outcome: _Arrival | tuple[int, str] | Conversation) -> IngestResult:
    """An arrival's result, or a duplicate's: of a message stored before (id and ref of its
    conversation) or of one earlier in the same batch (its conversation)."""
    if isinstance(outcome, _Arrival):
        return IngestResult(outcome.conversation.id, outcome.conversation.ref, outcome.created, duplicate=False)
    if isinstance(outcome, Conversation):
        return IngestResult(outcome.id, outcome.ref, created=False, duplicate=True)
    return IngestResult(outcome[0], outcome[1], created=False, duplicate=True)


REPEAT_WINDOW = timedelta(minutes=1)
"""The same reply text again within this long is asked about before it is sent."""
_RACES = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialization failure


def _lost_a_race(error: Exception) -> bool:
    """A concurrent writer got there first; the work is worth trying again."""
    if isinstance(error, (IntegrityError, StaleDataError)):
        return True
    return getattr(getattr(error, "orig", None), "sqlstate", None) in _RACES


@dataclass(frozen=True)
class TeamFigures:
    since: datetime
    messages: int
    conversations: int
    median_first_response: timedelta | None
    sla_met: int
    sla_due: int

    @property
    def sla_percent(self) -> float | None:
        return 100.0 * self.sla_met / self.sla_due if self.sla_due else None


@dataclass(frozen=True)
class HomeData:
    user: str
    mine: list[QueueEntry]
    unassigned: list[QueueEntry]
    overdue: list[QueueEntry]
    figures: TeamFigures
    at: datetime
    channel_alerts: list[ChannelAlert] = field(default_factory=list)
    """Channels Slack refuses posts in; shown to admins only."""
    unshown: tuple[tuple[str, str, str], ...] = ()
    """For admins: what Slack refused to show even shortened, as (effect kind, reference or brand, error)."""


@dataclass(frozen=True)
class ActionResult:
    conversation: Conversation
    changed: bool
    summary: str


class Desk:
    def __init__(
        self,
        db: Database,
        config: Config,
        clock: Clock,
        platforms: Mapping[str, PlatformClient],
        templates: TemplateBook | None = None,
        on_effects: Callable[[], None] = lambda: None,
        access: Access | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.metrics = metrics or Metrics()
        self.access = access or Access(config)
        self.config = config
        self.clock = clock
        self.platforms = platforms
        self.templates = templates or TemplateBook(config)
        self._calendars: dict[str, BusinessCalendar] = {}
        self._on_effects = on_effects

    def notify_effects(self) -> None:
        self._on_effects()

    def calendar(self, brand_id: str) -> BusinessCalendar:
        if brand_id not in self._calendars:
            self._calendars[brand_id] = self.config.calendar(brand_id)
        return self._calendars[brand_id]

    def set_effects_listener(self, listener: Callable[[], None]) -> None:
        """Called after every commit that queued effects (the delivery worker wakes up)."""
        self._on_effects = listener

    # -- inbound ---------------------------------------------------------------------------

    def ingest(self, inbound: InboundMessage) -> IngestResult:
        """Store a customer message; the first of a conversation opens it, later ones join its thread."""
        return self.ingest_many([inbound])[0]

    def ingest_many(self, inbounds: Sequence[InboundMessage]) -> list[IngestResult]:
        """Store messages in one transaction, with the outcome of ingesting them one by one in this
        order: a busy webhook endpoint pays the transaction's round trips once for many messages."""
        inbounds = [storable(inbound) for inbound in inbounds]
        results = self._retrying(lambda session: self._ingest_batch(session, inbounds))
        if not all(result.duplicate for result in results):
            self._on_effects()
        for inbound, result in zip(inbounds, results):
            if not result.duplicate:
                self.metrics.messages_ingested.labels(inbound.source_id, self._brand_of(inbound)).inc()
        return results

    def _retrying(self, work: Callable[[Session], _T], attempts: int = 5) -> _T:
        """Run a system-side unit of work, again if a concurrent writer got there first: the next
        attempt sees what it stored (the same message, a newer version of the conversation). A
        deadlock that PostgreSQL broke by failing this side is tried again too."""
        for attempt in range(attempts):
            try:
                with self.db.transaction() as session:
                    return work(session)
            except (DBAPIError, StaleDataError) as error:
                if attempt == attempts - 1 or not _lost_a_race(error):
                    raise
        raise AssertionError("unreachable")

    def _ingest_batch(self, session: Session, inbounds: Sequence[InboundMessage]) -> list[IngestResult]:
        """Three passes, each one statement for the whole batch where the ORM can: place every
        message (a duplicate, a known conversation, or a new one), then insert the new
        conversations and the messages, then apply each arrival in order."""
        now = self.clock.now()
        stored = repo.conversations_of_messages(session, [(i.source_id, i.external_id) for i in inbounds])
        conversations = repo.conversations_by_external_ids(
            session, [(i.source_id, i.conversation_external_id) for i in inbounds])
        placed: dict[tuple[str, str], Conversation] = {}
        arrivals: list[_Arrival] = []
        outcomes: list[_Arrival | tuple[int, str] | Conversation] = []
        with session.no_autoflush:
            for inbound in inbounds:
                key = (inbound.source_id, inbound.external_id)
                if key in stored or key in placed:
                    outcomes.append(stored.get(key) or placed[key])
                    continue
                arrival = self._place(session, inbound, conversations, placed, now)
                placed[key] = arrival.conversation
                arrivals.append(arrival)
                outcomes.append(arrival)
            self._number(session, [arrival.conversation for arrival in arrivals if arrival.created])
        session.flush()
        for arrival in arrivals:
            arrival.message = self._message(arrival, now)
            session.add(arrival.message)
        session.flush()
        with batched_jobs(session):
            for arrival in arrivals:
                self._apply(session, arrival, now)
        return [_result(outcome) for outcome in outcomes]

    def _place(self, session: Session, inbound: InboundMessage, conversations: dict[tuple[str, str], Conversation],
               placed: Mapping[tuple[str, str], Conversation], now: datetime) -> _Arrival:
        """The conversation a new message belongs to, opened (not yet numbered) when it has none."""
        conversation_key = (inbound.source_id, inbound.conversation_external_id)
        conversation = conversations.get(conversation_key)
        if conversation is None and inbound.in_reply_to:
            conversation = placed.get((inbound.source_id, inbound.in_reply_to)) or \
                repo.conversation_answered_by(session, inbound.source_id, inbound.in_reply_to)
        created = conversation is None
        brand_id = conversation.brand_id if conversation else self._brand_of(inbound)
        verdict = triage(self.config, brand_id, inbound)
        if conversation is None:
            conversation = conversations[conversation_key] = self._open_conversation(session, inbound, now, verdict)
        return _Arrival(inbound, conversation, created, verdict)

    def _number(self, session: Session, opened: Sequence[Conversation]) -> None:
        """Number the new conversations of each brand in arrival order. Brands are taken in one
        order, so that two batches cannot deadlock on their counter rows."""
        for brand_id in sorted({conversation.brand_id for conversation in opened}):
            mine = [conversation for conversation in opened if conversation.brand_id == brand_id]
            first = repo.reserve_numbers(session, brand_id, len(mine))
            prefix = self.config.brands[brand_id].ref_prefix
            for number, conversation in enumerate(mine, start=first):
                conversation.number = number
                conversation.ref = f"{prefix}-{number}"

    def _message(self, arrival: _Arrival, now: datetime) -> Message:
        inbound, conversation, verdict = arrival.inbound, arrival.conversation, arrival.verdict
        return Message(
            conversation_id=conversation.id,
            brand_id=conversation.brand_id,
            platform=conversation.platform,
            kind=conversation.kind,
            source_id=inbound.source_id,
            external_id=inbound.external_id,
            author_external_id=inbound.author.id,
            author_name=inbound.author.name,
            author_handle=inbound.author.handle,
            text=inbound.text,
            url=inbound.url,
            rating=inbound.rating,
            sent_at=min(inbound.sent_at, now),
            received_at=now,
            sentiment=verdict.sentiment.value,
            sentiment_score=verdict.sentiment_score,
        )

    def _apply(self, session: Session, arrival: _Arrival, now: datetime) -> None:
        """What a stored message changes: tags, the conversation's state and deadlines, the Slack
        effects and an automatic reply."""
        conversation, message, verdict = arrival.conversation, arrival.message, arrival.verdict
        created = arrival.created
        assert message is not None
        if "lead" in self._tag(session, conversation, verdict.tags, None, now):
            self._hand_off_lead(session, conversation, None, now)
        if created and conversation.status == Status.QUIET:
            enqueue(session, Effect.QUIET_LINE, None, now, brand=conversation.brand_id,
                    day=self._local_day(conversation.brand_id, now))
        elif created:
            enqueue(session, Effect.POST_PARENT, conversation.id, now)
        elif conversation.status == Status.QUIET and verdict.quiet is None:
            self._bring_back(session, conversation, message, now, verdict)
        elif conversation.status != Status.QUIET:
            self._follow_up(session, conversation, message, now, verdict)
            enqueue(session, Effect.POST_MESSAGE, conversation.id, now, message_id=message.id)
            enqueue(session, Effect.UPDATE_PARENT, conversation.id, now)
        if conversation.status != Status.QUIET:
            self._auto_reply(session, conversation, message, created, now)

    # -- automatic replies -----------------------------------------------------------------

    def _auto_reply(self, session: Session, conversation: Conversation, message: Message, created: bool,
                    now: datetime) -> None:
        """An FAQ answer, or the off-hours / unmonitored notice, at most once per author per window
        and never twice to one message; in dry-run only shown in the thread."""
        auto = self.config.auto_replies.get(conversation.source_id)
        if auto is None or auto.mode == "off":
            return
        template = self._auto_template(auto, conversation, message.text, created, now)
        if template is None or not self._may_auto_reply(session, conversation, auto, now):
            return
        try:
            text = self.check_reply(conversation, self.fill_template(
                conversation, template, "", self.config.brands[conversation.brand_id].name))
        except ActionRefused:
            return  # the platform cannot take a reply now (a closed DM window, ...): a teammate will answer
        if auto.mode == "dry_run":
            self.record_activity(session, conversation, None, "auto_reply_preview", now, update_parent=False,
                                 template=template, text=text[:3000])
            return
        reply = Reply(conversation_id=conversation.id, reply_key=uuid.uuid4().hex, request_key=f"auto:{message.id}",
                      author_slack_id="", text=text, in_reply_to=message.external_id, created_at=now,
                      automatic=True, template=template, brand_id=conversation.brand_id)
        session.add(reply)
        session.flush()
        enqueue(session, Effect.SEND_REPLY, conversation.id, now, reply_id=reply.id)

    def _auto_template(self, auto: AutoReply, conversation: Conversation, text: str, created: bool,
                       now: datetime) -> str | None:
        folded = text.casefold()
        for rule in auto.faq:
            if any(word.casefold() in folded for word in rule.keywords) or \
                    (rule.regex is not None and re.search(rule.regex, text)):
                return rule.template
        if auto.off_hours and not self.calendar(conversation.brand_id).is_open(now):
            return auto.off_hours
        if auto.unmonitored and created:
            return auto.unmonitored
        return None

    def _may_auto_reply(self, session: Session, conversation: Conversation, auto: AutoReply, now: datetime) -> bool:
        if auto.mode == "dry_run":
            return True
        return not repo.automatic_reply_since(session, conversation.source_id, conversation.author_external_id,
                                             now - auto.once_per_author)

    def _brand_of(self, inbound: InboundMessage) -> str:
        return inbound.brand_id or self.config.sources[inbound.source_id].brand

    def _local_day(self, brand_id: str, moment: datetime) -> str:
        return moment.astimezone(self.config.brands[brand_id].zone).date().isoformat()

    def _tag(self, session: Session, conversation: Conversation, tags: Sequence[str], actor: str | None,
             now: datetime) -> list[str]:
        """Add the tags the conversation does not have yet; returns those added."""
        if not tags:
            return []
        have = set(repo.tags_of(session, conversation.id))
        added = [tag for tag in dict.fromkeys(tags) if tag not in have]
        for tag in added:
            session.add(ConversationTag(conversation_id=conversation.id, tag=tag, added_by=actor, created_at=now))
        if added:
            session.flush()
        return added

    def _bring_back(self, session: Session, conversation: Conversation, message: Message, now: datetime,
                    verdict: Verdict | None) -> None:
        """A quiet conversation needs an answer after all: it gets its thread and its deadline."""
        conversation.status = Status.OPEN
        conversation.quiet_reason = None
        if verdict is not None and rank(verdict.priority) > rank(conversation.priority):
            conversation.priority = verdict.priority
        due = self._due(conversation.brand_id, conversation.kind, conversation.priority, message.sent_at, first=True)
        conversation.response_due_at = conversation.first_response_due_at = due
        conversation.updated_at = now
        self._replan(conversation)
        enqueue(session, Effect.UPDATE_PARENT if conversation.slack_ts else Effect.POST_PARENT, conversation.id, now)

    def _open_conversation(self, session: Session, inbound: InboundMessage, now: datetime,
                           verdict: Verdict) -> Conversation:
        """A new conversation for the message, added to the session; _number gives it its number."""
        brand_id = self._brand_of(inbound)
        brand = self.config.brands[brand_id]
        sent_at = min(inbound.sent_at, now)
        quiet = verdict.quiet is not None
        due = None if quiet else self._due(brand_id, inbound.kind, verdict.priority, sent_at, first=True)
        policy = self.config.sla_policy(brand_id, inbound.kind, verdict.priority)
        conversation = Conversation(
            brand_id=brand_id,
            source_id=inbound.source_id,
            external_id=inbound.conversation_external_id,
            kind=inbound.kind,
            priority=verdict.priority,
            sentiment=verdict.sentiment.value,
            quiet_reason=verdict.quiet,
            risk_category=verdict.category,
            risk_evidence=verdict.evidence[:200] if verdict.evidence else None,
            platform=inbound.platform or self.platform(inbound.source_id).platform,
            author_external_id=inbound.author.id,
            author_name=inbound.author.name,
            author_handle=inbound.author.handle,
            url=inbound.url,
            status=Status.QUIET if quiet else Status.OPEN,
            slack_channel=verdict.channel or brand.slack_channel,
            response_due_at=due,
            first_response_due_at=due,
            resolution_due_at=None if quiet else self._after(brand_id, policy, sent_at, policy.resolution),
            last_customer_message_at=sent_at,
            created_at=now,
            updated_at=now,
        )
        if not quiet and conversation.slack_channel == brand.slack_channel:
            conversation.surge_episode_id = surge_episode_for(session, self.config, brand_id, verdict.priority)
        self._replan(conversation)
        session.add(conversation)
        return conversation

    def _follow_up(self, session: Session, conversation: Conversation, message: Message, now: datetime,
                   verdict: Verdict | None = None) -> None:
        conversation.last_customer_message_at = max(conversation.last_customer_message_at, message.sent_at)
        conversation.updated_at = now
        if verdict is not None:
            conversation.sentiment = verdict.sentiment.value
            if verdict.category and (conversation.risk_category is None or
                                     rank(verdict.priority) > rank(conversation.priority)):
                conversation.risk_category = verdict.category
                conversation.risk_evidence = verdict.evidence[:200] if verdict.evidence else None
            if rank(verdict.priority) > rank(conversation.priority):
                self._raise_priority(conversation, verdict.priority, message.sent_at)
        self._resume(conversation, now)
        if conversation.status in (Status.REPLIED, Status.RESOLVED, Status.WAITING):
            conversation.status = Status.OPEN
            conversation.resolved_at = None
        if conversation.response_due_at is None:
            first = not repo.has_sent_reply(session, conversation.id)
            conversation.response_due_at = self._due(conversation.brand_id, conversation.kind, conversation.priority,
                                                     message.sent_at, first)
            self._replan(conversation)

    def _raise_priority(self, conversation: Conversation, priority: str, since: datetime) -> None:
        """A later message made it more pressing: its tighter window applies if it ends sooner."""
        conversation.priority = priority
        if conversation.response_due_at is not None:
            first = conversation.first_response_at is None
            due = self._due(conversation.brand_id, conversation.kind, priority, since, first)
            if due is not None and due < conversation.response_due_at:
                conversation.response_due_at = due
                self._replan(conversation)

    def _due(self, brand_id: str, kind: str, priority: str, since: datetime, first: bool) -> datetime | None:
        policy = self.config.sla_policy(brand_id, kind, priority)
        window = policy.first_response if first else (policy.next_response or policy.first_response)
        return self._after(brand_id, policy, since, window)

    def _after(self, brand_id: str, policy: SlaPolicy, since: datetime, window: timedelta | None) -> datetime | None:
        if window is None:
            return None
        if policy.business_hours:
            return self.calendar(brand_id).add(since, window)
        return since + window

    def _replan(self, conversation: Conversation) -> None:
        """Deadlines changed: the next nudge is recomputed and the overdue badge starts afresh."""
        policy = self.config.sla_policy(conversation.brand_id, conversation.kind, conversation.priority)
        conversation.next_nudge_at = first_nudge_at(conversation, policy)
        conversation.sla_level = None

    def track(self, brand_id: str, channel: str, ts: str, actor: str, kind: str, author_name: str,
              text: str, url: str | None) -> IngestResult:
        """Start a conversation from a Slack message a teammate found by hand."""
        if brand_id not in self.config.brands:
            raise ActionRefused(f"Unknown brand {brand_id!r}.")
        self.require(actor, brand_id, "track")
        key = f"{channel}:{ts}"
        inbound = InboundMessage(
            source_id=tracked_source_id(brand_id), external_id=key, conversation_external_id=key, kind=kind,
            author=Author(id=f"slack-tracked:{key}", name=author_name.strip() or "Unknown customer"),
            text=text, url=url, sent_at=self.clock.now(), brand_id=brand_id,
        )
        result = self.ingest(inbound)
        if result.created:
            with self._changing(result.conversation_id, actor, "track") as (session, conversation, now):
                self.record_activity(session, conversation, actor, "tracked", now, update_parent=False, channel=channel)
        return result

    # -- teammates' actions ----------------------------------------------------------------

    def get(self, conversation_id: int) -> Conversation:
        with self.db.reading() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise ActionRefused(f"Conversation {conversation_id} no longer exists.")
            return conversation

    def find(self, ref: str) -> Conversation:
        with self.db.reading() as session:
            conversation = repo.conversation_by_ref(session, ref)
            if conversation is None:
                raise ActionRefused(f"No conversation {ref.upper()}; references look like ACME-12.")
            return conversation

    def latest_reply_id(self, conversation_id: int) -> int:
        with self.db.reading() as session:
            latest = repo.latest_reply(session, conversation_id)
            return latest.id if latest else 0

    def customer_message(self, message_id: int) -> tuple[Conversation, Message]:
        """A customer message and its conversation, for showing all of it."""
        with self.db.reading() as session:
            message = session.get(Message, message_id)
            if message is None:
                raise ActionRefused("This message no longer exists.")
            return session.get_one(Conversation, message.conversation_id), message

    def last_customer_message(self, conversation_id: int) -> Message | None:
        with self.db.reading() as session:
            return repo.last_customer_message(session, conversation_id)

    def assign(self, conversation_id: int, actor: str, assignee: str, seen_assignee: str | None | bool = False
               ) -> ActionResult:
        """Give the conversation to someone. ``seen_assignee`` is who had it when the teammate looked
        (False: not known): if someone else took it since, the teammate is told instead of overriding."""
        with self._changing(conversation_id, actor, "assign") as (session, conversation, now):
            current = conversation.assignee_slack_id
            if seen_assignee is not False and current != seen_assignee and current not in (None, assignee):
                raise ActionRefused(f"<@{current}> took {conversation.ref} a moment ago. "
                                    "To hand it over anyway, press Assign again.")
            if conversation.assignee_slack_id == assignee:
                return ActionResult(conversation, False, f"{conversation.ref} is already assigned to <@{assignee}>.")
            previous = conversation.assignee_slack_id
            conversation.assignee_slack_id = assignee
            self.record_activity(session, conversation, actor, "assigned", now, assignee=assignee, previous_assignee=previous)
            return ActionResult(conversation, True, f"{conversation.ref} assigned to <@{assignee}>.")

    def resolve(self, conversation_id: int, actor: str) -> ActionResult:
        with self._changing(conversation_id, actor, "resolve") as (session, conversation, now):
            if conversation.status == Status.RESOLVED:
                return ActionResult(conversation, False, f"{conversation.ref} is already resolved.")
            conversation.status = Status.RESOLVED
            conversation.resolved_at = now
            conversation.response_due_at = None
            self._replan(conversation)
            self.record_activity(session, conversation, actor, "resolved", now)
            return ActionResult(conversation, True, f"{conversation.ref} resolved.")

    def wait(self, conversation_id: int, actor: str) -> ActionResult:
        """Waiting on the customer: the brand may choose to stop the clocks until they write again."""
        with self._changing(conversation_id, actor, "wait") as (session, conversation, now):
            if conversation.status in (Status.WAITING, Status.RESOLVED):
                return ActionResult(conversation, False, f"{conversation.ref} is {conversation.status} already.")
            conversation.status = Status.WAITING
            policy = self.config.sla_policy(conversation.brand_id, conversation.kind, conversation.priority)
            if policy.pause_while_waiting:
                conversation.paused_at = now
            self._replan(conversation)
            self.record_activity(session, conversation, actor, "waiting", now, paused=bool(policy.pause_while_waiting))
            return ActionResult(conversation, True, f"{conversation.ref} is waiting on the customer.")

    def _resume(self, conversation: Conversation, now: datetime) -> None:
        """End a pause: every deadline moves on by the time the clocks were stopped."""
        if conversation.paused_at is None:
            return
        paused_for = now - conversation.paused_at
        for field in ("response_due_at", "resolution_due_at"):
            due = getattr(conversation, field)
            if due is not None:
                setattr(conversation, field, due + paused_for)
        conversation.paused_at = None
        self._replan(conversation)

    def reopen(self, conversation_id: int, actor: str) -> ActionResult:
        with self._changing(conversation_id, actor, "reopen") as (session, conversation, now):
            if conversation.status not in (Status.RESOLVED, Status.WAITING):
                return ActionResult(conversation, False, f"{conversation.ref} is not resolved; it is {conversation.status}.")
            conversation.status = Status.OPEN
            conversation.resolved_at = None
            self._resume(conversation, now)
            self._replan(conversation)
            self.record_activity(session, conversation, actor, "reopened", now)
            return ActionResult(conversation, True, f"{conversation.ref} reopened.")

    def escalate(self, conversation_id: int, actor: str, tier_id: str, reason: str) -> ActionResult:
        tier = self.config.escalation.get(tier_id)
        if tier is None:
            known = ", ".join(self.config.escalation) or "none configured"
            raise ActionRefused(f"Unknown escalation tier {tier_id!r} (known: {known}).")
        reason = reason.strip()
        if not reason:
            raise ActionRefused("Say why you escalate: the reason is required.")
        with self._changing(conversation_id, actor, "escalate") as (session, conversation, now):
            if conversation.status == Status.ESCALATED and conversation.escalation_tier == tier_id:
                return ActionResult(conversation, False, f"{conversation.ref} is already escalated to {tier.name}.")
            self.escalate_in(session, conversation, actor, tier_id, reason, now)
            return ActionResult(conversation, True, f"{conversation.ref} escalated to {tier.name}.")

    def escalate_in(self, session: Session, conversation: Conversation, actor: str | None, tier_id: str,
                    reason: str, now: datetime) -> None:
        """Escalate inside a running transaction (the Escalate button and automatic escalation alike)."""
        conversation.status = Status.ESCALATED
        conversation.escalation_tier = tier_id
        conversation.resolved_at = None
        activity = self.record_activity(session, conversation, actor, "escalated", now, tier=tier_id, reason=reason)
        enqueue(session, Effect.POST_ESCALATION, conversation.id, now, activity_id=activity.id)

    def platform(self, source_id: str) -> PlatformClient:
        if brand_of_tracked_source(source_id) is not None:
            return TRACKED
        return self.platforms[source_id]

    def ensure_can_reply(self, conversation: Conversation) -> PlatformClient:
        platform = self.platform(conversation.source_id)
        if not platform.can_reply:
            raise ActionRefused(f"{conversation.ref} {platform.no_reply_reason}.")
        facts = ConversationFacts(conversation.external_id, conversation.kind,
                                  conversation.last_customer_message_at, self.clock.now())
        refusal = reply_refusal(platform, facts)
        if refusal:
            raise ActionRefused(f"{conversation.ref} {refusal}.")
        return platform

    def note(self, conversation_id: int, actor: str, text: str) -> ActionResult:
        """An internal note in the thread: never sent to the customer."""
        text = text.strip()
        if not text:
            raise ActionRefused("The note is empty.")
        with self._changing(conversation_id, actor, "note") as (session, conversation, now):
            self.record_activity(session, conversation, actor, "noted", now, update_parent=False, text=text[:3000])
            return ActionResult(conversation, True, f"Note added to {conversation.ref}.")

    def history(self, conversation_id: int) -> list[Activity]:
        with self.db.transaction() as session:
            return repo.activities(session, conversation_id)

    def queue(self, view: str, actor: str, brand_id: str | None = None, limit: int = 20) -> list[QueueEntry]:
        """Open conversations for one of the views: all, mine, unassigned, overdue, escalated."""
        filters: dict[str, dict[str, object]] = {
            "all": {},
            "mine": {"assignee": actor},
            "unassigned": {"unassigned": True},
            "overdue": {"due_before": self.clock.now()},
            "escalated": {"status": Status.ESCALATED},
        }
        if view not in filters:
            raise ActionRefused(f"Unknown queue {view!r}; use one of: {', '.join(filters)}.")
        if brand_id is not None and brand_id not in self.config.brands:
            raise ActionRefused(f"Unknown brand {brand_id!r} (known: {', '.join(self.config.brands)}).")
        if brand_id is not None:
            self.require(actor, brand_id, "view")
        brands = [brand_id] if brand_id else self.access.viewable_brands(actor)
        with self.db.reading() as session:
            return repo.open_conversations(session, brand_ids=brands, limit=limit, **filters[view])  # type: ignore[arg-type]

    def templates_for(self, conversation: Conversation) -> list[CannedReply]:
        return self.templates.for_brand(conversation.brand_id)

    def templates_of(self, actor: str, brand_id: str) -> list[CannedReply]:
        """The brand's canned replies, for someone who may view the brand."""
        self.require(actor, brand_id, "view")
        return self.templates.for_brand(brand_id)

    def fill_template(self, conversation: Conversation, name: str, agent_first_name: str, agent_name: str) -> str:
        """A canned reply filled in for this conversation; customer data enters only as values."""
        variables = {
            "author_name": conversation.author_name,
            "author_handle": conversation.author_handle or "",
            "brand": self.config.brands[conversation.brand_id].name,
            "platform": conversation.platform,
            "agent_first_name": agent_first_name,
            "agent_name": agent_name,
            "ref": conversation.ref,
            "kind": conversation.kind,
        }
        try:
            return self.templates.render(conversation.brand_id, name, variables)
        except TemplateProblem as problem:
            raise ActionRefused(str(problem)) from None

    def home(self, user: str, limit: int = 10) -> HomeData:
        """What a teammate's App Home shows: their queue, what nobody took, what is late, the week."""
        now = self.clock.now()
        since = now - timedelta(days=7)
        brands = self.access.viewable_brands(user)
        with self.db.transaction() as session:
            mine = repo.open_conversations(session, brand_ids=brands, assignee=user, limit=limit)
            unassigned = repo.open_conversations(session, brand_ids=brands, unassigned=True, limit=limit)
            overdue = repo.open_conversations(session, brand_ids=brands, due_before=now, limit=limit)
            count, durations, met, due = repo.first_responses_since(session, since, now, brands)
            messages = repo.messages_since(session, since, brands)
            refused = repo.pending_job_errors(session, NOTE_PREFIX) if self._is_an_admin(user) else []
        median = timedelta(seconds=statistics.median(durations)) if durations else None
        figures = TeamFigures(since, messages, count, median, met, due)
        return HomeData(user, mine, unassigned, overdue, figures, now, channel_alerts(refused),
                        self._unshown_for(user))

    def _unshown_for(self, user: str) -> tuple[tuple[str, str, str], ...]:
        """The effects Slack refused even shortened, in the brands the user is an admin of."""
        with self.db.reading() as session:
            refused = repo.refused_effects(session)
        shown = []
        for kind, ref, brand_id, error in refused:
            if brand_id in self.config.brands and self._is_admin(user, brand_id):
                shown.append((kind, ref or self.config.brands[brand_id].name, error))
        return tuple(shown)

    def _is_admin(self, user: str, brand_id: str) -> bool:
        try:
            return self.access.role_of(user, brand_id) == Role.ADMIN
        except DirectoryUnavailable:
            return False

    def _is_an_admin(self, user: str) -> bool:
        return any(self._is_admin(user, brand_id) for brand_id in self.config.brands)

    def check_reply(self, conversation: Conversation, text: str) -> str:
        """The reply text as it will be sent, or ActionRefused saying what to fix."""
        text = text.strip()
        platform = self.ensure_can_reply(conversation)
        if not text:
            raise ActionRefused("The reply is empty.")
        length = reply_length(platform, text)
        if length > platform.max_reply_length:
            unit = length_unit(platform)
            raise ActionRefused(
                f"{platform.platform} accepts at most {platform.max_reply_length} {unit}; "
                f"this reply has {length}."
            )
        return text

    def reply(self, conversation_id: int, actor: str, text: str, request_key: str | None = None,
              seen_reply_id: int | None = None, cutoff: Cutoff | None = None,
              repeat_of: int | None = None) -> ActionResult:
        """Queue a reply to the customer. It counts as replied once the platform has taken it.
        ``seen_reply_id`` is the latest reply when the teammate started writing: a reply someone else
        sent since is shown to them first, so the customer does not get two answers. The same text
        sent within REPEAT_WINDOW is asked about first (ReplyRepeated) unless ``repeat_of`` names
        that earlier reply. With a ``cutoff``, nothing is stored once its waiter has given up."""
        with self._changing(conversation_id, actor, "reply") as (session, conversation, now):
            if request_key and repo.reply_by_request_key(session, request_key):
                return ActionResult(conversation, False, "This reply was already sent.")
            text = self.check_reply(conversation, text)
            newer = repo.latest_reply(session, conversation.id) if seen_reply_id is not None else None
            if newer is not None and newer.id > seen_reply_id and newer.author_slack_id != actor:  # type: ignore[operator]
                raise ReplyCrossed(f"<@{newer.author_slack_id}> replied to {conversation.ref} while you were "
                                   "writing. Read the thread first; to send yours as well, press Send again.", newer.id)
            earlier = repo.recent_reply_with_text(session, conversation.id, text, now - REPEAT_WINDOW)
            if earlier is not None and earlier.id != repeat_of:
                who = "You" if earlier.author_slack_id == actor else f"<@{earlier.author_slack_id}>"
                ago = max(1, int((now - earlier.created_at).total_seconds()))
                raise ReplyRepeated(f"{who} sent this same reply to {conversation.ref} {ago} s ago.", earlier.id)
            last = repo.last_customer_message(session, conversation.id)
            reply = Reply(
                conversation_id=conversation.id,
                brand_id=conversation.brand_id,
                reply_key=uuid.uuid4().hex,
                request_key=request_key,
                author_slack_id=actor,
                text=text,
                in_reply_to=last.external_id if last else None,
                created_at=now,
            )
            session.add(reply)
            session.flush()
            if self.access.needs_approval(actor, conversation.brand_id, conversation.priority):
                reply.status = ReplyStatus.DRAFT
                draft = self.record_activity(session, conversation, actor, "drafted", now, update_parent=False,
                                             reply_id=reply.id)
                reply.draft_activity_id = draft.id
                if cutoff is not None:
                    cutoff.commit_allowed()
                return ActionResult(conversation, True, f"Your reply to {conversation.ref} waits for approval.")
            self._audit(session, actor, "reply", "queued", conversation, reply_id=reply.id)
            enqueue(session, Effect.SEND_REPLY, conversation.id, now, reply_id=reply.id)
            if cutoff is not None:
                cutoff.commit_allowed()
            return ActionResult(conversation, True, f"Sending your reply to {conversation.ref}…")

    # -- approvals -------------------------------------------------------------------------

    def approve(self, reply_id: int, actor: str, edited_text: str | None = None) -> ActionResult:
        """An approver lets a draft reply go out, as written or edited; who approved is recorded."""
        with self._changing(self._conversation_of_reply(reply_id), actor, "approve") as (session, conversation, now):
            reply = session.get_one(Reply, reply_id, with_for_update=True)
            if reply.status != ReplyStatus.DRAFT:
                return ActionResult(conversation, False, _draft_outcome(reply, conversation.ref))
            if reply.author_slack_id == actor:
                raise ActionRefused("You cannot approve your own reply; ask another approver.")
            text = self.check_reply(conversation, edited_text if edited_text is not None else reply.text)
            edited = text != reply.text
            reply.text, reply.status, reply.approved_by, reply.approved_at = text, ReplyStatus.PENDING, actor, now
            self.record_activity(session, conversation, actor, "approved", now, update_parent=False,
                                 reply_id=reply.id, edited=edited)
            enqueue(session, Effect.SEND_REPLY, conversation.id, now, reply_id=reply.id)
            self._refresh_draft_note(session, conversation, reply, now)
            return ActionResult(conversation, True, f"Approved: the reply to {conversation.ref} is on its way.")

    def reject(self, reply_id: int, actor: str, reason: str = "") -> ActionResult:
        with self._changing(self._conversation_of_reply(reply_id), actor, "approve") as (session, conversation, now):
            reply = session.get_one(Reply, reply_id, with_for_update=True)
            if reply.status != ReplyStatus.DRAFT:
                return ActionResult(conversation, False, _draft_outcome(reply, conversation.ref))
            reply.status, reply.error = ReplyStatus.REJECTED, reason.strip()[:1000] or None
            self.record_activity(session, conversation, actor, "rejected", now, update_parent=False,
                                 reply_id=reply.id, reason=reason.strip()[:1000])
            self._refresh_draft_note(session, conversation, reply, now)
            return ActionResult(conversation, True, f"Rejected the draft reply to {conversation.ref}.")

    def latest_draft(self, conversation_id: int) -> Reply:
        with self.db.transaction() as session:
            draft = repo.latest_draft(session, conversation_id)
        if draft is None:
            raise ActionRefused("There is no draft reply waiting for approval in this conversation.")
        return draft

    def drafts(self, actor: str, brand_id: str | None = None) -> list[tuple[Conversation, Reply]]:
        if brand_id is not None:
            self.require(actor, brand_id, "view")
        brands = [brand_id] if brand_id else self.access.viewable_brands(actor)
        with self.db.transaction() as session:
            return repo.drafts(session, brands)

    def get_reply(self, reply_id: int) -> Reply:
        with self.db.transaction() as session:
            reply = session.get(Reply, reply_id)
        if reply is None:
            raise ActionRefused("This reply no longer exists.")
        return reply

    def _conversation_of_reply(self, reply_id: int) -> int:
        return self.get_reply(reply_id).conversation_id

    def _refresh_draft_note(self, session: Session, conversation: Conversation, reply: Reply, now: datetime) -> None:
        if reply.draft_activity_id is not None:
            enqueue(session, Effect.UPDATE_NOTE, conversation.id, now, activity_id=reply.draft_activity_id)

    def unquiet(self, conversation_id: int, actor: str) -> ActionResult:
        """Pull a filtered conversation back: it gets its thread and its response window."""
        with self._changing(conversation_id, actor, "unquiet") as (session, conversation, now):
            if conversation.status != Status.QUIET:
                return ActionResult(conversation, False, f"{conversation.ref} is not filtered; it is {conversation.status}.")
            first = repo.first_message_after(session, conversation.id, None)
            assert first is not None
            self._bring_back(session, conversation, first, now, None)
            self.record_activity(session, conversation, actor, "unquieted", now, update_parent=False)
            return ActionResult(conversation, True, f"{conversation.ref} is back in the channel.")

    def tag(self, conversation_id: int, actor: str, tags: Sequence[str]) -> ActionResult:
        """Label the conversation; the tag `lead` also hands it to the sales channel."""
        if not tags:
            raise ActionRefused("Say which tags to add, e.g. `bug pricing lead`.")
        bad = [tag for tag in tags if not TAG_PATTERN.fullmatch(tag)]
        if bad:
            raise ActionRefused(f"`{bad[0][:40]}` is not a tag: use lowercase letters, digits, - and _ (up to 30).")
        with self._changing(conversation_id, actor, "tag") as (session, conversation, now):
            added = self._tag(session, conversation, tags, actor, now)
            if not added:
                return ActionResult(conversation, False, f"{conversation.ref} has those tags already.")
            self.record_activity(session, conversation, actor, "tagged", now, tags=added)
            if "lead" in added:
                self._hand_off_lead(session, conversation, actor, now)
            return ActionResult(conversation, True, f"{conversation.ref} tagged {', '.join(added)}.")

    def correct_priority(self, conversation_id: int, actor: str, priority: str) -> ActionResult:
        """A teammate overrules triage ("Not urgent", `/social triage ACME-12 normal`): the
        deadline follows the new priority, and the correction is kept for export and tuning."""
        if priority not in PRIORITY_ORDER:
            raise ActionRefused(f"`{priority[:20]}` is not a priority: use urgent, high, normal or low.")
        with self._changing(conversation_id, actor, "triage") as (session, conversation, now):
            if conversation.priority == priority:
                return ActionResult(conversation, False, f"{conversation.ref} is already `{priority}`.")
            previous, category = conversation.priority, conversation.risk_category
            conversation.priority = priority
            if rank(priority) < rank("high"):
                conversation.risk_category = None  # the teammate dismissed what triage saw
            if conversation.response_due_at is not None:
                first = conversation.first_response_at is None
                conversation.response_due_at = self._due(conversation.brand_id, conversation.kind, priority,
                                                         conversation.last_customer_message_at, first)
                self._replan(conversation)
            self.record_activity(session, conversation, actor, "triage_corrected", now, previous=previous,
                                 priority=priority, category=category, evidence=conversation.risk_evidence)
            return ActionResult(conversation, True, f"{conversation.ref} is now `{priority}` (was `{previous}`).")

    def untag(self, conversation_id: int, actor: str, tags: Sequence[str]) -> ActionResult:
        with self._changing(conversation_id, actor, "tag") as (session, conversation, now):
            removed = repo.remove_tags(session, conversation.id, tags)
            if not removed:
                return ActionResult(conversation, False, f"{conversation.ref} has none of those tags.")
            self.record_activity(session, conversation, actor, "untagged", now, tags=removed)
            return ActionResult(conversation, True, f"{conversation.ref}: removed {', '.join(removed)}.")

    def first_text(self, conversation_id: int) -> str:
        with self.db.transaction() as session:
            first = repo.first_message_after(session, conversation_id, None)
            return first.text if first else ""

    def tags(self, conversation_id: int) -> list[str]:
        with self.db.transaction() as session:
            return repo.tags_of(session, conversation_id)

    def quiet_today(self, brand_id: str, actor: str) -> list[Conversation]:
        self.require(actor, brand_id, "view")
        zone = self.config.brands[brand_id].zone
        now = self.clock.now()
        midnight = datetime.combine(now.astimezone(zone).date(), time(), zone)
        with self.db.transaction() as session:
            return repo.quiet_conversations(session, brand_id, midnight.astimezone(now.tzinfo))

    def _hand_off_lead(self, session: Session, conversation: Conversation, actor: str | None, now: datetime) -> None:
        channel = self.config.lead_channel_for(conversation.brand_id)
        if channel is not None:
            enqueue(session, Effect.POST_LEAD, conversation.id, now, channel=channel, actor=actor)

    # -- moderation ------------------------------------------------------------------------

    def moderation_options(self, conversation: Conversation) -> list[str]:
        return moderation.supported(self.platform(conversation.source_id), conversation.kind)

    def moderate(self, conversation_id: int, actor: str, action: str) -> ActionResult:
        """Hide, unhide, delete, block the author, or mark as spam; done on the platform through the
        outbox, recorded in the thread when the platform has done it."""
        with self._changing(conversation_id, actor, "moderate") as (session, conversation, now):
            options = self.moderation_options(conversation)
            if action not in options:
                possible = ", ".join(options)
                raise ActionRefused(f"{conversation.platform} does not let socialdesk do that to {conversation.ref} "
                                    f"(possible: {possible}).")
            first = repo.first_message_after(session, conversation.id, None)
            assert first is not None
            if action == "spam":
                self._file_as_spam(session, conversation, actor, now)
                if "hide" in options:
                    enqueue(session, Effect.MODERATE, conversation.id, now, action="hide", target=first.external_id,
                            actor=actor)
                return ActionResult(conversation, True, f"{conversation.ref} marked as spam.")
            enqueue(session, Effect.MODERATE, conversation.id, now, action=action, target=first.external_id,
                    actor=actor)
            self._audit(session, actor, "moderate", "queued", conversation, what=action)
            return ActionResult(conversation, True, f"{moderation.LABELS[action]} on {conversation.platform}…")

    def moderation_done(self, conversation_id: int, actor: str | None, action: str, error: str | None = None) -> None:
        """The platform did it (or refused for good): say so in the thread."""
        def record(session: Session) -> None:
            conversation = session.get_one(Conversation, conversation_id)
            outcome = "moderation_failed" if error else "moderated"
            self.record_activity(session, conversation, actor, outcome, self.clock.now(), update_parent=False,
                                 what=action, **({"error": error[:500]} if error else {}))
        self._retrying(record)
        self._on_effects()

    def _file_as_spam(self, session: Session, conversation: Conversation, actor: str, now: datetime) -> None:
        conversation.status = Status.QUIET
        conversation.quiet_reason = "marked as spam"
        conversation.response_due_at = None
        self._replan(conversation)
        self.record_activity(session, conversation, actor, "marked_spam", now)

    def retry_reply(self, reply_id: int, actor: str) -> ActionResult:
        """Send a reply that was not delivered once more, with the same idempotency key."""
        with self._changing(self._conversation_of_reply(reply_id), actor, "retry") as (session, conversation, now):
            reply = session.get_one(Reply, reply_id, with_for_update=True)
            if reply.status == ReplyStatus.SENT:
                return ActionResult(conversation, False, f"That reply to {conversation.ref} was delivered already.")
            if reply.status == ReplyStatus.PENDING:
                return ActionResult(conversation, False, f"That reply to {conversation.ref} is on its way already.")
            if reply.status in (ReplyStatus.DRAFT, ReplyStatus.REJECTED):
                return ActionResult(conversation, False, _draft_outcome(reply, conversation.ref))
            self.check_reply(conversation, reply.text)
            reply.status, reply.error = ReplyStatus.PENDING, None
            self._audit(session, actor, "retry", "queued", conversation, reply_id=reply.id)
            enqueue(session, Effect.SEND_REPLY, conversation.id, now, reply_id=reply.id)
            return ActionResult(conversation, True, f"Sending the reply to {conversation.ref} again…")

    # -- outcomes reported by the delivery worker ------------------------------------------

    def reply_delivered(self, reply_id: int, external_id: str | None) -> None:
        self._retrying(lambda session: self._reply_delivered(session, reply_id, external_id))
        self._on_effects()

    def _reply_delivered(self, session: Session, reply_id: int, external_id: str | None) -> None:
        reply = session.get_one(Reply, reply_id)
        # Locked: a customer message stored at the same moment is either seen below or waits.
        conversation = session.get_one(Conversation, reply.conversation_id, with_for_update=True)
        now = self.clock.now()
        reply.status = ReplyStatus.SENT
        reply.external_id = external_id
        reply.sent_at = now
        if reply.automatic:
            # The customer still waits for a person: deadlines and first-response figures stand.
            self.record_activity(session, conversation, None, "auto_replied", now, update_parent=False,
                                 reply_id=reply.id, template=reply.template)
            return
        # The customer may have written again while the reply was on its way: that message
        # is still unanswered and keeps a (next-response) deadline.
        newer = repo.first_message_after(session, conversation.id, reply.in_reply_to)
        if newer is not None:
            conversation.response_due_at = self._due(conversation.brand_id, conversation.kind, conversation.priority,
                                                 newer.sent_at, first=False)
        else:
            conversation.response_due_at = None
            if conversation.status not in (Status.RESOLVED, Status.WAITING):
                conversation.status = Status.REPLIED
        if conversation.first_response_at is None:
            conversation.first_response_at = now
            conversation.first_responder_slack_id = reply.author_slack_id
            conversation.first_response_seconds = (now - conversation.created_at).total_seconds()
            conversation.first_response_business_seconds = self.calendar(conversation.brand_id).between(
                conversation.created_at, now).total_seconds()
        self._replan(conversation)
        conversation.updated_at = now
        self.record_activity(session, conversation, reply.author_slack_id, "replied", now, reply_id=reply.id)

    def reply_failed(self, reply_id: int, error: str) -> None:
        self._retrying(lambda session: self._reply_failed(session, reply_id, error))
        self._on_effects()

    def _reply_failed(self, session: Session, reply_id: int, error: str) -> None:
        reply = session.get_one(Reply, reply_id)
        conversation = session.get_one(Conversation, reply.conversation_id)
        reply.status = ReplyStatus.FAILED
        reply.error = error
        self.record_activity(session, conversation, reply.author_slack_id, "reply_failed", self.clock.now(),
                            reply_id=reply.id, error=error, update_parent=False)

    # -- helpers ---------------------------------------------------------------------------

    @contextmanager
    def _changing(self, conversation_id: int, actor: str, action: str
                  ) -> Iterator[tuple[Session, Conversation, datetime]]:
        """One teammate's change: the conversation row-locked, the actor's role checked, and a
        refusal of any kind written to the audit log before the teammate hears of it."""
        brand_id: str | None = None
        try:
            try:
                with self.db.transaction() as session:
                    conversation = session.get(Conversation, conversation_id, with_for_update=True)
                    if conversation is None:
                        raise ActionRefused(f"Conversation {conversation_id} no longer exists.")
                    brand_id = conversation.brand_id
                    self.require(actor, brand_id, action)
                    if conversation.status == Status.QUIET and action not in ("unquiet", "tag", "untag", "moderate"):
                        raise ActionRefused(
                            f"{conversation.ref} was filtered as needing no answer ({conversation.quiet_reason}); "
                            f"bring it back with `{self.config.slash_command} unquiet {conversation.ref}` first.")
                    yield session, conversation, self.clock.now()
            except StaleDataError:
                raise ActionRefused(
                    "Someone changed this conversation at the same moment; look at the thread and try again."
                ) from None
            except IntegrityError:
                # The same request (a double-submitted form) was stored a moment ago by another worker.
                raise ActionRefused("That was already done a moment ago.") from None
        except ActionRefused as refusal:
            self.audit_refusal(actor, action, str(refusal), brand_id, conversation_id if brand_id else None)
            raise
        self._on_effects()

    # -- who may do what -------------------------------------------------------------------

    def require(self, actor: str, brand_id: str, action: str) -> None:
        refusal = self.access.refusal(actor, brand_id, action)
        if refusal is not None:
            raise ActionRefused(refusal)

    def require_for(self, actor: str, conversation: Conversation, action: str) -> None:
        """The check before a form opens; refusals are audited like refused changes."""
        try:
            self.require(actor, conversation.brand_id, action)
        except ActionRefused as refusal:
            self.audit_refusal(actor, action, str(refusal), conversation.brand_id, conversation.id)
            raise

    def audit_refusal(self, actor: str | None, action: str, reason: str, brand_id: str | None = None,
                      conversation_id: int | None = None) -> None:
        with self.db.transaction() as session:
            session.add(AuditEntry(at=self.clock.now(), actor_slack_id=actor, brand_id=brand_id,
                                   conversation_id=conversation_id, action=action, outcome="refused",
                                   detail={"reason": reason[:500]}))

    def _audit(self, session: Session, actor: str | None, action: str, outcome: str,
               conversation: Conversation, **detail: object) -> None:
        session.add(AuditEntry(at=self.clock.now(), actor_slack_id=actor, brand_id=conversation.brand_id,
                               conversation_id=conversation.id, action=action, outcome=outcome, detail=detail))

    def audit_log(self, ref: str | None = None, actor: str | None = None, limit: int = 200) -> list[AuditEntry]:
        conversation_id = None
        if ref is not None:
            conversation_id = self.find(ref).id
        with self.db.transaction() as session:
            return repo.audit_entries(session, conversation_id=conversation_id, actor=actor, limit=limit)

    def record_activity(
        self,
        session: Session,
        conversation: Conversation,
        actor: str | None,
        action: str,
        now: datetime,
        update_parent: bool = True,
        **detail: object,
    ) -> Activity:
        conversation.updated_at = now
        activity = Activity(
            conversation_id=conversation.id, actor_slack_id=actor, action=action, detail=detail, created_at=now,
            brand_id=conversation.brand_id,
        )
        session.add(activity)
        session.flush()
        if actor is not None:
            self._audit(session, actor, action, "done", conversation, activity_id=activity.id)
        enqueue(session, Effect.POST_NOTE, conversation.id, now, activity_id=activity.id)
        if update_parent:
            enqueue(session, Effect.UPDATE_PARENT, conversation.id, now)
        for person in {conversation.assignee_slack_id, detail.get("previous_assignee")} - {None}:
            enqueue(session, Effect.PUBLISH_HOME, None, now, user=person)
        return activity


def _draft_outcome(reply: Reply, ref: str) -> str:
    """What became of a draft, for someone pressing its buttons again."""
    match reply.status:
        case ReplyStatus.DRAFT:
            return f"The reply to {ref} still waits for approval."
        case ReplyStatus.REJECTED:
            return f"That draft reply to {ref} was rejected."
        case _:
            return f"That reply to {ref} was approved by <@{reply.approved_by}> already." if reply.approved_by \
                else f"That reply to {ref} went out already."
