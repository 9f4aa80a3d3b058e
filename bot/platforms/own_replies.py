"""Finding a reply the bot already published, for platforms that take no idempotency key (Meta,
YouTube): before a reply whose earlier attempt may have reached the platform is sent again, the
replies under the same comment (or the latest messages of the same direct-message conversation)
are read, and one of the page's own with the same text, written no earlier than the reply itself
and not recorded for another reply, is taken as this one."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.platforms import OutgoingReply

log = logging.getLogger(__name__)

CLOCK_SKEW = timedelta(minutes=10)
"""How far the platform's clock and ours may disagree."""
PAGES = 3
"""Pages of replies read (newest first where the platform can order them)."""


@dataclass(frozen=True)
class PublishedReply:
    id: str
    text: str
    ours: bool
    """Written by the page or channel the source speaks as."""
    at: datetime | None


def find_own_reply(reply: OutgoingReply, published: Iterable[PublishedReply]) -> str | None:
    """The platform id of ``reply`` among what is published under its comment or in its conversation,
    or None."""
    wanted = reply.text.strip()
    for candidate in published:
        if not candidate.ours or candidate.id in reply.recorded_ids or candidate.text.strip() != wanted:
            continue
        if reply.created_at is not None and candidate.at is not None and candidate.at < reply.created_at - CLOCK_SKEW:
            continue
        return candidate.id
    return None
