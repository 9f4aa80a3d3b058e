"""Automatic replies that step back for a person: which are still waiting, and their outbox jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from storage.models import JobStatus, OutboxJob, Reply, ReplyStatus, is_pending

ANSWERED = (ReplyStatus.PENDING, ReplyStatus.SENT)
"""A person's reply in these states has answered the customer, or is about to."""


def waiting_automatic_replies(session: Session, conversation_id: int) -> list[Reply]:
    """The conversation's automatic replies not yet sent, locked against the worker's outcome."""
    return list(session.scalars(
        select(Reply).where(Reply.conversation_id == conversation_id, Reply.automatic.is_(True),
                            Reply.status == ReplyStatus.PENDING).order_by(Reply.id).with_for_update()))


def idle_jobs(session: Session, conversation_id: int, kind: str, now: datetime) -> list[OutboxJob]:
    """The conversation's pending jobs of ``kind`` that no worker holds right now."""
    return list(session.scalars(
        select(OutboxJob).where(
            OutboxJob.conversation_id == conversation_id, OutboxJob.kind == kind,
            is_pending(),
            or_(OutboxJob.claimed_until.is_(None), OutboxJob.claimed_until < now),
        ).with_for_update()))


def cancel_jobs(session: Session, job_ids: list[int], now: datetime, reason: str) -> None:
    """End the jobs without carrying them out; only those still pending and not held are ended."""
    if job_ids:
        session.execute(update(OutboxJob).where(
            OutboxJob.id.in_(job_ids), is_pending(),
            or_(OutboxJob.claimed_until.is_(None), OutboxJob.claimed_until < now),
        ).values(status=JobStatus.DONE, done_at=now, last_error=reason[:2000]))


def person_answered(session: Session, conversation_id: int, after_reply_id: int = 0) -> Reply | None:
    """A teammate's reply in the conversation (queued after ``after_reply_id``), sent or on its way."""
    return session.scalars(select(Reply).where(
        Reply.conversation_id == conversation_id, Reply.automatic.is_(False), Reply.id > after_reply_id,
        Reply.status.in_(ANSWERED)).order_by(Reply.id).limit(1)).one_or_none()


def has_person_answered(session: Session, conversation_id: int) -> bool:
    return bool(session.scalar(select(exists().where(
        Reply.conversation_id == conversation_id, Reply.automatic.is_(False), Reply.status.in_(ANSWERED)))))
