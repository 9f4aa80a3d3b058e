"""YouTube: comments on a channel's videos, through the YouTube Data API v3.

Polls ``commentThreads.list`` (``allThreadsRelatedToChannelId``, ``order=time``, 100 a page,
following ``nextPageToken``) back to the newest comment already stored; a thread is one
conversation. Reading works with an API key; replying (``comments.insert`` with
``snippet.parentId``) and moderating (``comments.setModerationStatus``) need OAuth, whose access
token is refreshed from the stored refresh token when it expires. Quota: a list costs 1 unit, an
insert 50, of 10,000 a day by default; an exhausted quota pauses polling until it resets.

Replies to older threads are picked up when the thread is on the pages read back to the stored
position (YouTube orders threads by their top-level comment).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bot.config import YouTubeSource
from bot.inbound import Author, InboundMessage
from bot.platforms import OutgoingReply, PlatformError, PollPage, SentReply
from bot.platforms.calls import is_transient, json_of, object_at, retry_after, send, short_text
from bot.platforms.own_replies import PAGES, PublishedReply, find_own_reply

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 20
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
QUOTA_RESET_ZONE = ZoneInfo("America/Los_Angeles")


class _Unauthorized(Exception):
    pass


class YouTubeClient:
    length_unit = "characters"

    def __init__(self, source_id: str, source: YouTubeSource, credentials: Mapping[str, str],
                 http: httpx.Client) -> None:
        self.source_id = source_id
        self.platform = source.platform
        self.max_reply_length = source.max_reply_length
        self.poll_interval = source.poll_interval
        self.channel_id = source.channel_id
        self._api = source.api_url.rstrip("/")
        self._token_url = source.token_url
        self._credentials = dict(credentials)
        self._http = http
        self._access_token: str | None = None
        self._token_lock = threading.Lock()

    @property
    def _oauth(self) -> bool:
        return "refresh_token" in self._credentials

    @property
    def can_reply(self) -> bool:
        return self._oauth

    @property
    def no_reply_reason(self) -> str:
        return (f"came from YouTube source {self.source_id!r}, which has only an API key; replies need OAuth "
                "(set oauth: in app.yaml, see docs/platforms/youtube.md)")

    # -- the API -------------------------------------------------------------------------------

    def _call(self, method: str, path: str, params: dict[str, Any], json: Any = None,
              needs_oauth: bool = False) -> dict[str, Any]:
        if needs_oauth and not self._oauth:
            raise PlatformError("this needs OAuth; the source has only an API key", permanent=True)
        try:
            return self._once(method, path, params, json)
        except _Unauthorized:
            if not self._oauth:
                raise PlatformError("YouTube refused the API key", permanent=True) from None
            self._refresh(stale=self._access_token)
            try:
                return self._once(method, path, params, json)
            except _Unauthorized:
                raise PlatformError("YouTube refused the fresh OAuth access token", permanent=True) from None

    def _once(self, method: str, path: str, params: dict[str, Any], json: Any) -> dict[str, Any]:
        # The API key goes in a header, not the query string: URLs end up in logs.
        headers = ({"Authorization": f"Bearer {self._token()}"} if self._oauth
                   else {"X-Goog-Api-Key": self._credentials["api_key"]})
        response = send(self._http, method, f"{self._api}/{path}", _error, params=params, json=json, headers=headers)
        data = json_of(response)
        return data if isinstance(data, dict) else {}

    def _token(self) -> str:
        if self._access_token is None:
            self._refresh(stale=None)
        return self._access_token or ""

    def _refresh(self, stale: str | None) -> None:
        with self._token_lock:
            if self._access_token != stale:
                return  # another thread refreshed it
            form = {"grant_type": "refresh_token", "client_id": self._credentials["client_id"],
                    "client_secret": self._credentials["client_secret"],
                    "refresh_token": self._credentials["refresh_token"]}
            answer = send(self._http, "POST", self._token_url, _token_error, data=form).json()
            self._access_token = answer["access_token"]

    def check(self) -> str:
        channels = self._call("GET", "channels", {"part": "snippet", "id": self.channel_id}).get("items") or []
        if not channels:
            raise PlatformError(f"channel {self.channel_id} not found", permanent=True)
        title = channels[0].get("snippet", {}).get("title", "?")
        access = "replies enabled (OAuth)" if self._oauth else "read only (API key)"
        return f"channel {title}; {access}; quota: 1 unit a poll page, 50 a reply, of 10,000 a day by default"

    # -- inbound -------------------------------------------------------------------------------

    def poll(self, cursor: Mapping[str, Any]) -> Iterator[PollPage]:
        watermark: str | None = cursor.get("published_at")
        seen = set(cursor.get("ids") or [])
        threads: list[dict[str, Any]] = []
        page_token: str | None = None
        for _ in range(MAX_PAGES):
            params = {"part": "snippet,replies", "allThreadsRelatedToChannelId": self.channel_id, "order": "time",
                      "maxResults": PAGE_SIZE, "textFormat": "plainText"}
            if page_token:
                params["pageToken"] = page_token
            answer = self._call("GET", "commentThreads", params)
            items = answer.get("items") or []
            threads += items
            page_token = answer.get("nextPageToken")
            reached_stored = watermark is not None and any(_published(_top(t)) < watermark for t in items)
            if watermark is None or reached_stored or not page_token or not items:
                break
        comments = [(thread, comment) for thread in threads for comment in _comments(thread)
                    if _author(comment) != self.channel_id]
        new = [(thread, comment) for thread, comment in comments
               if watermark is None or _published(comment) > watermark
               or (_published(comment) == watermark and comment["id"] not in seen)]
        new.sort(key=lambda pair: _published(pair[1]))
        yield PollPage([self._message(thread, comment) for thread, comment in new],
                       _cursor_after([comment for _, comment in comments], watermark, seen))

    def _message(self, thread: dict[str, Any], comment: dict[str, Any]) -> InboundMessage:
        snippet = comment["snippet"]
        video = snippet.get("videoId") or thread["snippet"].get("videoId")
        name = snippet.get("authorDisplayName") or "YouTube user"
        return InboundMessage(
            source_id=self.source_id,
            external_id=comment["id"],
            conversation_external_id=thread["id"],
            kind="comment",
            author=Author(id=_author(comment) or name, name=name.removeprefix("@"),
                          handle=name if name.startswith("@") else None),
            text=str(snippet.get("textDisplay") or snippet.get("textOriginal") or ""),
            url=(f"https://www.youtube.com/watch?v={video}&lc={comment['id']}" if video
                 else snippet.get("authorChannelUrl")),
            sent_at=_instant(_published(comment)),
        )

    # -- outbound ------------------------------------------------------------------------------

    def send_reply(self, reply: OutgoingReply) -> SentReply:
        thread_id = reply.conversation_external_id
        threads = self._call("GET", "commentThreads", {"part": "snippet", "id": thread_id}, needs_oauth=True)
        items = threads.get("items") or []
        if not items:
            raise PlatformError("the comment thread no longer exists on YouTube (deleted or held?)", permanent=True)
        if not items[0]["snippet"].get("canReply", True):
            raise PlatformError("YouTube does not accept replies to this thread (canReply is false: comments are "
                                "turned off or limited on the video)", permanent=True)
        if reply.maybe_sent:
            found = find_own_reply(reply, self._published_replies(thread_id))
            if found is not None:
                log.info("youtube %s: reply %s was already published as %s; not sent again",
                         self.source_id, reply.reply_key, found)
                return SentReply(external_id=found)
        body = {"snippet": {"parentId": thread_id, "textOriginal": reply.text}}
        created = self._call("POST", "comments", {"part": "snippet"}, json=body, needs_oauth=True)
        return SentReply(external_id=created.get("id"))

    def _published_replies(self, thread_id: str) -> Iterator[PublishedReply]:
        """The replies to the thread's top comment (``comments.list?parentId=``), a list costing 1 unit a page."""
        params: dict[str, Any] = {"part": "snippet", "parentId": thread_id, "maxResults": 100,
                                  "textFormat": "plainText"}
        for _page in range(PAGES):
            answer = self._call("GET", "comments", params, needs_oauth=True)
            for comment in answer.get("items") or []:
                published = _published(comment)
                yield PublishedReply(id=str(comment.get("id")), text=str(comment["snippet"].get("textOriginal") or ""),
                                     ours=_author(comment) == self.channel_id,
                                     at=_instant(published) if published[:1].isdigit() else None)
            if not answer.get("nextPageToken"):
                return
            params = {**params, "pageToken": answer["nextPageToken"]}

    # -- moderation ----------------------------------------------------------------------------

    def set_moderation_status(self, comment_ids: list[str], status: str, ban_author: bool = False) -> None:
        """``heldForReview``, ``published`` or ``rejected`` (with ``ban_author`` only for rejected)."""
        params: dict[str, Any] = {"id": ",".join(comment_ids), "moderationStatus": status}
        if ban_author:
            params["banAuthor"] = "true"
        self._call("POST", "comments/setModerationStatus", params, needs_oauth=True)

    def hide(self, comment_id: str) -> None:
        self.set_moderation_status([comment_id], "heldForReview")

    def unhide(self, comment_id: str) -> None:
        self.set_moderation_status([comment_id], "published")

    def delete(self, comment_id: str) -> None:
        """Reject the comment (YouTube deletes only the channel's own comments)."""
        self.set_moderation_status([comment_id], "rejected")

    def block_author(self, comment_id: str) -> None:
        """Reject the comment and ban its author from the channel's comments."""
        self.set_moderation_status([comment_id], "rejected", ban_author=True)


