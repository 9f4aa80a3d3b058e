"""Queue external effects in the same transaction as the state change that causes them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.domain.effects import EFFECT_OF, Effect, Payload, checked, payload_of
from storage.models import OutboxJob
from storage.outbox_writes import insert_jobs

__all__ = ["batched_jobs", "enqueue", "enqueue_payload"]


_BATCH = "socialdesk.outbox_batch"


def enqueue(
    session: Session,
    effect: Effect,
    conversation_id: int | None,
    now: datetime,
    dedupe_key: str | None = None,
    **fields: Any,
) -> None:
    """Queue ``effect`` with its payload's fields (see bot.domain.effects), checked here."""
    _add(session, effect, payload_of(effect, fields), conversation_id, now, dedupe_key)


def enqueue_payload(
    session: Session, payload: Payload, conversation_id: int | None, now: datetime, dedupe_key: str | None = None
) -> None:
    """Queue the effect a typed payload stands for: ``enqueue_payload(session, PostNote(activity.id), ...)``."""
    _add(session, EFFECT_OF[type(payload)], checked(payload), conversation_id, now, dedupe_key)


def _add(
    session: Session, effect: Effect, payload: Payload, conversation_id: int | None, now: datetime,
    dedupe_key: str | None,
) -> None:
    job = {"kind": effect.value, "conversation_id": conversation_id, "payload": payload.to_json(),
           "dedupe_key": dedupe_key, "next_attempt_at": now, "created_at": now}
    batch = session.info.get(_BATCH)
    if batch is not None:
        batch.append(job)
    else:
        session.add(OutboxJob(**job))


@contextmanager
def batched_jobs(session: Session) -> Iterator[None]:
    """The jobs enqueued inside the block are inserted together when it ends, in one statement
    that skips the ORM's bookkeeping of each row (the block must not read the outbox back)."""
    batch: list[dict[str, Any]] = []
    session.info[_BATCH] = batch
    try:
        yield
    finally:
        del session.info[_BATCH]
    if batch:
        insert_jobs(session, batch)
