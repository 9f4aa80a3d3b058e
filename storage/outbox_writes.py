"""Outbox jobs written many at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from storage.models import OutboxJob


def insert_jobs(session: Session, jobs: list[dict[str, Any]]) -> None:
    """The jobs in one statement that skips the ORM's bookkeeping of each row (a Core statement on the
    session's connection: the ORM's bulk path would still look at every row)."""
    session.connection().execute(insert(OutboxJob.metadata.tables[OutboxJob.__tablename__]), jobs)
