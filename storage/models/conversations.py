"""Conversations and what hangs off them: messages, replies, activity, nudges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, ReplyStatus, Status


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
