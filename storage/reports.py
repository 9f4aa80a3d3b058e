"""Aggregate queries for digests and reports: the database counts, Python only assembles.

A report covers a period and the one before it, and splits each into local days. Rather than one
query per figure, per period and per day, each table is read once over both periods: rows are put
in buckets by a CASE over the ``edges`` (ascending instants; bucket ``i`` is ``[edges[i],
edges[i + 1])``) and grouped by bucket, and the caller adds the buckets up per period. The
messages, by far the most rows, are counted bucket by bucket instead, each over its own range of
an index (see ``messages_by_bucket``). Messages, replies and activities carry their conversation's
brand (and messages its platform and kind), so none of these reads joins the conversations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ARRAY, Float, and_, case, func, literal, select, text, type_coerce, union_all
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Activity, Conversation, ConversationTag, Message, Nudge, Reply


REPORT_WORK_MEM = "64MB"
"""Memory for each sort and hash of a report's queries (PostgreSQL): a week's conversations fit
in one hash batch instead of spilling in four."""


def prepare_for_aggregates(session: Session) -> None:
    """Settings for the report's transaction only (PostgreSQL; nothing elsewhere)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'"))


def bucket(column: Any, edges: Sequence[datetime]) -> ColumnElement[int]:
    """The index of the bucket the column falls in (rows outside ``edges`` must be filtered out)."""
    inner = edges[1:-1]
    if not inner:
        return literal(0)
    return case(*[(column < edge, index) for index, edge in enumerate(inner)], else_=len(inner))


def _within(column: Any, edges: Sequence[datetime]) -> list[Any]:
    return [column >= edges[0], column < edges[-1]]


def messages_by_bucket(session: Session, brand_id: str, edges: Sequence[datetime]) -> list[tuple[str, str, int, int]]:
    """(platform, kind, bucket, messages received) in one statement over the messages.

    The brand, platform and kind are on each message, so this reads only the index on them and
    ``received_at``. There are as many messages as everything else together, so rather than a CASE
    for every one of them, each bucket is a part of its own over its own range of the index."""
    parts = [
        select(Message.platform, Message.kind, literal(index), func.count())
        .where(Message.brand_id == brand_id, Message.received_at >= start, Message.received_at < end)
        .group_by(Message.platform, Message.kind)
        for index, (start, end) in enumerate(pairwise(edges))
    ]
    rows = session.execute(union_all(*parts)).all()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


@dataclass(frozen=True)
class OpenedCounts:
    """Figures of the conversations opened in one bucket with one first responder (or none)."""

    first_responder: str | None
    conversations: int
    with_first_response: int
    with_business_first_response: int
    first_response_seconds_total: float
    sla_due: int
    sla_met: int
    quiet: int


