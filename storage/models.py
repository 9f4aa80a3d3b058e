"""The database schema, as typed SQLAlchemy 2 models. Nothing here knows about Slack's API."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which has no time zones) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Status(StrEnum):
    OPEN = "open"
    REPLIED = "replied"
    WAITING = "waiting"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    QUIET = "quiet"
    """Needs no answer (a friend tag, spam): no thread, no deadline, counted in the quiet line."""


class ReplyStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    DRAFT = "draft"
    """Waiting for an approver; nothing is sent until approved."""
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    """An automatic reply dropped because a person answered before it went out."""


class JobStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    ATTENTION = "attention"
    """Slack refused the effect even in its shortened form: the admins were told, and it waits for them."""


class BrandCounter(Base):
    """Hands out per-brand conversation numbers (ACME-1, ACME-2, ...)."""

    __tablename__ = "brand_counters"

    brand_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        UniqueConstraint("brand_id", "number"),
        Index("ix_conversations_status_due", "status", "response_due_at"),
        Index("ix_conversations_brand_id_created_at", "brand_id", "created_at"),
        Index("ix_conversations_brand_author", "brand_id", "platform", "author_external_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(255))
    number: Mapped[int]
    ref: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(8), default="normal", server_default="normal")
    sentiment: Mapped[str] = mapped_column(String(8), default="neutral", server_default="neutral")
    quiet_reason: Mapped[str | None] = mapped_column(String(80))
    """Why the conversation was filtered out of the channel (status quiet)."""
    risk_category: Mapped[str | None] = mapped_column(String(16))
    """The built-in risk category triage found (safety, legal, press ...); None when none, or
    when a teammate marked the conversation not urgent."""
    risk_evidence: Mapped[str | None] = mapped_column(String(200))
    """The customer's words that showed the category."""
    platform: Mapped[str] = mapped_column(String(40))
    author_external_id: Mapped[str] = mapped_column(String(255))
    author_name: Mapped[str] = mapped_column(String(255))
    author_handle: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN)
    assignee_slack_id: Mapped[str | None] = mapped_column(String(32))
    escalation_tier: Mapped[str | None] = mapped_column(String(40))
    slack_channel: Mapped[str] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    slack_permalink: Mapped[str | None] = mapped_column(Text)
    slack_thread_ts: Mapped[str | None] = mapped_column(String(32))
    """The thread its messages and notes go to when its own message is a reply in a shared thread
    (the surge thread); None when ``slack_ts`` starts its own thread."""
    surge_episode_id: Mapped[int | None] = mapped_column(ForeignKey("crisis_episodes.id"))
    """Set when it arrived during a crisis episode and is grouped in that episode's surge thread."""
    response_due_at: Mapped[datetime | None]
    first_response_due_at: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    first_response_seconds: Mapped[float | None]
    first_response_business_seconds: Mapped[float | None]
    first_responder_slack_id: Mapped[str | None] = mapped_column(String(32))
    resolution_due_at: Mapped[datetime | None]
    next_nudge_at: Mapped[datetime | None] = mapped_column(index=True)
    paused_at: Mapped[datetime | None]
    snoozed_until: Mapped[datetime | None]
    """Out of the queues, its nudges held, until then (or until the customer writes)."""
    sla_level: Mapped[str | None] = mapped_column(String(16))
    last_customer_message_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", lazy="raise"
    )

    __mapper_args__ = {"version_id_col": version}


class Message(Base):
    """One inbound customer message."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        # the report's volume: a brand's messages by day, platform and kind, from this index alone
        Index("ix_messages_brand_id_received_at_platform_kind", "brand_id", "received_at", "platform", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    brand_id: Mapped[str] = mapped_column(String(40))
    """The conversation's brand, platform and kind, copied here (they never change) so that the
    report counts messages without joining each one to its conversation."""
    platform: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(255))
    author_external_id: Mapped[str] = mapped_column(String(255))
    author_name: Mapped[str] = mapped_column(String(255))
    author_handle: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None]
    sentiment: Mapped[str | None] = mapped_column(String(8))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    sent_at: Mapped[datetime] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    attachments: Mapped[list[dict[str, str | None]] | None] = mapped_column(JSON)
    earlier_texts: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    """The texts the customer replaced by editing, oldest first: ``{"text", "until"}``."""
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]

    conversation: Mapped[Conversation] = relationship(back_populates="messages", lazy="raise")


class Reply(Base):
    """A reply a teammate sends to the customer through the platform."""

    __tablename__ = "replies"
    __table_args__ = (
        Index("ix_replies_sent_at", "sent_at"),
        Index("ix_replies_brand_id_sent_at", "brand_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    brand_id: Mapped[str] = mapped_column(String(40))
    """The conversation's brand, copied here so that the report counts replies without a join."""
    reply_key: Mapped[str] = mapped_column(String(64), unique=True)
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    author_slack_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    in_reply_to: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default=ReplyStatus.PENDING)
    external_id: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(32))
    approved_at: Mapped[datetime | None]
    draft_activity_id: Mapped[int | None]
    """The thread note showing the draft, edited when it is approved or rejected."""
    automatic: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Sent by the bot itself (an FAQ or off-hours auto-reply), not by a teammate."""
    template: Mapped[str | None] = mapped_column(String(60))
    agent_name: Mapped[str | None] = mapped_column(String(255))
    signature: Mapped[str | None] = mapped_column(Text)
    """The brand's signature as rendered for this reply, sent after its text."""
    private: Mapped[bool] = mapped_column(default=False, server_default=false())


