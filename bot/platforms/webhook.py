"""The generic webhook source: any tool that can POST signed JSON feeds the desk and receives replies.

Inbound body::

    {"id": "...", "conversation_id": "...", "kind": "comment|dm|mention|review",
     "author": {"id": "...", "name": "...", "handle": "..."}, "text": "...", "url": "...",
     "created_at": "<ISO-8601>", "rating": 1-5,
     "attachments": [{"type": "image|video|file", "url": "...", "name": "...", "alt": "..."}]}

An edit or deletion of a message sent before names it by ``id`` with ``"event": "edited"`` (and the
new ``text``) or ``"event": "deleted"``; kind, author and text are then optional.

signed with ``X-Socialdesk-Signature: sha256=<hex HMAC-SHA256 of the raw body>``. Replies go to the
source's ``reply_url`` as JSON, signed the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from bot.config import WebhookSource
from bot.inbound import Attachment, Author, InboundMessage
from bot.platforms import DeliveryError, OutgoingReply, SentReply

SIGNATURE_HEADER = "X-Socialdesk-Signature"
MAX_BODY_BYTES = 1024 * 1024
MAX_ATTACHMENTS = 50

ExternalId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


class InvalidPayload(Exception):
    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, header: str | None) -> bool:
    # Compared as bytes: a header with non-ASCII characters is simply wrong, not an error.
    return bool(header) and hmac.compare_digest(sign(secret, body).encode(),
                                                (header or "").strip().encode("utf-8", "replace"))


class _Author(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: ExternalId
    # Display text: longer ones are cut where they are stored (bot/domain/sanitise.py).
    name: Annotated[str, StringConstraints(max_length=10_000)] | None = None
    handle: Annotated[str, StringConstraints(max_length=10_000)] | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _number_ids_are_fine(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class _Attachment(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["image", "video", "file"]
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
    name: Annotated[str, StringConstraints(max_length=1000)] | None = None
    alt: Annotated[str, StringConstraints(max_length=10_000)] | None = None


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: ExternalId
    event: Literal["message", "edited", "deleted"] = "message"
    conversation_id: ExternalId | None = None
    kind: Literal["comment", "dm", "mention", "review"] | None = None
    author: _Author | None = None
    text: Annotated[str, StringConstraints(max_length=100_000)] | None = None
    attachments: Annotated[list[_Attachment], Field(max_length=MAX_ATTACHMENTS)] = []
    url: Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://")] | None = None
    created_at: datetime | None = None
    rating: Annotated[int, Field(ge=1, le=5, strict=True)] | None = None
    priority: Literal["urgent", "high", "normal", "low"] = "normal"

    @field_validator("id", "conversation_id", mode="before")
    @classmethod
    def _number_ids_are_fine(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def parse_inbound(source_id: str, body: bytes, now: datetime) -> InboundMessage:
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidPayload(None, "body is not valid UTF-8") from None
    except RecursionError:
        raise InvalidPayload(None, "body is nested too deeply") from None
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        raise InvalidPayload(None, f"body is not valid JSON ({where})") from None
    if not isinstance(data, dict):
        raise InvalidPayload(None, "body must be a JSON object")
    try:
        parsed = _Body.model_validate(without_lone_surrogates(data))
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        reason = "is required" if error["type"] == "missing" else error["msg"]
        raise InvalidPayload(field, reason) from None
    except RecursionError:
        raise InvalidPayload(None, "body is nested too deeply") from None
    for field in _required_for(parsed.event):
        if getattr(parsed, field) is None:
            raise InvalidPayload(field, "is required" if parsed.event == "message" else
                                 f"is required when event is {parsed.event!r}")
    sent_at = parsed.created_at or now
    if sent_at.tzinfo is None:
        sent_at = sent_at.replace(tzinfo=UTC)
    given = parsed.author
    author = Author(id=given.id, name=given.name or given.handle or given.id, handle=given.handle) if given \
        else Author(id="", name="")
    return InboundMessage(
        source_id=source_id,
        external_id=parsed.id,
        conversation_external_id=parsed.conversation_id or parsed.id,
        kind=parsed.kind or "comment",
        author=author,
        text=parsed.text or "",
        attachments=tuple(Attachment(a.type, a.url, a.name, a.alt) for a in parsed.attachments),
        change=None if parsed.event == "message" else parsed.event,
        url=parsed.url,
        sent_at=sent_at.astimezone(UTC),
        rating=parsed.rating,
        priority=parsed.priority,
    )


def _required_for(event: str) -> tuple[str, ...]:
    return {"message": ("kind", "author", "text"), "edited": ("text",)}.get(event, ())


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(value: Any) -> Any:
    """JSON may escape half of a UTF-16 pair (\\ud800) that no UTF-8 text can hold: it becomes U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {without_lone_surrogates(key): without_lone_surrogates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_lone_surrogates(item) for item in value]
    return value


class WebhookClient:
    """Sends replies to the source's reply_url."""

    def __init__(self, source_id: str, source: WebhookSource, secret: str, http: httpx.Client) -> None:
        self.platform = source.platform
        self.max_reply_length = source.max_reply_length
        self._reply_url = source.reply_url
        self._secret = secret
        self._source_id = source_id
        self._http = http

    @property
    def can_reply(self) -> bool:
        return self._reply_url is not None

    @property
    def no_reply_reason(self) -> str:
        return f"came from a source that cannot send replies (set reply_url for source {self._source_id!r} in app.yaml)"

    def send_reply(self, reply: OutgoingReply) -> SentReply:
        if self._reply_url is None:
            raise DeliveryError("this source has no reply_url", permanent=True)
        body = json.dumps(
            {
                "reply_id": reply.reply_key,
                "conversation_id": reply.conversation_external_id,
                "in_reply_to": reply.in_reply_to,
                "text": reply.text,
                "agent": {"name": reply.agent_name, "slack_id": reply.agent_slack_id} if reply.agent_slack_id else None,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(self._secret, body)}
        try:
            response = self._http.post(self._reply_url, content=body, headers=headers)
        except httpx.TimeoutException:
            raise DeliveryError(f"{self._reply_url} did not answer in time", permanent=False) from None
        except httpx.HTTPError as exc:
            raise DeliveryError(f"cannot reach {self._reply_url}: {exc}", permanent=False) from None
        if response.is_success:
            return SentReply(external_id=_reply_id_from(response))
        raise DeliveryError(
            f"{self._reply_url} answered HTTP {response.status_code}{_short_body(response)}",
            permanent=response.status_code < 500 and response.status_code not in (408, 425, 429),
            retry_after=_retry_after(response),
        )


def _reply_id_from(response: httpx.Response) -> str | None:
    try:
        data = response.json()
    except ValueError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return str(value)[:255] if value is not None else None


def _short_body(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return f": {text[:200]}" if text else ""


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None
