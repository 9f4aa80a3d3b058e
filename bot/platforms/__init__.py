"""Platform clients: one small interface, one module per platform.

Every client can send a reply (``send_reply``) and names its text limit (``max_reply_length``).
Beyond that, a client may offer:

- ``reply_length(text, target)``: how the platform counts a reply as it will be sent, with whatever the
  client adds (Bluesky counts graphemes; Mastodon adds the author's mention and counts links as 23);
- ``reply_limit(target)``: the limit for this conversation, and what counts towards it;
- ``answers_privately(target)``: whether the teammate may choose a private reply (then
  ``OutgoingReply.private`` asks for it);
- ``reply_refusal(facts)``: why this particular conversation cannot be answered now (Meta's 24-hour
  window for direct messages), or None;
- ``poll(cursor)``: new items since the cursor, page by page (Mastodon, Bluesky, YouTube);
- ``check()``: verify the credentials against the API (``socialdesk sources check``);
- moderation methods such as ``hide``, ``unhide``, ``delete`` where the platform has them.

The helpers below fall back to the plain behaviour for clients without these.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # bot.domain imports this package
    from bot.inbound import InboundMessage


@dataclass(frozen=True)
class OutgoingReply:
    reply_key: str
    conversation_external_id: str
    in_reply_to: str | None
    text: str
    created_at: datetime | None = None
    """When the teammate wrote it: the same on every attempt, so it can key an idempotent send."""
    maybe_sent: bool = False
    """An earlier attempt may have reached the platform (its answer was lost, or what followed failed):
    a platform without idempotency keys looks for the reply before sending it again."""
    recorded_ids: frozenset[str] = frozenset()
    """Platform ids of the conversation's other replies, already recorded: never taken for this one."""
    agent_name: str | None = None
    agent_slack_id: str | None = None
    """The teammate who wrote it (None for the bot's automatic replies)."""
    private: bool = False
    """Answer the customer privately (Meta's private reply to a comment, a Mastodon direct message)."""


@dataclass(frozen=True)
class SentReply:
    external_id: str | None = None


class PlatformError(Exception):
    """A platform API call failed. ``permanent`` ones (bad token, missing permission) are not retried;
    the others are, after ``retry_after`` seconds when the platform said so."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


DeliveryError = PlatformError
"""The platform did not take the reply (the name the delivery worker knows it by)."""


@dataclass(frozen=True)
class ConversationFacts:
    """What a platform may need to know to decide whether a conversation can be answered now."""

    external_id: str
    kind: str
    last_customer_message_at: datetime
    now: datetime


@dataclass(frozen=True)
class ReplyTarget:
    """Whom a reply goes to, as far as counting it goes."""

    kind: str
    author_handle: str | None = None
    external_id: str = ""


@dataclass(frozen=True)
class ReplyLimit:
    """The most a reply to one conversation may count, in the platform's unit."""

    maximum: int
    unit: str = "characters"
    added: tuple[str, ...] = ()
    """What the client adds to the teammate's text and counts (e.g. the customer's mention)."""
    rules: tuple[str, ...] = ()
    """How the platform counts differently from plain characters (e.g. every link as 23)."""


@dataclass(frozen=True)
class PollPage:
    """New items, and the cursor to store once they are stored."""

    messages: list[InboundMessage]
    cursor: dict[str, Any] = field(default_factory=dict)


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


@runtime_checkable
class PollingClient(Protocol):
    poll_interval: timedelta

    def poll(self, cursor: Mapping[str, Any]) -> Iterator[PollPage]:
        """New items since ``cursor``, oldest page first; raises PlatformError."""
        ...


def reply_length(platform: PlatformClient, text: str, target: ReplyTarget | None = None) -> int:
    counter = getattr(platform, "reply_length", None)
    return counter(text, target) if counter is not None else len(text)


def length_unit(platform: PlatformClient) -> str:
    return getattr(platform, "length_unit", "characters")


def reply_limit(platform: PlatformClient, target: ReplyTarget | None = None) -> ReplyLimit:
    decide = getattr(platform, "reply_limit", None)
    if decide is not None and target is not None:
        limit: ReplyLimit = decide(target)
        return limit
    return ReplyLimit(platform.max_reply_length, length_unit(platform))


def answers_privately(platform: PlatformClient, target: ReplyTarget) -> bool:
    """Whether this conversation can be answered privately as well as publicly (Meta's private
    replies to a comment, a Mastodon mention answered as a direct message)."""
    decide = getattr(platform, "answers_privately", None)
    return bool(decide(target)) if decide is not None else False


def private_refusal(platform: PlatformClient, facts: ConversationFacts) -> str | None:
    """Why this conversation cannot be answered privately now (Meta: 7 days after the comment), or None."""
    decide = getattr(platform, "private_refusal", None)
    return decide(facts) if decide is not None else None


def input_limit(platform: PlatformClient, target: ReplyTarget | None = None) -> int:
    """How many characters the Reply box may take: the limit itself when the platform counts plain
    characters; more when it counts otherwise (one emoji can be several characters, a long link
    counts as 23 on Mastodon). What was typed is counted the platform's way when it is sent."""
    limit = reply_limit(platform, target)
    if limit.unit == "characters" and not limit.rules:
        return limit.maximum
    return limit.maximum * 10


def reply_refusal(platform: PlatformClient, facts: ConversationFacts) -> str | None:
    decide = getattr(platform, "reply_refusal", None)
    return decide(facts) if decide is not None else None
