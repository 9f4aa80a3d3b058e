"""Plain data that the query modules return and the Slack surfaces read: no session, no SQL.

A leaf module, so that a surface can name what it is given without importing the query that
produced it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class EarlierConversation:
    ref: str
    status: str
    created_at: datetime
    permalink: str | None
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    count: int
    """Every earlier conversation of the author with the brand."""
    latest: tuple[EarlierConversation, ...]
    """The newest of them, newest first, at most storage.customer_history.SHOWN."""


class ConversationHead(NamedTuple):
    """What a form opened from a conversation's buttons (Assign, Escalate, Snooze) needs of it: who may
    open it (its brand), its reference, and whom it is assigned to."""

    id: int
    ref: str
    brand_id: str
    assignee_slack_id: str | None


class Found(NamedTuple):
    """A conversation a search found, with what its line shows."""

    id: int
    ref: str
    brand_id: str
    status: str
    author_name: str
    slack_permalink: str | None
    last_customer_message_at: datetime
