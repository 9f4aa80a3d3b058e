"""Queries the rest of the code needs, in one place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    Connection, Result, Select, bindparam, case, delete, func, insert, literal, or_, select, text, tuple_, update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from storage.models import Activity, AuditEntry, BrandCounter, Conversation, ConversationTag, Message, Reply
from storage.models import JobStatus, OutboxJob, is_pending
from storage.query_results import ConversationHead


def reserve_numbers(session: Session, counts: Mapping[str, int]) -> dict[str, int]:
    """The first of each brand's ``count`` consecutive new conversation numbers, in one statement. The
    counter rows are locked in brand order, so that two callers wait for each other instead of
    deadlocking; the lock serialises them."""
    brands = sorted(counts)
    locked = (select(BrandCounter.brand_id).where(BrandCounter.brand_id.in_(brands))
              .order_by(BrandCounter.brand_id).with_for_update())
    bumped = session.execute(
        update(BrandCounter)
        .where(BrandCounter.brand_id.in_(locked))
        .values(last_number=BrandCounter.last_number + case(counts, value=BrandCounter.brand_id))
        .returning(BrandCounter.brand_id, BrandCounter.last_number)
    ).all()
    firsts = {brand_id: last - counts[brand_id] + 1 for brand_id, last in bumped}
    new = [brand_id for brand_id in brands if brand_id not in firsts]
    if new:
        session.execute(insert(BrandCounter), [{"brand_id": brand_id, "last_number": counts[brand_id]}
                                               for brand_id in new])
        firsts.update(dict.fromkeys(new, 1))
    return firsts


def new_ids(session: Session, wanted: Mapping[type[Conversation] | type[Message], int]
            ) -> dict[type[Conversation] | type[Message], list[int]]:
    """On PostgreSQL, ids for the new rows of each table, taken from its sequence before they are
    flushed, all in one round trip, for the tables with enough new rows: rows whose ids are known are
    inserted with one statement prepared once for every row, where rows the database numbers need a
    multi-row INSERT … RETURNING, whose text differs with the row count. psycopg parses such a statement
    once and keeps it only up to ``_DRIVER_KEEPS_PARAMETERS`` parameters; above, it parses it again each
    time (half a millisecond for 20 messages), which costs more than the round trip. Elsewhere, and
    for tables with fewer new rows, none: the database numbers them."""
    if session.get_bind().dialect.name != "postgresql":
        return {}
    counts = {model: count for model, count in wanted.items()
              if count * len(model.__table__.columns) > _DRIVER_KEEPS_PARAMETERS}
    if not counts:
        return {}
    by_name = {model.__tablename__: model for model in counts}
    ids: dict[type[Conversation] | type[Message], list[int]] = {model: [] for model in counts}
    for name, new_id in session.execute(_NEXT_IDS, {"tables": list(by_name), "counts": list(counts.values())}):
        ids[by_name[name]].append(new_id)
    return {model: sorted(taken) for model, taken in ids.items()}


_DRIVER_KEEPS_PARAMETERS = 50
"""psycopg's MAX_CACHED_STATEMENT_PARAMS."""
_NEXT_IDS = text(
    "SELECT wanted.name, nextval(pg_get_serial_sequence(wanted.name, 'id')) "
    "FROM unnest(CAST(:tables AS text[]), CAST(:counts AS integer[])) AS wanted(name, count), "
    "generate_series(1, wanted.count)"
)


class _PairLookup:
    """A query for the rows whose (source id, external id) is one of many pairs, found through the
    unique index on the pair, built once. PostgreSQL probes the index once per pair for a
    row-value IN; SQLite scans the table for one, but probes the index for an IN on each column,
    which can also match the source of one pair with the id of another: such rows are dropped."""

    def __init__(self, query: Select[*tuple[Any, ...]], source_column: InstrumentedAttribute[str],
                 external_column: InstrumentedAttribute[str]) -> None:
        self.by_pair = query.where(tuple_(source_column, external_column).in_(bindparam("pairs", expanding=True)))
        self.by_column = query.where(source_column.in_(bindparam("sources", expanding=True)),
                                     external_column.in_(bindparam("external_ids", expanding=True)))

    def rows(self, session: Session, keys: Sequence[tuple[str, str]]) -> Result[*tuple[Any, ...]]:
        pairs = sorted(set(keys))
        if session.get_bind().dialect.name == "sqlite":
            return session.execute(self.by_column, {"sources": sorted({source for source, _external in pairs}),
                                                    "external_ids": sorted({external for _source, external in pairs})})
        return session.execute(self.by_pair, {"pairs": pairs})


