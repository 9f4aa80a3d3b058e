"""How many messages a brand received in given spans of time, and how many of them were negative.

Counted by the database, over ``messages.sent_at`` (indexed): when the customers wrote, so a
backlog fetched after an outage does not look like a spike. A span is ``(start, end]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Message

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Tally:
    messages: int
    negative: int


def _within(span: Span) -> ColumnElement[bool]:
    start, end = span
    return and_(Message.sent_at > start, Message.sent_at <= end)


def _of_brand(brand_id: str) -> ColumnElement[bool]:
    return Message.brand_id == brand_id


def tallies(session: Session, brand_id: str, spans: Sequence[Span]) -> list[Tally]:
    """One tally per span, in one query."""
    if not spans:
        return []
    columns = []
    for span in spans:
        inside = _within(span)
        columns.append(func.sum(case((inside, 1), else_=0)))
        columns.append(func.sum(case((and_(inside, Message.sentiment == "negative"), 1), else_=0)))
    query = (
        select(*columns)
        .select_from(Message)
        .where(_of_brand(brand_id), or_(*(_within(span) for span in spans)))
    )
    row = session.execute(query).one()
    return [Tally(int(row[i] or 0), int(row[i + 1] or 0)) for i in range(0, len(columns), 2)]


def first_message_at(session: Session, brand_id: str) -> datetime | None:
    query = (
        select(func.min(Message.sent_at))
        .where(_of_brand(brand_id))
    )
    return session.scalar(query)


def messages_in(session: Session, brand_id: str, span: Span, limit: int) -> list[Message]:
    """The span's messages, the negative ones first, then the newest."""
    query = (
        select(Message)
        .where(_of_brand(brand_id), _within(span))
        .order_by(case((Message.sentiment == "negative", 0), else_=1), Message.sent_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
