"""Requests already taken (``seen_requests``): recorded in batches, forgotten after a while."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.db import Database, OwnConnection
from storage.models import SeenRequest


class SeenRequests:
    """One INSERT .. ON CONFLICT DO NOTHING .. RETURNING per batch, built once for the dialect: the
    primary key decides, atomically and across processes, which of two deliveries is the first."""

    def __init__(self, db: Database) -> None:
        insert: Any = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        self._record = insert(SeenRequest).on_conflict_do_nothing().returning(SeenRequest.key)

    def record(self, connection: OwnConnection, keys: list[str], now: datetime) -> set[str]:
        """Record the keys (distinct); returns those that were new."""
        rows = connection.execute(self._record, [{"key": key, "seen_at": now} for key in keys])
        return {row.key for row in rows}


def forget_seen_before(session: Session, before: datetime) -> int:
    result = cast(CursorResult[Any], session.execute(delete(SeenRequest).where(SeenRequest.seen_at < before)))
    return result.rowcount or 0
