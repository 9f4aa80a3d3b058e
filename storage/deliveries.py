"""What the delivery worker's effects read, and where it records what landed in Slack."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Activity, Conversation, CrisisEpisode, Message, QuietLine, Reply

Placed = type[Conversation] | type[Message] | type[Activity] | type[CrisisEpisode]


def record_place(session: Session, model: Placed, row_id: int, **values: Any) -> None:
    """Where a message landed (its ts, channel, permalink). A plain UPDATE: it must not bump the
    conversation's version, which guards teammates' concurrent edits."""
    session.execute(update(model).where(model.id == row_id).values(**values))


def first_message(session: Session, conversation_id: int) -> Message:
    return session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id).limit(1)
    ).one()


def other_reply_ids(session: Session, conversation_id: int, reply_id: int) -> frozenset[str]:
    """The platform ids of the conversation's replies delivered before, besides this one."""
    return frozenset(session.scalars(select(Reply.external_id).where(
        Reply.conversation_id == conversation_id, Reply.id != reply_id, Reply.external_id.is_not(None))))


def quiet_line(session: Session, brand_id: str, day: str) -> QuietLine:
    """The brand's quiet line of the day, added when there is none yet."""
    line = session.get(QuietLine, (brand_id, day))
    if line is None:
        line = QuietLine(brand_id=brand_id, day=day)
        session.add(line)
    return line


def record_quiet_line(session: Session, brand_id: str, day: str, channel: str, ts: str) -> None:
    session.execute(update(QuietLine).where(QuietLine.brand_id == brand_id, QuietLine.day == day)
                    .values(slack_ts=ts, slack_channel=channel))


def crisis_samples(session: Session, episode: CrisisEpisode) -> list[tuple[Message, Conversation]]:
    """The sample messages an episode's alert quotes, with their conversations (deleted ones left out)."""
    return [(message, session.get_one(Conversation, message.conversation_id))
            for message_id in episode.numbers.get("samples", [])
            if (message := session.get(Message, message_id)) is not None]