def _error(response: httpx.Response) -> Exception:
    error = object_at(json_of(response), "error")
    reasons = {item.get("reason") for item in error.get("errors") or [] if isinstance(item, dict)}
    said = error.get("message") or short_text(response) or response.reason_phrase
    status = response.status_code
    if status == 401:
        return _Unauthorized(said)
    if reasons & QUOTA_REASONS:
        return PlatformError("the YouTube API quota for today is used up (10,000 units by default); polling resumes "
                             "when it resets at midnight Pacific time, or ask Google for more quota",
                             permanent=True, retry_after=_seconds_to_quota_reset())
    if status == 429 or reasons & RATE_REASONS:
        return PlatformError(f"YouTube rate limit: {said}", permanent=False, retry_after=retry_after(response))
    if "keyInvalid" in reasons:
        return PlatformError("YouTube refused the API key (keyInvalid)", permanent=True)
    detail = f" ({', '.join(sorted(r for r in reasons if r))})" if any(reasons) else ""
    return PlatformError(f"YouTube answered HTTP {status}: {said}{detail}", permanent=not is_transient(status),
                         retry_after=retry_after(response) if is_transient(status) else None)


def _token_error(response: httpx.Response) -> PlatformError:
    data = json_of(response)
    code = data.get("error") if isinstance(data, dict) else None
    if response.status_code in (400, 401):
        return PlatformError(f"Google refused the OAuth refresh token ({code or response.status_code}); "
                             "authorise the app again", permanent=True)
    return PlatformError(f"Google's token endpoint answered HTTP {response.status_code}",
                         permanent=not is_transient(response.status_code), retry_after=retry_after(response))


