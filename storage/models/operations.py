"""The tables the bot runs on: outbox, schedules, seen requests, cursors, audit, tags, quiet lines, crisis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, JobStatus


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


def is_pending(job: Any = OutboxJob) -> ColumnElement[bool]:
    """``job`` (the table, or an alias of it) is pending, with 'pending' written into the SQL instead of
    sent as a parameter. PostgreSQL plans a statement prepared with a parameter once for every value;
    such a plan cannot use ix_outbox_pending_conversation, which holds only pending jobs, and scanned
    every pending job once per due job: a backlog of 175,000 jobs kept the worker's query running for
    minutes."""
    return job.status == literal_column(f"'{JobStatus.PENDING.value}'", String)


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