_STORED_MESSAGES = _PairLookup(
    select(Message.source_id, Message.external_id, Conversation.id, Conversation.ref)
    .join(Conversation, Message.conversation_id == Conversation.id),
    Message.source_id, Message.external_id,
)
_CONVERSATIONS_LOCKED = _PairLookup(
    select(Conversation).order_by(Conversation.id).with_for_update(), Conversation.source_id, Conversation.external_id,
)


def conversations_of_messages(session: Session, keys: Sequence[tuple[str, str]]
                              ) -> dict[tuple[str, str], tuple[int, str]]:
    """(id, ref) of the conversation of each message already stored, by (source id, external id)."""
    wanted = set(keys)
    return {(source_id, external_id): (conversation_id, ref)
            for source_id, external_id, conversation_id, ref in _STORED_MESSAGES.rows(session, keys)
            if (source_id, external_id) in wanted}


def conversations_by_external_ids(session: Session, keys: Sequence[tuple[str, str]]
                                  ) -> dict[tuple[str, str], Conversation]:
    """The conversations, by (source id, external id), row-locked (on PostgreSQL) so that messages
    and replies of one conversation are applied one after the other; locked in id order, so that
    two batches wait for each other instead of deadlocking."""
    wanted = set(keys)
    found = _CONVERSATIONS_LOCKED.rows(session, keys).scalars()
    return {(conversation.source_id, conversation.external_id): conversation for conversation in found
            if (conversation.source_id, conversation.external_id) in wanted}


def conversation_by_ref(session: Session, ref: str) -> Conversation | None:
    return session.scalars(select(Conversation).where(Conversation.ref == ref.upper())).one_or_none()


def last_customer_message(session: Session, conversation_id: int) -> Message | None:
    return session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id.desc()).limit(1)
    ).first()


def first_message_after(session: Session, conversation_id: int, external_id: str | None) -> Message | None:
    """The first customer message of the conversation that came after the one with ``external_id``."""
    query = select(Message).where(Message.conversation_id == conversation_id)
    if external_id is not None:
        answered = select(Message.id).where(
            Message.conversation_id == conversation_id, Message.external_id == external_id
        ).scalar_subquery()
        query = query.where(Message.id > answered)
    return session.scalars(query.order_by(Message.id).limit(1)).first()


def has_sent_reply(session: Session, conversation_id: int) -> bool:
    count = session.scalar(
        select(func.count()).select_from(Reply).where(
            Reply.conversation_id == conversation_id, Reply.status == "sent", Reply.automatic.is_(False)
        )
    )
    return bool(count)


def reply_by_request_key(session: Session, request_key: str) -> Reply | None:
    return session.scalars(select(Reply).where(Reply.request_key == request_key)).one_or_none()


def tags_of(session: Session, conversation_id: int) -> list[str]:
    return list(session.scalars(
        select(ConversationTag.tag)
        .where(ConversationTag.conversation_id == conversation_id).order_by(ConversationTag.id)
    ))


def remove_tags(session: Session, conversation_id: int, tags: Sequence[str]) -> list[str]:
    present = [tag for tag in tags_of(session, conversation_id) if tag in set(tags)]
    if present:
        session.execute(delete(ConversationTag).where(ConversationTag.conversation_id == conversation_id,
                                                      ConversationTag.tag.in_(present)))
    return present


def quiet_reasons_on(session: Session, brand_id: str, day: str, zone: tzinfo) -> dict[str, int]:
    """How many conversations were filtered on the brand's local day, by reason."""
    start = datetime.combine(date.fromisoformat(day), time(), zone)
    end = start + timedelta(days=1)
    rows = session.execute(
        select(Conversation.quiet_reason, func.count()).where(
            Conversation.brand_id == brand_id, Conversation.status == "quiet",
            Conversation.created_at >= start, Conversation.created_at < end,
        ).group_by(Conversation.quiet_reason)
    )
    return {reason or "filtered": count for reason, count in rows}


def quiet_conversations(session: Session, brand_id: str, since: datetime, limit: int = 50) -> list[Conversation]:
    return list(session.scalars(
        select(Conversation).where(Conversation.brand_id == brand_id, Conversation.status == "quiet",
                                   Conversation.created_at >= since)
        .order_by(Conversation.id.desc()).limit(limit)
    ))


