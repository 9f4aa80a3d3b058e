"""Platform clients: one small interface, one module per platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingReply:
    reply_key: str
    conversation_external_id: str
    in_reply_to: str | None
    text: str


@dataclass(frozen=True)
class SentReply:
    external_id: str | None = None


class DeliveryError(Exception):
    """The platform did not take the reply. ``permanent`` ones are not retried."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class PlatformClient(Protocol):
    platform: str
    """Display name, e.g. Facebook."""

    max_reply_length: int

    @property
    def can_reply(self) -> bool: ...

    @property
    def no_reply_reason(self) -> str:
        """Why replies cannot be sent (when ``can_reply`` is false), with what to do about it."""
        ...

    def send_reply(self, reply: OutgoingReply) -> SentReply: ...