class Activity(Base):
    """Who did what to a conversation; each is also a one-line note in its Slack thread."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_action_created_at", "action", "created_at"),
        Index("ix_activities_brand_id_action_created_at", "brand_id", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    brand_id: Mapped[str] = mapped_column(String(40))
    """The conversation's brand, copied here so that the report counts resolutions and escalations
    without a join."""
    actor_slack_id: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    request_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime]
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class Nudge(Base):
    """One SLA nudge, sent once: the unique key makes a second process's attempt fail harmlessly."""

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("conversation_id", "deadline", "due_at", "level"),
        Index("ix_nudges_level_due_at", "level", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    deadline: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    level: Mapped[str] = mapped_column(String(16))
    sent: Mapped[bool]
    created_at: Mapped[datetime]


class ScheduleClaim(Base):
    """A scheduled run (a brand's weekly digest) claimed once, whichever process gets there first."""

    __tablename__ = "schedule_claims"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    claimed_at: Mapped[datetime]


class OutboxJob(Base):
    """An external effect (a Slack post, a platform reply) waiting to happen, retried until done."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next_attempt", "status", "next_attempt_at"),
        # "an earlier pending job of the same conversation?" is asked for every due job
        Index("ix_outbox_pending_conversation", "conversation_id", "id",
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Who did what, or tried to: every action by a person, allowed or refused."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_slack_id: Mapped[str | None] = mapped_column(String(32), index=True)
    brand_id: Mapped[str | None] = mapped_column(String(40))
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SeenRequest(Base):
    """A request already taken (a signed Slack request, an Events API event id): a second
    delivery of the same one, replayed or retried, is recognised by this key."""

    __tablename__ = "seen_requests"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class SourceCursor(Base):
    """Where a polling source is up to, and its health; one row per source, shared by every process.

    ``claimed_until`` is a lease: only the process holding it polls, so two processes never poll
    one source at the same time, and a process that died mid-poll frees it when the lease ends.
    """

    __tablename__ = "source_cursors"

    source_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    cursor: Mapped[dict[str, Any]] = mapped_column(default=dict)
    next_poll_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    failure: Mapped[str | None] = mapped_column(Text)
    """The failure shown in Slack, until the source works again."""
    failing_since: Mapped[datetime | None]
    polled_at: Mapped[datetime | None]


class ConversationTag(Base):
    """A label on a conversation (bug, pricing, lead ...), counted in the weekly digest."""

    __tablename__ = "conversation_tags"
    __table_args__ = (UniqueConstraint("conversation_id", "tag"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    tag: Mapped[str] = mapped_column(String(30), index=True)
    added_by: Mapped[str | None] = mapped_column(String(32))
    """The teammate who added it; None when a triage rule did."""
    created_at: Mapped[datetime] = mapped_column(index=True)


class QuietLine(Base):
    """The day's one message in a brand's channel counting what was filtered out as needing no answer."""

    __tablename__ = "quiet_lines"

    brand_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))


class CrisisEpisode(Base):
    """A spike in a brand's messages, from the alert to the all-clear.

    ``open_brand_id`` is the brand while the episode is open and None once it is cleared: being
    unique, it lets one open episode per brand exist, whichever process inserts it first.
    """

    __tablename__ = "crisis_episodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[str] = mapped_column(String(40), index=True)
    open_brand_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    started_at: Mapped[datetime]
    calm_since: Mapped[datetime | None]
    """Since when the figures have been below the thresholds (None while they are above)."""
    cleared_at: Mapped[datetime | None]
    numbers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """The figures at the alert: volume and negative share against the usual, samples, top words."""
    alert_channel: Mapped[str | None] = mapped_column(String(32))
    alert_ts: Mapped[str | None] = mapped_column(String(32))
    surge_channel: Mapped[str | None] = mapped_column(String(32))
    surge_ts: Mapped[str | None] = mapped_column(String(32))
