"""Queue external effects in the same transaction as the state change that causes them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from storage.models import OutboxJob
from storage.outbox_writes import insert_jobs


class Effect(StrEnum):
    POST_PARENT = "post_parent"
    UPDATE_PARENT = "update_parent"
    POST_MESSAGE = "post_message"
    POST_NOTE = "post_note"
    UPDATE_NOTE = "update_note"
    POST_ESCALATION = "post_escalation"
    SEND_REPLY = "send_reply"
    PUBLISH_HOME = "publish_home"
    DM_USER = "dm_user"
    POST_DIGEST = "post_digest"
    UPLOAD_CHART = "upload_chart"
    QUIET_LINE = "quiet_line"
    POST_LEAD = "post_lead"
    MODERATE = "moderate"
    POST_SOURCE_STATUS = "post_source_status"
    POST_CRISIS_ALERT = "post_crisis_alert"
    POST_CRISIS_ALL_CLEAR = "post_crisis_all_clear"
    POST_SURGE_THREAD = "post_surge_thread"
    POST_SURGE_ENDED = "post_surge_ended"
    POST_UNSHOWN_NOTICE = "post_unshown_notice"


_BATCH = "socialdesk.outbox_batch"


def enqueue(
    session: Session,
    effect: Effect,
    conversation_id: int | None,
    now: datetime,
    dedupe_key: str | None = None,
    **payload: Any,
) -> None:
    job = {"kind": effect.value, "conversation_id": conversation_id, "payload": payload, "dedupe_key": dedupe_key,
           "next_attempt_at": now, "created_at": now}
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
