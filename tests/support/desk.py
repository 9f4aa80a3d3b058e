"""A desk over a freshly migrated database, without a running bot, and the messages fed to it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import ManualClock
from bot.domain.desk import Desk
from bot.inbound import Author, InboundMessage
from storage.db import Database
from tests.support.config import make_config


class ReadOnlyPlatform:
    platform = "Webhook"
    max_reply_length = 100
    can_reply = False

    def send_reply(self, reply):  # pragma: no cover - never called here
        raise AssertionError


def make_desk(database_url: str) -> Desk:
    db = Database(database_url)
    db.migrate()
    config = make_config("http://127.0.0.1:9/replies")
    platforms = {source: ReadOnlyPlatform() for source in config.sources}
    return Desk(db, config, ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)), platforms)


def inbound(message_id: str, conversation_id: str | None = None, source: str = "acme-hook") -> InboundMessage:
    return InboundMessage(
        source_id=source,
        external_id=message_id,
        conversation_external_id=conversation_id or message_id,
        kind="comment",
        author=Author("a1", "Kim"),
        text="hello",
        url=None,
        sent_at=datetime(2026, 11, 23, 8, tzinfo=UTC),
    )