def latest_reply(session: Session, conversation_id: int) -> Reply | None:
    """The newest reply that was sent or is on its way (failed ones never reached the customer)."""
    return session.scalars(
        select(Reply).where(Reply.conversation_id == conversation_id, Reply.status.not_in(("failed", "rejected")),
                            Reply.automatic.is_(False))
        .order_by(Reply.id.desc()).limit(1)
    ).first()


def automatic_reply_since(session: Session, source_id: str, author_external_id: str, since: datetime) -> bool:
    """Whether the author got an automatic reply from this source since then."""
    found = session.scalar(
        select(Reply.id).join(Conversation, Reply.conversation_id == Conversation.id).where(
            Reply.automatic.is_(True), Reply.created_at >= since, Conversation.source_id == source_id,
            Conversation.author_external_id == author_external_id,
        ).limit(1)
    )
    return found is not None


def latest_draft(session: Session, conversation_id: int) -> Reply | None:
    return session.scalars(
        select(Reply).where(Reply.conversation_id == conversation_id, Reply.status == "draft")
        .order_by(Reply.id.desc()).limit(1)
    ).first()


def drafts(session: Session, brand_ids: list[str], limit: int = 30) -> list[tuple[Conversation, Reply]]:
    """Draft replies waiting for approval, oldest first."""
    rows = session.execute(
        select(Conversation, Reply).join(Reply, Reply.conversation_id == Conversation.id)
        .where(Reply.status == "draft", Conversation.brand_id.in_(brand_ids)).order_by(Reply.id).limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def audit_entries(session: Session, *, conversation_id: int | None = None, actor: str | None = None,
                  limit: int = 200) -> list[AuditEntry]:
    """The newest entries, oldest first."""
    query = select(AuditEntry)
    if conversation_id is not None:
        query = query.where(AuditEntry.conversation_id == conversation_id)
    if actor is not None:
        query = query.where(AuditEntry.actor_slack_id == actor)
    newest = list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))
    return newest[::-1]


def activities(session: Session, conversation_id: int) -> list[Activity]:
    return list(session.scalars(
        select(Activity).where(Activity.conversation_id == conversation_id).order_by(Activity.id)
    ))


class QueueEntry(NamedTuple):
    """What a queue line shows of an open conversation (not the whole row)."""

    ref: str
    brand_id: str
    kind: str
    platform: str
    author_name: str
    response_due_at: datetime | None
    assignee_slack_id: str | None
    slack_permalink: str | None


def open_conversations(
    connection: Session | Connection,
    *,
    brand_ids: list[str] | None = None,
    assignee: str | None = None,
    unassigned: bool = False,
    due_before: datetime | None = None,
    status: str | None = None,
    limit: int = 20,
    awake_at: datetime | None = None,
) -> list[QueueEntry]:
    """Conversations not resolved, the nearest deadline first: what their queue lines show. With
    ``awake_at``, those snoozed past that instant are left out."""
    query = _open_conversations_query(None if brand_ids is None else tuple(brand_ids), assignee is not None,
                                      unassigned, due_before is not None, None if status is None else str(status),
                                      awake_at is not None)
    values = {"assignee": assignee, "due_before": due_before, "awake_at": awake_at, "limit": limit}
    return [QueueEntry(*row) for row in connection.execute(query, values)]


@lru_cache(maxsize=256)
def _open_conversations_query(brand_ids: tuple[str, ...] | None, by_assignee: bool, unassigned: bool, due: bool,
                              status: str | None, awake: bool) -> Select[*tuple[Any, ...]]:
    """The queue's SELECT for one combination of filters and brands, built once: a queue is asked for on
    every `/social queue` and App Home, and building the statement cost more than running it. Plain
    table columns, so that no ORM work comes with the rows."""
    columns = Conversation.__table__.c
    query = select(*(columns[name] for name in QueueEntry._fields)).where(
        columns.status.not_in(("resolved", "quiet"))
    )
    if awake:
        query = query.where(or_(columns.snoozed_until.is_(None), columns.snoozed_until <= bindparam("awake_at")))
    if brand_ids is not None:
        # One bound value each, not an expanding IN, whose SQL would be rendered again on every call.
        query = query.where(columns.brand_id.in_([literal(brand_id) for brand_id in brand_ids]))
    if by_assignee:
        query = query.where(columns.assignee_slack_id == bindparam("assignee"))
    if unassigned:
        query = query.where(columns.assignee_slack_id.is_(None))
    if due:
        query = query.where(columns.response_due_at < bindparam("due_before"))
    if status is not None:
        query = query.where(columns.status == status)
    return query.order_by(
        columns.response_due_at.is_(None), columns.response_due_at, columns.created_at
    ).limit(bindparam("limit"))


