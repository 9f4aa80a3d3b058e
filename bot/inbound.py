"""A customer message as every platform delivers it, once parsed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Author:
    id: str
    name: str
    handle: str | None = None


@dataclass(frozen=True)
class Attachment:
    """An image, video or file that came with a message, as the platform links it."""

    type: str
    """``image``, ``video`` or ``file``."""
    url: str
    name: str | None = None
    alt: str | None = None


EDITED = "edited"
DELETED = "deleted"


@dataclass(frozen=True)
class InboundMessage:
    source_id: str
    external_id: str
    conversation_external_id: str
    kind: str
    author: Author
    text: str
    url: str | None
    sent_at: datetime
    rating: int | None = None
    priority: str = "normal"
    brand_id: str | None = None
    """Set when the source is not in app.yaml (a conversation tracked from Slack)."""
    platform: str | None = None
    """The platform's display name when one source spans several (a Meta source: Facebook, Instagram)."""
    in_reply_to: str | None = None
    """The platform id of the post this one answers: when it is a message or reply the desk knows,
    this message continues that conversation."""
    attachments: tuple[Attachment, ...] = ()
    change: str | None = None
    """``edited`` or ``deleted`` when the platform reports a change to the message ``external_id``
    names, instead of a new message."""