def _seconds_to_quota_reset() -> float:
    now = datetime.now(QUOTA_RESET_ZONE)
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=QUOTA_RESET_ZONE)
    return (midnight.astimezone(UTC) - now.astimezone(UTC)).total_seconds()


def _top(thread: dict[str, Any]) -> dict[str, Any]:
    return thread["snippet"]["topLevelComment"]


def _comments(thread: dict[str, Any]) -> list[dict[str, Any]]:
    return [_top(thread), *((thread.get("replies") or {}).get("comments") or [])]


def _author(comment: dict[str, Any]) -> str:
    return str((comment["snippet"].get("authorChannelId") or {}).get("value") or "")


def _published(comment: dict[str, Any]) -> str:
    return _normalised(comment["snippet"].get("publishedAt") or "")


def _normalised(value: str) -> str:
    """Comparable timestamps: YouTube writes both ``...03:36:55Z`` and ``...03:36:55.000Z``."""
    try:
        return _instant(value).isoformat()
    except ValueError:
        return value


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _cursor_after(comments: list[dict[str, Any]], watermark: str | None, seen: set[str]) -> dict[str, Any]:
    newest = max([_published(c) for c in comments] + ([watermark] if watermark else []), default=None)
    if newest is None:
        return {}
    ids = {c["id"] for c in comments if _published(c) == newest} | (seen if newest == watermark else set())
    return {"published_at": newest, "ids": sorted(ids)}
