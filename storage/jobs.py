"""The outbox as a job queue: which jobs are due and in what order, leases, and how a job ends.

Kinds are plain strings here (storage knows nothing of the domain's Effect): the worker passes the
ones a query needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, exists, func, or_, outerjoin, select, update
from sqlalchemy.orm import Session, aliased

from storage.models import Conversation, JobStatus, OutboxJob, is_pending


@dataclass(frozen=True, slots=True)
class DueJob:
    id: int
    conversation_id: int | None
    kind: str
    attempts: int
    claimed_by: str | None
    created_at: datetime
    slack_channel: str | None
    """The conversation's channel, when the job has a conversation."""


def due_jobs(session: Session, now: datetime, first_kind: str, aging: timedelta, limit: int) -> list[DueJob]:
    """Jobs that may run now, none behind an earlier pending job of its conversation: jobs of
    ``first_kind``, and whatever has waited longer than ``aging``, go first; then by id."""
    return [DueJob(*row) for row in session.execute(due_jobs_query(now, first_kind, aging, limit))]


def due_jobs_query(now: datetime, first_kind: str, aging: timedelta, limit: int) -> Select[*tuple[Any, ...]]:
    earlier = aliased(OutboxJob)
    first_turn = case((or_(OutboxJob.kind == first_kind, OutboxJob.created_at <= now - aging), 0), else_=1)
    blocked = exists().where(
        earlier.conversation_id == OutboxJob.conversation_id,
        earlier.id < OutboxJob.id,
        is_pending(earlier),
    )
    return (
        select(OutboxJob.id, OutboxJob.conversation_id, OutboxJob.kind, OutboxJob.attempts,
               OutboxJob.claimed_by, OutboxJob.created_at, Conversation.slack_channel)
        .select_from(outerjoin(OutboxJob, Conversation, OutboxJob.conversation_id == Conversation.id))
        .where(
            is_pending(),
            OutboxJob.next_attempt_at <= now,
            or_(OutboxJob.claimed_until.is_(None), OutboxJob.claimed_until < now),
            or_(OutboxJob.conversation_id.is_(None), ~blocked),
        )
        .order_by(first_turn, OutboxJob.id)
        .limit(limit)
    )


def claim(session: Session, job_id: int, now: datetime, until: datetime, worker_id: str, *,
          attempts: int, claimed_by: str | None) -> bool:
    """Take the job's lease until ``until``, unless another worker holds it or it has ended, or it is
    no longer as the caller listed it (``attempts``, ``claimed_by``): a worker that tried it since may
    have carried it out, which the caller must see before it runs the job."""
    claimed = session.execute(
        update(OutboxJob)
        .where(
            OutboxJob.id == job_id,
            is_pending(),
            or_(OutboxJob.claimed_until.is_(None), OutboxJob.claimed_until < now),
            OutboxJob.attempts == attempts,
            OutboxJob.claimed_by.is_(None) if claimed_by is None else OutboxJob.claimed_by == claimed_by,
        )
        .values(claimed_until=until, claimed_by=worker_id)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def release(session: Session, job_id: int) -> None:
    """Give the lease back without counting an attempt."""
    session.execute(update(OutboxJob).where(OutboxJob.id == job_id).values(claimed_until=None, claimed_by=None))


def retry_later(session: Session, job_id: int, attempts: int, error: str, at: datetime) -> None:
    session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == job_id)
        .values(attempts=attempts, last_error=error[:2000], next_attempt_at=at, claimed_until=None, claimed_by=None)
    )


def finish(session: Session, job_id: int, status: JobStatus, now: datetime, error: str | None,
           attempts: int | None = None) -> None:
    values: dict[str, Any] = {"status": status, "done_at": now, "claimed_until": None, "last_error": error}
    if attempts is not None:
        values["attempts"] = attempts
    session.execute(update(OutboxJob).where(OutboxJob.id == job_id).values(**values))


def pending_count(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(OutboxJob).where(is_pending())
    ) or 0


def next_attempt_after(session: Session, now: datetime) -> datetime | None:
    """When the next pending job not yet due may run."""
    return session.scalar(
        select(func.min(OutboxJob.next_attempt_at)).where(
            is_pending(), OutboxJob.next_attempt_at > now
        )
    )


def later_pending(session: Session, job_id: int, conversation_id: int | None, kind: str) -> bool:
    """Whether a pending job of ``kind`` for the same conversation was queued after this one."""
    return bool(session.scalar(select(exists().where(
        OutboxJob.conversation_id == conversation_id,
        is_pending(),
        OutboxJob.id > job_id,
        OutboxJob.kind == kind,
    ))))


def any_pending(session: Session, kind: str) -> bool:
    """Whether any job of ``kind`` may still be carried out."""
    return session.scalar(select(exists().where(OutboxJob.kind == kind, is_pending()))) \
        or False


def set_aside(session: Session, conversation_id: int, kind: str) -> bool:
    """Whether the conversation's job of ``kind`` waits for attention (Slack refused it)."""
    return bool(session.scalar(select(exists().where(
        OutboxJob.conversation_id == conversation_id, OutboxJob.kind == kind,
        OutboxJob.status == JobStatus.ATTENTION))))


def conversation_of(session: Session, job_id: int) -> Conversation | None:
    job = session.get(OutboxJob, job_id)
    return session.get(Conversation, job.conversation_id) if job and job.conversation_id else None