def _count_if(condition: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def opened_by_bucket(session: Session, brand_id: str, edges: Sequence[datetime],
                     now: datetime) -> dict[int, list[OpenedCounts]]:
    """The conversations opened per bucket and first responder, in one pass: counts, total first
    response time, first deadlines met and due (due: answered, or the deadline has passed),
    filtered ones."""
    created = bucket(Conversation.created_at, edges)
    deadline = Conversation.first_response_due_at
    rows = session.execute(
        select(
            created,
            Conversation.first_responder_slack_id,
            func.count(Conversation.id),
            func.count(Conversation.first_response_seconds),
            func.count(Conversation.first_response_business_seconds),
            func.coalesce(func.sum(Conversation.first_response_seconds), 0.0),
            _count_if(and_(deadline.is_not(None), (Conversation.first_response_at.is_not(None)) | (deadline <= now))),
            _count_if(and_(deadline.is_not(None), Conversation.first_response_at <= deadline)),
            _count_if(Conversation.status == "quiet"),
        )
        .where(Conversation.brand_id == brand_id, *_within(Conversation.created_at, edges))
        .group_by(created, Conversation.first_responder_slack_id)
    ).all()
    answer: dict[int, list[OpenedCounts]] = {}
    for row in rows:
        answer.setdefault(row[0], []).append(
            OpenedCounts(row[1], row[2], row[3], row[4], float(row[5] or 0.0), int(row[6]), int(row[7]), int(row[8])))
    return answer


def nearest_rank(fraction: float, count: int) -> int:
    """The 1-based rank of the nearest-rank percentile among ``count`` values."""
    rank = max(1, -(-int(fraction * count * 1000) // 1000))  # ceil without float noise
    return min(rank, count)


def percentiles(session: Session, brand_id: str,
                wanted: Sequence[tuple[InstrumentedAttribute[Any], datetime, datetime, Sequence[float], int]],
                ) -> list[list[float | None]]:
    """Nearest-rank percentiles of columns over the conversations opened in periods.

    ``wanted`` holds (column, since, until, fractions, how many non-null values the column has in
    the period); the answer has one list of values per entry, in the order of its fractions. On
    PostgreSQL all of them come from one pass (``percentile_disc``, asked for the exact rank);
    elsewhere each is an ordered scan to its rank.
    """
    answers: list[list[float | None]] = [[None] * len(fractions) for _c, _s, _u, fractions, _n in wanted]
    asked = [(index, column, since, until, fractions, count)
             for index, (column, since, until, fractions, count) in enumerate(wanted) if count]
    if not asked:
        return answers
    if session.get_bind().dialect.name == "postgresql":
        aggregates = []
        for _index, column, since, until, fractions, count in asked:
            # percentile_disc(f) is the value at rank ceil(f × count); (rank - 0.5) / count lands on
            # exactly the rank computed here, whatever the float rounding of f × count.
            positions = [(nearest_rank(fraction, count) - 0.5) / count for fraction in fractions]
            aggregates.append(type_coerce(
                func.percentile_disc(postgresql.array(positions)).within_group(column)
                .filter(Conversation.created_at >= since, Conversation.created_at < until),
                ARRAY(Float),
            ))
        low = min(since for _i, _c, since, _u, _f, _n in asked)
        high = max(until for _i, _c, _s, until, _f, _n in asked)
        row = session.execute(select(*aggregates).where(
            Conversation.brand_id == brand_id, Conversation.created_at >= low, Conversation.created_at < high)).one()
        for (index, *_rest), values in zip(asked, row, strict=True):
            answers[index] = list(values) if values is not None else answers[index]
        return answers
    for index, column, since, until, fractions, count in asked:
        where = [Conversation.brand_id == brand_id, Conversation.created_at >= since, Conversation.created_at < until,
                 column.is_not(None)]
        answers[index] = [
            session.scalar(
                select(column).where(*where).order_by(column).offset(nearest_rank(fraction, count) - 1).limit(1)
            )
            for fraction in fractions
        ]
    return answers


def breach_counts(session: Session, brand_id: str, edges: Sequence[datetime]) -> dict[int, int]:
    where_bucket = bucket(Nudge.due_at, edges)
    rows = session.execute(
        select(where_bucket, func.count(Nudge.id))
        .join(Conversation, Nudge.conversation_id == Conversation.id)
        .where(*_breach_filter(brand_id), *_within(Nudge.due_at, edges))
        .group_by(where_bucket)
    ).all()
    return {row[0]: row[1] for row in rows}


def _breach_filter(brand_id: str) -> list[Any]:
    return [Conversation.brand_id == brand_id, Nudge.level == "breach", Nudge.sent.is_(True)]


def first_breaches(session: Session, brand_id: str, since: datetime, until: datetime,
                   limit: int = 15) -> list[tuple[str, str | None, datetime]]:
    rows = session.execute(
        select(Conversation.ref, Conversation.slack_permalink, Nudge.due_at)
        .join(Conversation, Nudge.conversation_id == Conversation.id)
        .where(*_breach_filter(brand_id), Nudge.due_at >= since, Nudge.due_at < until)
        .order_by(Nudge.due_at).limit(limit)
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


AGE_BUCKETS = (("under 1 day", 1), ("1-3 days", 3), ("3-7 days", 7), ("over 7 days", None))


def open_by_age(session: Session, brand_id: str, moments: Sequence[datetime]) -> list[dict[str, int]]:
    """Conversations still open now, by their age at each of the moments (opened before it), in one pass."""
    created = Conversation.created_at
    sums = []
    for at in moments:
        limits = [at - timedelta(days=days) for _name, days in AGE_BUCKETS if days is not None]
        younger = [created > limit for limit in limits]
        conditions = [younger[0], and_(younger[1], ~younger[0]), and_(younger[2], ~younger[1]), ~younger[2]]
        sums += [_count_if(and_(created < at, condition)) for condition in conditions]
    row = session.execute(
        select(*sums).where(Conversation.brand_id == brand_id, Conversation.status.not_in(("resolved", "quiet")),
                            created < max(moments))
    ).one()
    answers = []
    for index in range(len(moments)):
        counts = row[index * len(AGE_BUCKETS):(index + 1) * len(AGE_BUCKETS)]
        answers.append({name: int(count) for (name, _days), count in zip(AGE_BUCKETS, counts, strict=True)})
    return answers


def replies_by_teammate(session: Session, brand_id: str, edges: Sequence[datetime]) -> dict[int, dict[str, int]]:
    where_bucket = bucket(Reply.sent_at, edges)
    rows = session.execute(
        select(where_bucket, Reply.author_slack_id, func.count(Reply.id))
        .where(Reply.brand_id == brand_id, Reply.status == "sent", Reply.automatic.is_(False),
               *_within(Reply.sent_at, edges))
        .group_by(where_bucket, Reply.author_slack_id)
    ).all()
    return _nest(rows)


def actions_by_actor(session: Session, brand_id: str, action: str,
                     edges: Sequence[datetime]) -> dict[int, dict[str, int]]:
    where_bucket = bucket(Activity.created_at, edges)
    rows = session.execute(
        select(where_bucket, Activity.actor_slack_id, func.count(Activity.id))
        .where(Activity.brand_id == brand_id, Activity.action == action,
               *_within(Activity.created_at, edges), Activity.actor_slack_id.is_not(None))
        .group_by(where_bucket, Activity.actor_slack_id)
    ).all()
    return _nest(rows)


def escalations(session: Session, brand_id: str, edges: Sequence[datetime]) -> dict[int, list[dict[str, Any]]]:
    """Each bucket's escalations (few by nature), with their tier and reason, in order."""
    where_bucket = bucket(Activity.created_at, edges)
    rows = session.execute(
        select(where_bucket, Activity.detail)
        .where(Activity.brand_id == brand_id, Activity.action == "escalated", *_within(Activity.created_at, edges))
        .order_by(Activity.id)
    ).all()
    answer: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        answer.setdefault(row[0], []).append(row[1])
    return answer


def tag_counts(session: Session, brand_id: str, since: datetime, until: datetime) -> dict[str, int]:
    """Tags put on the brand's conversations during the period, most used first."""
    rows = session.execute(
        select(ConversationTag.tag, func.count())
        .join(Conversation, ConversationTag.conversation_id == Conversation.id)
        .where(Conversation.brand_id == brand_id, ConversationTag.created_at >= since,
               ConversationTag.created_at < until)
        .group_by(ConversationTag.tag).order_by(func.count().desc(), ConversationTag.tag)
    ).all()
    return {tag: count for tag, count in rows}


def _nest(rows: Sequence[Any]) -> dict[int, dict[str, int]]:
    answer: dict[int, dict[str, int]] = {}
    for row in rows:
        answer.setdefault(row[0], {})[row[1]] = row[2]
    return answer