_HEAD = select(*(Conversation.__table__.c[name] for name in ConversationHead._fields)).where(
    Conversation.__table__.c.id == bindparam("id")
)
"""Built once, plain columns: read on every click of Assign, before its modal opens."""


def conversation_head(connection: Connection, conversation_id: int) -> ConversationHead | None:
    row = connection.execute(_HEAD, {"id": conversation_id}).first()
    return None if row is None else ConversationHead(*row)


def recent_reply_with_text(session: Session, conversation_id: int, text: str, since: datetime) -> Reply | None:
    """The newest reply of the conversation with exactly this text, written since ``since``, that was
    not refused (failed or rejected ones do not count)."""
    return session.scalars(
        select(Reply).where(
            Reply.conversation_id == conversation_id, Reply.text == text, Reply.created_at >= since,
            Reply.status.not_in(("failed", "rejected")),
        ).order_by(Reply.id.desc()).limit(1)
    ).first()


def first_responses_since(session: Session, since: datetime, now: datetime, brand_ids: list[str] | None = None
                          ) -> tuple[int, list[float], int, int]:
    """For conversations opened since ``since`` (of these brands, or all): how many, their
    first-response times in seconds, and how many of those whose first deadline has come met it (met, due)."""
    opened = Conversation.created_at >= since
    if brand_ids is not None:
        opened = opened & Conversation.brand_id.in_(brand_ids)
    count = session.scalar(select(func.count()).select_from(Conversation).where(opened)) or 0
    answered = session.execute(
        select(Conversation.created_at, Conversation.first_response_at).where(
            opened, Conversation.first_response_at.is_not(None)
        )
    ).all()
    durations = [max(0.0, (row.first_response_at - row.created_at).total_seconds()) for row in answered]
    has_deadline = Conversation.first_response_due_at.is_not(None)
    due = session.scalar(
        select(func.count()).select_from(Conversation).where(
            opened, has_deadline,
            (Conversation.first_response_at.is_not(None)) | (Conversation.first_response_due_at <= now),
        )
    ) or 0
    met = session.scalar(
        select(func.count()).select_from(Conversation).where(
            opened, has_deadline, Conversation.first_response_at <= Conversation.first_response_due_at
        )
    ) or 0
    return count, durations, met, due


def messages_since(session: Session, since: datetime, brand_ids: list[str] | None = None) -> int:
    query = select(func.count()).select_from(Message).where(Message.received_at >= since)
    if brand_ids is not None:
        query = query.where(Message.brand_id.in_(brand_ids))
    return session.scalar(query) or 0


def conversation_answered_by(session: Session, source_id: str, external_id: str) -> Conversation | None:
    """The conversation of this source holding the message or sent reply with this platform id
    (a customer answering it continues that conversation), row-locked like conversations_by_external_ids."""
    via_message = select(Message.conversation_id).where(
        Message.source_id == source_id, Message.external_id == external_id
    )
    via_reply = select(Reply.conversation_id).join(Conversation, Conversation.id == Reply.conversation_id).where(
        Conversation.source_id == source_id, Reply.external_id == external_id
    )
    return session.scalars(
        select(Conversation).where(Conversation.id.in_(via_message.union(via_reply))).limit(1).with_for_update()
    ).first()


def pending_job_errors(session: Session, prefix: str) -> list[tuple[str, int]]:
    """(last error, how many) of the pending outbox jobs whose last error starts with ``prefix``."""
    rows = session.execute(
        select(OutboxJob.last_error, func.count())
        .where(is_pending(), OutboxJob.last_error.startswith(prefix, autoescape=True))
        .group_by(OutboxJob.last_error)
    )
    return [(str(error), int(count)) for error, count in rows]


def refused_effects(session: Session, limit: int = 20) -> list[tuple[str, str | None, str | None, str]]:
    """Effects Slack refused even shortened, newest first: (kind, conversation ref, brand, error)."""
    rows = session.execute(
        select(OutboxJob.kind, Conversation.ref, Conversation.brand_id, OutboxJob.payload, OutboxJob.last_error)
        .outerjoin(Conversation, OutboxJob.conversation_id == Conversation.id)
        .where(OutboxJob.status == JobStatus.ATTENTION, OutboxJob.kind != "post_unshown_notice")
        .order_by(OutboxJob.id.desc()).limit(limit)
    )
    return [(row.kind, row.ref, row.brand_id or (row.payload or {}).get("brand"), row.last_error or "")
            for row in rows]
