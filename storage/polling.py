"""Polling sources' rows: the cursor, the lease that lets one process poll at a time, the failures."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import SourceCursor


def ensure_cursor_row(session: Session, source_id: str) -> None:
    if session.get(SourceCursor, source_id) is not None:
        return
    try:
        with session.begin_nested():
            session.add(SourceCursor(source_id=source_id, cursor={}, failures=0))
    except IntegrityError:
        pass  # another process created it a moment ago


def claim_source(session: Session, source_id: str, worker_id: str, now: datetime,
                 until: datetime) -> dict[str, Any] | None:
    """The source's cursor, leased to ``worker_id`` until ``until``; None when another process holds
    the lease or the source is backing off."""
    claimed = cast(CursorResult[Any], session.execute(
        update(SourceCursor)
        .where(
            SourceCursor.source_id == source_id,
            or_(SourceCursor.claimed_until.is_(None), SourceCursor.claimed_until < now),
            or_(SourceCursor.next_poll_at.is_(None), SourceCursor.next_poll_at <= now),
        )
        .values(claimed_until=until, claimed_by=worker_id)
    ))
    if claimed.rowcount != 1:
        return None
    return dict(session.get_one(SourceCursor, source_id).cursor)


def save_cursor(session: Session, source_id: str, worker_id: str, cursor: dict[str, Any]) -> None:
    """Move the cursor on, if this worker still holds the lease."""
    session.execute(update(SourceCursor).where(SourceCursor.source_id == source_id,
                                               SourceCursor.claimed_by == worker_id)
                    .values(cursor=cursor))


def locked_source(session: Session, source_id: str) -> SourceCursor:
    return session.get_one(SourceCursor, source_id, with_for_update=True)
