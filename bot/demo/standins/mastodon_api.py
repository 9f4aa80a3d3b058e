"""Stands in for a Mastodon instance's client API: notifications with min_id / since_id / max_id
paging and Link headers, statuses with Idempotency-Key, bearer tokens, Mastodon's error bodies.

A status is measured as Mastodon's StatusLengthValidator measures it: content warning plus text, in
graphemes, every link as 23 characters and every mention as its username only (``@minji`` for
``@minji@mastodon.social``)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import regex

from bot.demo.standins.platform_base import Answer, PlatformStandIn, Recorded

DEFAULT_LIMIT, MAX_LIMIT = 40, 80
URL_PLACEHOLDER = "x" * 23
_URL = regex.compile(r"(?<![\w/])https?://[^\s<>\"]+?(?=[.,:;!?)'\"]*(?:\s|$))")
_MENTION = regex.compile(r"(?<![=/\w])@(\w+(?:[\w.-]*\w)?)(?:@\w+(?:[.-]+\w+)*)?", regex.UNICODE)


def countable_length(text: str, spoiler_text: str = "") -> int:
    """Mastodon's count: links as 23, mentions without their domain, graphemes rather than code points."""
    countable = _MENTION.sub(lambda match: f"@{match.group(1)}", _URL.sub(URL_PLACEHOLDER, text))
    return len(regex.findall(r"\X", spoiler_text + countable))


def account(account_id: str, acct: str, display_name: str) -> dict[str, Any]:
    username = acct.split("@", 1)[0]
    domain = acct.split("@", 1)[1] if "@" in acct else "social.example"
    return {
        "id": account_id, "username": username, "acct": acct, "display_name": display_name, "locked": False,
        "bot": False, "discoverable": True, "group": False, "created_at": "2022-08-27T00:00:00.000Z", "note": "",
        "url": f"https://{domain}/@{username}", "avatar": f"https://files.{domain}/avatars/{account_id}.png",
        "avatar_static": f"https://files.{domain}/avatars/{account_id}.png", "header": "", "header_static": "",
        "followers_count": 0, "following_count": 0, "statuses_count": 1, "last_status_at": "2026-11-23",
        "emojis": [], "fields": [],
    }


