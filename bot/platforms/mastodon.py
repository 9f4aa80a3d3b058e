"""Mastodon (any instance), through its REST API with a user access token.

Polls ``GET /api/v1/notifications?types[]=mention&types[]=update`` (an ``update`` is a status the
account interacted with, edited by its author) with ``min_id`` = the newest notification
already stored, following the ``Link: rel="prev"`` pages (newer items) until none are left, so a
burst larger than one page is read whole. Replies are ``POST /api/v1/statuses`` in the answered
status's visibility (a direct message stays direct), with an ``Idempotency-Key`` so a retried
delivery never posts twice.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import httpx

from bot.config import MastodonSource
from bot.inbound import EDITED, Author, InboundMessage
from bot.platforms import OutgoingReply, PlatformError, PollPage, ReplyLimit, ReplyTarget, SentReply
from bot.platforms.calls import is_transient, json_of, retry_after, send, short_text
from bot.platforms.mastodon_length import short_mention, status_length, with_mention
from bot.platforms.mastodon_media import media_attachments

PAGE_SIZE = 40
NOTIFICATION_TYPES = ("mention", "update")
MAX_PAGES = 25
DISMISS_PAGE_SIZE, DISMISS_PAGES = 80, 10
RESET_HEADERS = ("X-RateLimit-Reset",)


class MastodonClient:
    length_unit = "characters"
    can_reply = True
    no_reply_reason = ""

    def __init__(self, source_id: str, source: MastodonSource, credentials: Mapping[str, str],
                 http: httpx.Client) -> None:
        self.source_id = source_id
        self.platform = source.platform
        self.max_reply_length = source.max_reply_length
        self.poll_interval = source.poll_interval
        self._base = source.instance_url.rstrip("/")
        self._token = credentials["token"]
        self._http = http

    def reply_length(self, text: str, target: ReplyTarget | None = None) -> int:
        return status_length(with_mention(text, _acct(target)))

    def answers_privately(self, target: ReplyTarget) -> bool:
        return target.kind == "mention"

    def reply_limit(self, target: ReplyTarget) -> ReplyLimit:
        acct = _acct(target)
        added = (f"the {short_mention(acct)} mention",) if acct else ()
        return ReplyLimit(self.max_reply_length, self.length_unit, added, ("each link counts as 23",))

    # -- the API -----------------------------------------------------------------------------

    def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token}", **kwargs.pop("headers", {})}
        return send(self._http, method, url if url.startswith("http") else self._base + url, _error, headers=headers,
                    **kwargs)

    def check(self) -> str:
        account = self._call("GET", "/api/v1/accounts/verify_credentials").json()
        return f"signed in as @{account.get('acct')} on {self._base.split('://', 1)[1]}"

    # -- inbound -----------------------------------------------------------------------------

    def poll(self, cursor: Mapping[str, Any]) -> Iterator[PollPage]:
        newest = cursor.get("min_id")
        params: dict[str, Any] = {"types[]": list(NOTIFICATION_TYPES), "limit": PAGE_SIZE}
        if newest is None:
            # First poll: the latest page only, not the account's whole history.
            response = self._call("GET", "/api/v1/notifications", params=params)
            notifications = response.json()
            yield PollPage(self._messages(notifications), _cursor_after(notifications, None))
            return
        url = f"{self._base}/api/v1/notifications"
        request_params: dict[str, Any] | None = {**params, "min_id": newest}
        for _ in range(MAX_PAGES):
            response = self._call("GET", url, params=request_params)
            notifications = response.json()
            if not notifications:
                return
            newest = _cursor_after(notifications, newest)["min_id"]
            yield PollPage(self._messages(notifications), {"min_id": newest})
            next_url = self._same_instance(response.links.get("prev", {}).get("url"))
            if next_url is None:
                return
            url, request_params = next_url, None

    def _same_instance(self, url: str | None) -> str | None:
        """Follow paging links only on this instance: the token must not go anywhere else."""
        return url if url and url.startswith(self._base + "/") else None

    def _messages(self, notifications: list[dict[str, Any]]) -> list[InboundMessage]:
        ordered = sorted(notifications, key=lambda item: _id_order(item["id"]))
        return [message for item in ordered if (message := self._message(item)) is not None]

    def _message(self, notification: dict[str, Any]) -> InboundMessage | None:
        status = notification.get("status")
        kind = notification.get("type")
        if kind not in NOTIFICATION_TYPES or not status:
            return None
        account = status.get("account") or notification.get("account") or {}
        text = plain_text(status.get("content") or "")
        if status.get("spoiler_text"):
            text = f"[CW: {status['spoiler_text']}]\n{text}"
        return InboundMessage(
            source_id=self.source_id,
            external_id=str(status["id"]),
            conversation_external_id=str(status["id"]),
            kind="dm" if status.get("visibility") == "direct" else "mention",
            author=Author(id=str(account.get("id", "")),
                          name=account.get("display_name") or account.get("username") or "?",
                          handle=f"@{account['acct']}" if account.get("acct") else None),
            text=text,
            url=status.get("url") or status.get("uri"),
            sent_at=_instant(status.get("created_at") or notification.get("created_at")),
            in_reply_to=str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None,
            attachments=media_attachments(status),
            change=EDITED if kind == "update" else None,
        )

    # -- outbound ----------------------------------------------------------------------------

    def send_reply(self, reply: OutgoingReply) -> SentReply:
        answered = reply.in_reply_to or reply.conversation_external_id
        original = self._call("GET", f"/api/v1/statuses/{answered}").json()
        text = with_mention(reply.text, (original.get("account") or {}).get("acct"))
        visibility = "direct" if reply.private else original.get("visibility", "public")
        body = {"status": text, "in_reply_to_id": answered, "visibility": visibility}
        response = self._call("POST", "/api/v1/statuses", json=body, headers={"Idempotency-Key": reply.reply_key})
        return SentReply(external_id=str(response.json().get("id")))

    # -- moderation --------------------------------------------------------------------------

    def dismiss(self, status_id: str) -> None:
        """Clear the notification of a mention (the closest Mastodon has to hiding it). Mastodon
        finds notifications by their own id only: the recent mentions are read back to the one
        about this status. None left (dismissed elsewhere already, or long gone): nothing to do."""
        url, params = f"{self._base}/api/v1/notifications", {"types[]": "mention", "limit": DISMISS_PAGE_SIZE}
        for _ in range(DISMISS_PAGES):
            response = self._call("GET", url, params=params)
            for notification in response.json():
                if str((notification.get("status") or {}).get("id")) == status_id:
                    self._call("POST", f"/api/v1/notifications/{notification['id']}/dismiss")
                    return
            older = self._same_instance(response.links.get("next", {}).get("url"))
            if older is None:
                return
            url, params = older, {}


def _acct(target: ReplyTarget | None) -> str | None:
    handle = target.author_handle if target else None
    return handle.lstrip("@") if handle else None


def _error(response: httpx.Response) -> PlatformError:
    data = json_of(response)
    said = data.get("error") if isinstance(data, dict) else None
    said = said or short_text(response) or response.reason_phrase
    status = response.status_code
    if status == 401:
        return PlatformError(f"Mastodon refused the access token (revoked or wrong): {said}", permanent=True)
    if status == 403:
        return PlatformError(f"Mastodon denied access (the token lacks a scope, or the account is suspended): {said}",
                             permanent=True)
    if status == 429:
        return PlatformError(f"Mastodon rate limit: {said}", permanent=False,
                             retry_after=retry_after(response, *RESET_HEADERS))
    return PlatformError(f"Mastodon answered HTTP {status}: {said}", permanent=not is_transient(status),
                         retry_after=retry_after(response) if is_transient(status) else None)


def _id_order(value: str) -> tuple[int, str]:
    """Mastodon ids are numeric strings; compare them as numbers (other servers: by length, then text)."""
    return (len(value), value)


def _cursor_after(notifications: list[dict[str, Any]], current: str | None) -> dict[str, Any]:
    ids = [str(item["id"]) for item in notifications] + ([current] if current else [])
    return {"min_id": max(ids, key=_id_order)} if ids else {}


def _instant(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(content: str) -> str:
    """A status's HTML as plain text: paragraphs and line breaks kept, links spelled out in full."""
    parser = _TextOnly()
    parser.feed(content)
    parser.close()
    text = html.unescape("".join(parser.parts))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
