"""Bulk-loading large datasets into PostgreSQL with COPY (never the ORM row by row)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from bench.setup import BRANDS, PEOPLE

CONVERSATION_COLUMNS = (
    "id", "brand_id", "source_id", "external_id", "number", "ref", "kind", "priority", "platform",
    "author_external_id", "author_name", "author_handle", "status", "assignee_slack_id", "slack_channel",
    "slack_ts", "response_due_at", "first_response_due_at", "first_response_at", "first_response_seconds",
    "first_response_business_seconds", "first_responder_slack_id", "resolution_due_at", "next_nudge_at",
    "last_customer_message_at", "created_at", "updated_at", "resolved_at", "version",
)
TEAM = list(PEOPLE)


def copy_rows(engine: Engine, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into a table; returns how many."""
    count = 0
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        raw.commit()
    finally:
        raw.close()
    return count


def finish_load(engine: Engine, tables: Sequence[str]) -> None:
    """Move id sequences past the loaded ids and refresh the planner's statistics."""
    with engine.begin() as connection:
        for table in tables:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 1))"
            ))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            connection.execute(text(f"VACUUM ANALYZE {table}"))


def brand_of(index: int) -> tuple[str, str, str, str]:
    """(brand id, ref prefix, channel, source) of the index-th conversation: brands in turn."""
    brand_id = list(BRANDS)[index % len(BRANDS)]
    prefix, channel, source = BRANDS[brand_id]
    return brand_id, prefix, channel, source


def conversation_row(conversation_id: int, brand: tuple[str, str, str, str], number: int, created: datetime,
                     *, resolved: bool, next_nudge_at: datetime | None, resolution_due_at: datetime | None,
                     first_response_seconds: float) -> tuple[Any, ...]:
    brand_id, prefix, channel, source = brand
    responder = TEAM[conversation_id % len(TEAM)]
    first_response_at = created + timedelta(seconds=first_response_seconds)
    first_due = created + timedelta(hours=1)
    return (
        conversation_id, brand_id, source, f"c{conversation_id}", number, f"{prefix}-{number}", "comment",
        "normal", "Facebook", f"fb-{conversation_id % 50_000}", f"Customer {conversation_id % 50_000}",
        f"@customer{conversation_id % 50_000}", "resolved" if resolved else "replied", responder, channel,
        f"1700000000.{conversation_id:06d}", None, first_due, first_response_at, first_response_seconds,
        first_response_seconds * 0.6, responder, resolution_due_at, next_nudge_at, created, created,
        first_response_at, first_response_at + timedelta(hours=2) if resolved else None, 1,
    )