class MastodonStandIn(PlatformStandIn):
    def __init__(self, token: str, acct: str = "acme", status_limit: int = 500) -> None:
        self.token = token
        self.status_limit = status_limit
        self.me = account("1", acct, "Acme")
        self.statuses: dict[str, dict[str, Any]] = {}
        self.notifications: dict[str, dict[str, Any]] = {}
        self._idempotency: dict[str, str] = {}
        self._ids = itertools.count(110_000_000_000_000_000)
        super().__init__()
        self.host = self.url.split("://", 1)[1]

    # -- test controls ---------------------------------------------------------------------

    def mention(self, text: str, acct: str = "minji@mastodon.social", name: str = "Kim Minji",
                visibility: str = "public", in_reply_to_id: str | None = None,
                media: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """A customer mentions the brand: a status and its mention notification. ``media`` items are
        MediaAttachment entities (``type``, ``url``, ``description``...)."""
        with self._lock:
            author = account(str(abs(hash(acct)) % 10**17), acct, name)
            status = self._status(author, self._mentioning(text), visibility, in_reply_to_id)
            status["media_attachments"] = [{"id": str(next(self._ids)), "preview_url": item.get("url"),
                                            "remote_url": None, "meta": {}, "blurhash": None,
                                            "description": None, **item} for item in media or []]
            notification_id = str(next(self._ids))
            self.notifications[notification_id] = {
                "id": notification_id, "type": "mention", "created_at": status["created_at"],
                "account": author, "status": status,
            }
            return self.notifications[notification_id]

    def edit(self, status_id: str, text: str) -> dict[str, Any]:
        """The author edits a status: new content and ``edited_at``, and an ``update`` notification."""
        with self._lock:
            status = self.statuses[status_id]
            status["content"] = self._mentioning(text)
            status["edited_at"] = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            notification_id = str(next(self._ids))
            self.notifications[notification_id] = {
                "id": notification_id, "type": "update", "created_at": status["edited_at"],
                "account": status["account"], "status": status,
            }
            return self.notifications[notification_id]

    def _mentioning(self, text: str) -> str:
        return (f'<p><span class="h-card"><a href="{self.me["url"]}" class="u-url mention">'
                f'@<span>{self.me["username"]}</span></a></span> {text}</p>')

    def revoke(self) -> None:
        self.token = "revoked"

    # -- the API ---------------------------------------------------------------------------

    def route(self, request: Recorded) -> Answer:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"error": "The access token is invalid"}, {}
        match request.method, request.path.rstrip("/").split("/")[1:]:
            case "GET", ["api", "v1", "accounts", "verify_credentials"]:
                return 200, self.me, {}
            case "GET", ["api", "v1", "notifications"]:
                return self._notifications(request)
            case "GET", ["api", "v1", "statuses", status_id]:
                status = self.statuses.get(status_id)
                return (200, status, {}) if status else (404, {"error": "Record not found"}, {})
            case "POST", ["api", "v1", "statuses"]:
                return self._post_status(request)
            case "POST", ["api", "v1", "notifications", notification_id, "dismiss"]:
                if self.notifications.pop(notification_id, None) is None:
                    return 404, {"error": "Record not found"}, {}
                return 200, {}, {}
        return 404, {"error": "Record not found"}, {}

    def _notifications(self, request: Recorded) -> Answer:
        types = request.query.get("types[]")
        limit = min(int(request.param("limit") or DEFAULT_LIMIT), MAX_LIMIT)
        items = sorted((n for n in self.notifications.values() if not types or n["type"] in types),
                       key=lambda n: int(n["id"]), reverse=True)
        if max_id := request.param("max_id"):
            items = [n for n in items if int(n["id"]) < int(max_id)]
        if since_id := request.param("since_id"):
            items = [n for n in items if int(n["id"]) > int(since_id)]
        if min_id := request.param("min_id"):
            # The page right after min_id: the oldest items newer than it, shown newest first.
            items = [n for n in items if int(n["id"]) > int(min_id)][-limit:]
        page = items[:limit]
        return 200, page, self._links(page, types, limit)

    def _links(self, page: list[dict[str, Any]], types: list[str] | None, limit: int) -> dict[str, str]:
        if not page:
            return {}
        base = {"limit": limit, **({"types[]": types} if types else {})}
        older = f"{self.url}/api/v1/notifications?{urlencode({**base, 'max_id': page[-1]['id']}, doseq=True)}"
        newer = f"{self.url}/api/v1/notifications?{urlencode({**base, 'min_id': page[0]['id']}, doseq=True)}"
        return {"Link": f'<{older}>; rel="next", <{newer}>; rel="prev"'}

    def _post_status(self, request: Recorded) -> Answer:
        key = request.headers.get("idempotency-key")
        if key and key in self._idempotency:
            return 200, self.statuses[self._idempotency[key]], {}
        body = request.body
        text = str(body.get("status") or "")
        if not text:
            return 422, {"error": "Validation failed: Text can't be blank"}, {}
        if countable_length(text, str(body.get("spoiler_text") or "")) > self.status_limit:
            return 422, {"error": f"Validation failed: Text character limit of {self.status_limit} exceeded"}, {}
        status = self._status(self.me, f"<p>{text}</p>", body.get("visibility") or "public", body.get("in_reply_to_id"))
        if key:
            self._idempotency[key] = status["id"]
        return 200, status, {}

    def _status(self, author: dict[str, Any], content: str, visibility: str,
                in_reply_to_id: str | None) -> dict[str, Any]:
        status_id = str(next(self._ids))
        parent = self.statuses.get(in_reply_to_id or "")
        status: dict[str, Any] = {
            "id": status_id, "created_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "in_reply_to_id": in_reply_to_id, "in_reply_to_account_id": parent["account"]["id"] if parent else None,
            "sensitive": False, "spoiler_text": "", "visibility": visibility, "language": "en",
            "uri": f"https://{self.host}/users/{author['username']}/statuses/{status_id}",
            "url": f"https://{self.host}/@{author['username']}/{status_id}",
            "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": None,
            "content": content, "reblog": None, "account": author, "media_attachments": [], "mentions": [],
            "tags": [], "emojis": [], "card": None, "poll": None,
        }
        self.statuses[status_id] = status
        return status
