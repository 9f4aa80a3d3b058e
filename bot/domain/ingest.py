"""Customer messages in: the first of a conversation opens it, later ones join its thread."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.domain.activity import record_activity
from bot.domain.auto_replies import auto_reply
from bot.domain.crisis import surge_episode_for
from bot.domain.kernel import Kernel
from bot.domain.message_changes import ingest_with_changes, stored_attachments
from bot.domain.lifecycle import add_tags, bring_back, hand_off_lead
from bot.domain.effects import Effect
from bot.domain.outbox import batched_jobs, enqueue
from bot.domain.outcomes import ActionRefused, IngestResult
from bot.domain.sanitise import storable
from bot.domain.snooze import wake_up
from bot.domain.verbs import Happened, Verb
from bot.inbound import Author, InboundMessage
from bot.platforms.tracked import tracked_source_id
from bot.triage.rules import Verdict, rank, triage
from storage import repositories as repo
from storage.conversation_writes import write_changes
from storage.models import Conversation, Message, Status


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


def _take_ids(rows: Sequence[Conversation | Message], ids: list[int] | None) -> None:
    """The rows take the ids taken for them beforehand, where there are any (else the database numbers them)."""
    if ids is not None:
        for row, new_id in zip(rows, ids, strict=True):
            row.id = new_id


class Ingest:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.config = kernel.config
        self.deadlines = kernel.deadlines

    def ingest(self, inbound: InboundMessage) -> IngestResult:
        """Store a customer message; the first of a conversation opens it, later ones join its thread."""
        return self.ingest_many([inbound])[0]

    def ingest_many(self, inbounds: Sequence[InboundMessage]) -> list[IngestResult]:
        """Store messages in one transaction, with the outcome of ingesting them one by one in this
        order: a busy webhook endpoint pays the transaction's round trips once for many messages."""
        inbounds = [storable(inbound) for inbound in inbounds]
        if any(inbound.change for inbound in inbounds):
            return ingest_with_changes(self.kernel, inbounds, self.ingest_many)
        results = self.kernel.retrying(lambda session: self._ingest_batch(session, inbounds))
        if not all(result.duplicate for result in results):
            self.kernel.notify_effects()
        for inbound, result in zip(inbounds, results, strict=True):
            if not result.duplicate:
                self.kernel.counters.messages_ingested.labels(inbound.source_id, self._brand_of(inbound)).inc()
        return results

    def track(self, brand_id: str, channel: str, ts: str, actor: str, kind: str, author_name: str,
              text: str, url: str | None) -> IngestResult:
        """Start a conversation from a Slack message a teammate found by hand."""
        if brand_id not in self.config.brands:
            raise ActionRefused(f"Unknown brand {brand_id!r}.")
        self.kernel.require(actor, brand_id, Verb.TRACK)
        key = f"{channel}:{ts}"
        inbound = InboundMessage(
            source_id=tracked_source_id(brand_id), external_id=key, conversation_external_id=key, kind=kind,
            author=Author(id=f"slack-tracked:{key}", name=author_name.strip() or "Unknown customer"),
            text=text, url=url, sent_at=self.kernel.clock.now(), brand_id=brand_id,
        )
        result = self.ingest(inbound)
        if result.created:
            with self.kernel.changing(result.conversation_id, actor, Verb.TRACK) as (session, conversation, now):
                record_activity(session, conversation, actor, Happened.TRACKED, now, update_parent=False,
                                channel=channel)
        return result

    def _ingest_batch(self, session: Session, inbounds: Sequence[InboundMessage]) -> list[IngestResult]:
        """Three passes, each one statement for the whole batch where the ORM can: place every
        message (a duplicate, a known conversation, or a new one), then insert the new
        conversations and the messages, then apply each arrival in order."""
        now = self.kernel.clock.now()
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
            opened = [arrival.conversation for arrival in arrivals if arrival.created]
            self._number(session, opened)
            ids = repo.new_ids(session, {Conversation: len(opened), Message: len(arrivals)})
            _take_ids(opened, ids.get(Conversation))
        if any(conversation.id is None for conversation in opened):
            session.flush()  # the messages need their conversations' ids; both are inserted by the next flush otherwise
        messages = [self._message(arrival, now) for arrival in arrivals]
        _take_ids(messages, ids.get(Message))
        for arrival, message in zip(arrivals, messages, strict=True):
            arrival.message = message
        session.add_all(messages)
        session.flush()
        with batched_jobs(session):
            for arrival in arrivals:
                self._apply(session, arrival, now)
        write_changes(session, [arrival.conversation for arrival in arrivals])
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
        """Number the new conversations of each brand in arrival order."""
        if not opened:
            return
        counts = Counter(conversation.brand_id for conversation in opened)
        next_number = repo.reserve_numbers(session, counts)
        for conversation in opened:
            number = next_number[conversation.brand_id]
            next_number[conversation.brand_id] = number + 1
            conversation.number = number
            conversation.ref = f"{self.config.brands[conversation.brand_id].ref_prefix}-{number}"

    @staticmethod
    def _message(arrival: _Arrival, now: datetime) -> Message:
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
            attachments=stored_attachments(inbound),
        )

    def _apply(self, session: Session, arrival: _Arrival, now: datetime) -> None:
        """What a stored message changes: tags, the conversation's state and deadlines, the Slack
        effects and an automatic reply."""
        conversation, message, verdict = arrival.conversation, arrival.message, arrival.verdict
        created = arrival.created
        assert message is not None
        lead = "lead" in add_tags(session, conversation, verdict.tags, None, now)
        if created and conversation.status == Status.QUIET:
            enqueue(session, Effect.QUIET_LINE, None, now, brand=conversation.brand_id,
                    day=self.kernel.local_day(conversation.brand_id, now))
        elif created:
            enqueue(session, Effect.POST_PARENT, conversation.id, now)
        elif conversation.status == Status.QUIET and verdict.quiet is None:
            bring_back(self.kernel, session, conversation, message, now, verdict)
        elif conversation.status != Status.QUIET:
            self._follow_up(session, conversation, message, now, verdict)
            enqueue(session, Effect.POST_MESSAGE, conversation.id, now, message_id=message.id)
            enqueue(session, Effect.UPDATE_PARENT, conversation.id, now)
        if lead:  # queued after the parent, so that it waits for the thread and carries its link
            hand_off_lead(self.kernel, session, conversation, None, now)
        if conversation.status != Status.QUIET:
            auto_reply(self.kernel, session, conversation, message, created, now)

    def _brand_of(self, inbound: InboundMessage) -> str:
        return inbound.brand_id or self.config.sources[inbound.source_id].brand

    def _open_conversation(self, session: Session, inbound: InboundMessage, now: datetime,
                           verdict: Verdict) -> Conversation:
        """A new conversation for the message, added to the session; _number gives it its number."""
        brand_id = self._brand_of(inbound)
        brand = self.config.brands[brand_id]
        sent_at = min(inbound.sent_at, now)
        quiet = verdict.quiet is not None
        due = None if quiet else self.deadlines.due(brand_id, inbound.kind, verdict.priority, sent_at, first=True)
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
            platform=inbound.platform or self.kernel.platform(inbound.source_id).platform,
            author_external_id=inbound.author.id,
            author_name=inbound.author.name,
            author_handle=inbound.author.handle,
            url=inbound.url,
            status=Status.QUIET if quiet else Status.OPEN,
            slack_channel=verdict.channel or brand.slack_channel,
            response_due_at=due,
            first_response_due_at=due,
            resolution_due_at=None if quiet else self.deadlines.after(brand_id, policy, sent_at, policy.resolution),
            last_customer_message_at=sent_at,
            created_at=now,
            updated_at=now,
        )
        if not quiet and conversation.slack_channel == brand.slack_channel:
            conversation.surge_episode_id = surge_episode_for(session, self.config, brand_id, verdict.priority)
        self.deadlines.replan(conversation)
        session.add(conversation)
        return conversation

    def _follow_up(self, session: Session, conversation: Conversation, message: Message, now: datetime,
                   verdict: Verdict) -> None:
        conversation.last_customer_message_at = max(conversation.last_customer_message_at, message.sent_at)
        conversation.updated_at = now
        conversation.sentiment = verdict.sentiment.value
        if verdict.category and (conversation.risk_category is None or
                                 rank(verdict.priority) > rank(conversation.priority)):
            conversation.risk_category = verdict.category
            conversation.risk_evidence = verdict.evidence[:200] if verdict.evidence else None
        if rank(verdict.priority) > rank(conversation.priority):
            self.deadlines.raise_priority(conversation, verdict.priority, message.sent_at)
        wake_up(session, self.deadlines, conversation, now, reason="message")
        self.deadlines.resume(conversation, now)
        if conversation.status in (Status.REPLIED, Status.RESOLVED, Status.WAITING):
            conversation.status = Status.OPEN
            conversation.resolved_at = None
        if conversation.response_due_at is None:
            first = not repo.has_sent_reply(session, conversation.id)
            conversation.response_due_at = self.deadlines.due(conversation.brand_id, conversation.kind,
                                                              conversation.priority, message.sent_at, first)
            self.deadlines.replan(conversation)
