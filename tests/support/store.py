"""What tests read from the running bot's database, and a stall they can cause in it."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import func, select

from storage.models import AuditEntry, Conversation, Message, Reply


def stored_messages(bot: Any) -> int:
    with bot.runtime.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def last_reply(bot: Any) -> Reply:
    with bot.runtime.db.transaction() as session:
        return session.scalars(select(Reply).order_by(Reply.id.desc()).limit(1)).one()


def replies(bot: Any) -> int:
    with bot.runtime.db.reading() as session:
        return session.scalar(select(func.count()).select_from(Reply)) or 0


def counts(bot: Any) -> tuple[int, int, int]:
    """Stored messages, conversations and audit entries."""
    with bot.runtime.db.transaction() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[return-value]
                     for model in (Message, Conversation, AuditEntry))


def hold_the_conversation(bot: Any, seconds: float) -> threading.Event:
    """Another connection locks the conversation's row (on SQLite, the whole database) for a while:
    a database that stalls, as under a long migration or a stuck transaction."""
    locked = threading.Event()

    def hold() -> None:
        with bot.runtime.db.engine.connect() as connection, connection.begin():
            connection.execute(select(Conversation.id).with_for_update()).all()
            locked.set()
            time.sleep(seconds)

    threading.Thread(target=hold, daemon=True).start()
    assert locked.wait(5)
    return locked
