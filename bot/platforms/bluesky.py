"""Bluesky (AT Protocol), through XRPC over HTTPS with a handle and an app password.

The session from ``com.atproto.server.createSession`` is kept and renewed with
``com.atproto.server.refreshSession`` when the access token expires (``ExpiredToken``): the PDS
allows only a few new sessions per account a day. ``app.bsky.notification.listNotifications``
(reasons mention and reply) pages toward *older* items, so a poll reads back to the newest
``indexedAt`` already stored and leaves out the uris seen at that instant. Replies are
``com.atproto.repo.createRecord`` posts whose ``reply`` names the thread's root and the post
answered, each as ``{uri, cid}``. Texts are limited to 300 graphemes, not characters.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
import regex

from bot.config import BlueskySource
from bot.inbound import DELETED, Author, InboundMessage
from bot.platforms import OutgoingReply, PlatformError, PollPage, ReplyTarget, SentReply
from bot.platforms.bluesky_media import GET_POSTS_LIMIT, embed_attachments, watched_after
from bot.platforms.calls import is_transient, json_of, retry_after, send, short_text

MAX_GRAPHEMES = 300
PAGE_SIZE = 50
MAX_PAGES = 20
REASONS = {"mention": "mention", "reply": "comment"}
_GRAPHEME = regex.compile(r"\X")


def graphemes(text: str) -> int:
    """What a reader counts as characters: 👍🏽 or é written as e + accent are one each."""
    return len(_GRAPHEME.findall(text))


class _ExpiredToken(Exception):
    pass


class BlueskyClient:
    length_unit = "graphemes"
    max_reply_length = MAX_GRAPHEMES
    can_reply = True
    no_reply_reason = ""

    def __init__(self, source_id: str, source: BlueskySource, credentials: Mapping[str, str],
                 http: httpx.Client) -> None:
        self.source_id = source_id
        self.platform = source.platform
        self.poll_interval = source.poll_interval
        self._service = source.service_url.rstrip("/")
        self._handle = source.handle
        self._password = credentials["app_password"]
        self._http = http
        self._session: dict[str, str] | None = None
        self._session_lock = threading.Lock()

    def reply_length(self, text: str, target: ReplyTarget | None = None) -> int:
        return graphemes(text)

    # -- the session ---------------------------------------------------------------------------

    def _access(self) -> dict[str, str]:
        with self._session_lock:
            if self._session is None:
                self._session = self._create_session()
            return self._session

    def _create_session(self) -> dict[str, str]:
        answer = self._raw("POST", "com.atproto.server.createSession",
                           json={"identifier": self._handle, "password": self._password})
        return {key: answer[key] for key in ("accessJwt", "refreshJwt", "did", "handle")}

    def _renew(self, expired: dict[str, str]) -> None:
        with self._session_lock:
            if self._session is not expired:
                return  # another thread renewed it already
            try:
                answer = self._raw("POST", "com.atproto.server.refreshSession", token=expired["refreshJwt"])
                self._session = {**expired, **{key: answer[key] for key in ("accessJwt", "refreshJwt")}}
            except _ExpiredToken:
                self._session = self._create_session()  # the refresh token ran out too

    def _xrpc(self, method: str, nsid: str, **kwargs: Any) -> dict[str, Any]:
        session = self._access()
        try:
            return self._raw(method, nsid, token=session["accessJwt"], **kwargs)
        except _ExpiredToken:
            self._renew(session)
            return self._raw(method, nsid, token=self._access()["accessJwt"], **kwargs)

    def _raw(self, method: str, nsid: str, token: str | None = None, **kwargs: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = send(self._http, method, f"{self._service}/xrpc/{nsid}", _error, headers=headers, **kwargs)
        data = json_of(response)
        return data if isinstance(data, dict) else {}

    def check(self) -> str:
        session = self._access()
        return f"signed in as {session['handle']} ({session['did']})"

    # -- inbound -------------------------------------------------------------------------------

    def poll(self, cursor: Mapping[str, Any]) -> Iterator[PollPage]:
        watermark: str | None = cursor.get("indexed_at")
        seen_at_watermark = set(cursor.get("uris") or [])
        me = self._access()["did"]
        found: list[dict[str, Any]] = []
        page_cursor: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, Any] = {"limit": PAGE_SIZE, "reasons": list(REASONS)}
            if page_cursor:
                params["cursor"] = page_cursor
            answer = self._xrpc("GET", "app.bsky.notification.listNotifications", params=params)
            items = answer.get("notifications") or []
            found += items
            page_cursor = answer.get("cursor")
            reached_stored = watermark is not None and any(item["indexedAt"] < watermark for item in items)
            if watermark is None or reached_stored or not page_cursor or not items:
                break
        new = [item for item in found
               if item.get("reason") in REASONS and (item.get("author") or {}).get("did") != me
               and (watermark is None or item["indexedAt"] > watermark
                    or (item["indexedAt"] == watermark and item["uri"] not in seen_at_watermark))]
        new.sort(key=lambda item: item["indexedAt"])
        watched = [uri for uri in cursor.get("watched") or [] if isinstance(uri, str)]
        deleted = self._deleted(watched)
        next_cursor = _cursor_after(found, watermark, seen_at_watermark)
        next_cursor["watched"] = watched_after(watched, [item["uri"] for item in new], set(deleted))
        yield PollPage([self._message(item) for item in new] + [self._deletion(uri) for uri in deleted], next_cursor)

    def _deleted(self, watched: list[str]) -> list[str]:
        """The watched posts their authors deleted since the last poll."""
        if not watched:
            return []
        answer = self._xrpc("GET", "app.bsky.feed.getPosts", params={"uris": watched[:GET_POSTS_LIMIT]})
        present = {post.get("uri") for post in answer.get("posts") or [] if isinstance(post, dict)}
        return [uri for uri in watched[:GET_POSTS_LIMIT] if uri not in present]

    def _deletion(self, uri: str) -> InboundMessage:
        return InboundMessage(source_id=self.source_id, external_id=uri, conversation_external_id=uri,
                              kind="mention", author=Author(id="", name=""), text="", url=None,
                              sent_at=datetime.now(UTC), change=DELETED)

    def _message(self, notification: dict[str, Any]) -> InboundMessage:
        record = notification.get("record") or {}
        author = notification.get("author") or {}
        parent = ((record.get("reply") or {}).get("parent") or {}).get("uri")
        handle = author.get("handle")
        return InboundMessage(
            source_id=self.source_id,
            external_id=notification["uri"],
            conversation_external_id=notification["uri"],
            kind=REASONS[notification["reason"]],
            author=Author(id=author.get("did", ""), name=author.get("displayName") or handle or author.get("did", "?"),
                          handle=f"@{handle}" if handle else None),
            text=str(record.get("text") or ""),
            url=_web_url(notification["uri"], handle),
            sent_at=_instant(record.get("createdAt") or notification.get("indexedAt")),
            in_reply_to=parent,
            attachments=embed_attachments(author.get("did", ""), record.get("embed")),
        )

    # -- outbound ------------------------------------------------------------------------------

    def send_reply(self, reply: OutgoingReply) -> SentReply:
        if graphemes(reply.text) > MAX_GRAPHEMES:
            raise PlatformError(f"Bluesky posts are limited to {MAX_GRAPHEMES} graphemes", permanent=True)
        me = self._access()["did"]
        rkey = record_key(reply)
        # Bluesky has no idempotency key, but a record key of our choosing is one: a retry finds
        # the post the earlier attempt made instead of posting it again.
        already = self._existing_post(me, rkey)
        if already is not None:
            return SentReply(external_id=already)
        answered = reply.in_reply_to or reply.conversation_external_id
        posts = self._xrpc("GET", "app.bsky.feed.getPosts", params={"uris": [answered]}).get("posts") or []
        if not posts:
            raise PlatformError("the post to answer no longer exists on Bluesky (deleted?)", permanent=True)
        parent = {"uri": posts[0]["uri"], "cid": posts[0]["cid"]}
        root = ((posts[0].get("record") or {}).get("reply") or {}).get("root") or parent
        record = {
            "$type": "app.bsky.feed.post",
            "text": reply.text,
            "createdAt": (reply.created_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "reply": {"root": {"uri": root["uri"], "cid": root["cid"]}, "parent": parent},
        }
        created = self._xrpc("POST", "com.atproto.repo.createRecord",
                             json={"repo": me, "collection": "app.bsky.feed.post", "rkey": rkey, "record": record})
        return SentReply(external_id=created.get("uri"))

    def _existing_post(self, did: str, rkey: str) -> str | None:
        try:
            found = self._xrpc("GET", "com.atproto.repo.getRecord",
                               params={"repo": did, "collection": "app.bsky.feed.post", "rkey": rkey})
        except PlatformError as error:
            if error.permanent:  # RecordNotFound: not posted yet
                return None
            raise
        return found.get("uri")


_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


def record_key(reply: OutgoingReply) -> str:
    """A TID (the record key format of posts) made from when the reply was written and its key,
    so every attempt of one reply uses the same record key."""
    written = reply.created_at or datetime.now(UTC)
    micros = int(written.timestamp() * 1_000_000)
    clock_id = int(hashlib.sha256(reply.reply_key.encode()).hexdigest(), 16) & 0x3FF
    value = (micros << 10) | clock_id
    return "".join(_TID_ALPHABET[(value >> shift) & 31] for shift in range(60, -1, -5))


def _error(response: httpx.Response) -> Exception:
    data = json_of(response)
    name = data.get("error") if isinstance(data, dict) else None
    said = (data.get("message") if isinstance(data, dict) else None) or short_text(response) or response.reason_phrase
    status = response.status_code
    if name == "ExpiredToken":
        return _ExpiredToken(said)
    if status == 401 or name in ("AuthenticationRequired", "InvalidToken", "AuthMissing"):
        return PlatformError(f"Bluesky refused the login (check the handle and the app password): {said}",
                             permanent=True)
    if name in ("AccountTakedown", "AccountDeactivated"):
        return PlatformError(f"Bluesky account unavailable ({name}): {said}", permanent=True)
    if status == 429:
        return PlatformError(f"Bluesky rate limit: {said}", permanent=False,
                             retry_after=retry_after(response, "RateLimit-Reset"))
    return PlatformError(f"Bluesky answered HTTP {status} {name or ''}: {said}".replace("  ", " "),
                         permanent=not is_transient(status),
                         retry_after=retry_after(response) if is_transient(status) else None)


def _cursor_after(found: list[dict[str, Any]], watermark: str | None, seen: set[str]) -> dict[str, Any]:
    newest = max([item["indexedAt"] for item in found] + ([watermark] if watermark else []), default=None)
    if newest is None:
        return {}
    uris = {item["uri"] for item in found if item["indexedAt"] == newest}
    if newest == watermark:
        uris |= seen
    return {"indexed_at": newest, "uris": sorted(uris)}


def _web_url(uri: str, handle: str | None) -> str | None:
    parts = uri.removeprefix("at://").split("/")
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post":
        return None
    return f"https://bsky.app/profile/{handle or parts[0]}/post/{parts[2]}"


def _instant(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
