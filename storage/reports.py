"""Aggregate queries for digests and reports: the database counts, Python only assembles."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import Activity, Conversation, ConversationTag, Message, Nudge, Reply


def volume_by_platform_and_kind(session: Session, brand_id: str, since: datetime, until: datetime) -> list[tuple[str, str, int]]:
    rows = session.execute(
        select(Conversation.platform, Conversation.kind, func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Conversation.brand_id == brand_id, Message.received_at >= since, Message.received_at < until)
        .group_by(Conversation.platform, Conversation.kind)
        .order_by(func.count(Message.id).desc(), Conversation.platform, Conversation.kind)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


def messages_between(session: Session, brand_id: str, since: datetime, until: datetime) -> int:
    return session.scalar(
        select(func.count(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Conversation.brand_id == brand_id, Message.received_at >= since, Message.received_at < until)
    ) or 0


def _opened(brand_id: str, since: datetime, until: datetime) -> list[Any]:
    return [Conversation.brand_id == brand_id, Conversation.created_at >= since, Conversation.created_at < until]


def conversations_opened(session: Session, brand_id: str, since: datetime, until: datetime) -> int:
    return session.scalar(select(func.count(Conversation.id)).where(*_opened(brand_id, since, until))) or 0


def percentile(session: Session, column: InstrumentedAttribute[Any], brand_id: str, since: datetime,
               until: datetime, fraction: float) -> float | None:
    """Nearest-rank percentile of a column over the conversations opened in the period, in SQL."""
    where = [*_opened(brand_id, since, until), column.is_not(None)]
    count = session.scalar(select(func.count()).select_from(Conversation).where(*where)) or 0
    if not count:
        return None
    rank = max(1, -(-int(fraction * count * 1000) // 1000))  # ceil without float noise
    return session.scalar(select(column).where(*where).order_by(column).offset(min(rank, count) - 1).limit(1))


def sla_counts(session: Session, brand_id: str, since: datetime, until: datetime, now: datetime) -> tuple[int, int]:
    """(met, due) first-response deadlines of the conversations opened in the period."""
    opened = [*_opened(brand_id, since, until), Conversation.first_response_due_at.is_not(None)]
    due = session.scalar(select(func.count()).select_from(Conversation).where(
        *opened, (Conversation.first_response_at.is_not(None)) | (Conversation.first_response_due_at <= now))) or 0
    met = session.scalar(select(func.count()).select_from(Conversation).where(
        *opened, Conversation.first_response_at <= Conversation.first_response_due_at)) or 0
    return met, due


def breaches(session: Session, brand_id: str, since: datetime, until: datetime, limit: int = 15) -> tuple[int, list[tuple[str, str | None, datetime]]]:
    where = [Conversation.brand_id == brand_id, Nudge.level == "breach", Nudge.sent.is_(True),
             Nudge.due_at >= since, Nudge.due_at < until]
    joined = select(func.count(Nudge.id)).join(Conversation, Nudge.conversation_id == Conversation.id).where(*where)
    total = session.scalar(joined) or 0
    rows = session.execute(
        select(Conversation.ref, Conversation.slack_permalink, Nudge.due_at)
        .join(Conversation, Nudge.conversation_id == Conversation.id)
        .where(*where).order_by(Nudge.due_at).limit(limit)
    ).all()
    return total, [(row[0], row[1], row[2]) for row in rows]


AGE_BUCKETS = (("under 1 day", 1), ("1-3 days", 3), ("3-7 days", 7), ("over 7 days", None))


def open_by_age(session: Session, brand_id: str, at: datetime) -> dict[str, int]:
    bucket = case(
        (Conversation.created_at > at - timedelta(days=1), AGE_BUCKETS[0][0]),
        (Conversation.created_at > at - timedelta(days=3), AGE_BUCKETS[1][0]),
        (Conversation.created_at > at - timedelta(days=7), AGE_BUCKETS[2][0]),
        else_=AGE_BUCKETS[3][0],
    )
    rows = session.execute(
        select(bucket, func.count(Conversation.id))
        .where(Conversation.brand_id == brand_id, Conversation.status.not_in(("resolved", "quiet")), Conversation.created_at < at)
        .group_by(bucket)
    ).all()
    counts = {name: 0 for name, _days in AGE_BUCKETS}
    counts.update({row[0]: row[1] for row in rows})
    return counts


def replies_by_teammate(session: Session, brand_id: str, since: datetime, until: datetime) -> dict[str, int]:
    rows = session.execute(
        select(Reply.author_slack_id, func.count(Reply.id))
        .join(Conversation, Reply.conversation_id == Conversation.id)
        .where(Conversation.brand_id == brand_id, Reply.status == "sent", Reply.automatic.is_(False), Reply.sent_at >= since, Reply.sent_at < until)
        .group_by(Reply.author_slack_id)
    ).all()
    return {row[0]: row[1] for row in rows}


def first_responses_by_teammate(session: Session, brand_id: str, since: datetime, until: datetime) -> dict[str, tuple[int, float]]:
    rows = session.execute(
        select(Conversation.first_responder_slack_id, func.count(Conversation.id), func.avg(Conversation.first_response_seconds))
        .where(*_opened(brand_id, since, until), Conversation.first_responder_slack_id.is_not(None))
        .group_by(Conversation.first_responder_slack_id)
    ).all()
    return {row[0]: (row[1], float(row[2])) for row in rows}


def actions_by_actor(session: Session, brand_id: str, action: str, since: datetime, until: datetime) -> dict[str, int]:
    rows = session.execute(
        select(Activity.actor_slack_id, func.count(Activity.id))
        .join(Conversation, Activity.conversation_id == Conversation.id)
        .where(Conversation.brand_id == brand_id, Activity.action == action,
               Activity.created_at >= since, Activity.created_at < until, Activity.actor_slack_id.is_not(None))
        .group_by(Activity.actor_slack_id)
    ).all()
    return {row[0]: row[1] for row in rows}


def escalations(session: Session, brand_id: str, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """The period's escalations (few by nature), with their tier and reason."""
    rows = session.scalars(
        select(Activity.detail)
        .join(Conversation, Activity.conversation_id == Conversation.id)
        .where(Conversation.brand_id == brand_id, Activity.action == "escalated",
               Activity.created_at >= since, Activity.created_at < until)
        .order_by(Activity.id)
    ).all()
    return list(rows)


def tag_counts(session: Session, brand_id: str, since: datetime, until: datetime) -> dict[str, int]:
    """Tags put on the brand's conversations during the period, most used first."""
    rows = session.execute(
        select(ConversationTag.tag, func.count())
        .join(Conversation, ConversationTag.conversation_id == Conversation.id)
        .where(Conversation.brand_id == brand_id, ConversationTag.created_at >= since, ConversationTag.created_at < until)
        .group_by(ConversationTag.tag).order_by(func.count().desc(), ConversationTag.tag)
    ).all()
    return {tag: count for tag, count in rows}


def quiet_count(session: Session, brand_id: str, since: datetime, until: datetime) -> int:
    return session.scalar(select(func.count()).select_from(Conversation).where(
        *_opened(brand_id, since, until), Conversation.status == "quiet")) or 0


def daily_average_first_response(session: Session, brand_id: str, since: datetime, until: datetime) -> float | None:
    return session.scalar(
        select(func.avg(Conversation.first_response_seconds)).where(*_opened(brand_id, since, until))
    )
