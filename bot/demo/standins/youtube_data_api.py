"""Stands in for the YouTube Data API v3 and Google's OAuth token endpoint: commentThreads.list
with nextPageToken paging, comments.insert (OAuth only), comments.setModerationStatus,
channels.list, a daily quota answered with ``quotaExceeded``, Google's error bodies."""

from __future__ import annotations

import base64
import itertools
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.demo.standins.platform_base import Answer, PlatformStandIn, Recorded

BASE_TIME = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
COSTS = {"commentThreads": 1, "channels": 1, "comments": 50, "comments/setModerationStatus": 50}


def google_error(code: int, message: str, reason: str, domain: str = "youtube.api",
                 status: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message,
                             "errors": [{"message": message, "domain": domain, "reason": reason}]}
    if status:
        error["status"] = status
    return {"error": error}


class YouTubeStandIn(PlatformStandIn):
    def __init__(self, channel_id: str, api_key: str, client_id: str, client_secret: str, refresh_token: str,
                 quota: int = 10_000) -> None:
        self.channel_id = channel_id
        self.api_key = api_key
        self.client = (client_id, client_secret)
        self.refresh_token = refresh_token
        self.quota_left = quota
        self.access_tokens: dict[str, bool] = {}
        self.threads: list[dict[str, Any]] = []  # newest first
        self.moderation: dict[str, str] = {}
        self._times = itertools.count(1)
        self._ids = itertools.count(1)
        super().__init__()
        self.api_url = f"{self.url}/youtube/v3"
        self.token_url = f"{self.url}/token"

    # -- test controls -----------------------------------------------------------------------

    def comment(self, text: str, author: str = "@minjikim", video: str = "JE8xdDp5B8Q",
                can_reply: bool = True) -> dict[str, Any]:
        """A viewer's top-level comment: a new thread."""
        top = self._comment(text, author, video)
        thread = {"kind": "youtube#commentThread", "etag": secrets.token_hex(8), "id": top["id"],
                  "snippet": {"channelId": self.channel_id, "videoId": video, "topLevelComment": top,
                              "canReply": can_reply, "totalReplyCount": 0, "isPublic": True}}
        self.threads.insert(0, thread)
        return thread

    def reply(self, thread: dict[str, Any], text: str, author: str = "@minjikim") -> dict[str, Any]:
        comment = self._comment(text, author, thread["snippet"]["videoId"], parent=thread["id"])
        thread.setdefault("replies", {"comments": []})["comments"].append(comment)
        thread["snippet"]["totalReplyCount"] += 1
        return comment

    def expire_access_tokens(self) -> None:
        self.access_tokens = dict.fromkeys(self.access_tokens, False)

    # -- the API -----------------------------------------------------------------------------

    def route(self, request: Recorded) -> Answer:
        if request.path == "/token":
            return self._token(request)
        resource = request.path.removeprefix("/youtube/v3/")
        authorised = self._authorise(request, resource)
        if authorised is not None:
            return authorised
        cost = COSTS.get(resource, 1) if request.method != "GET" else 1  # every list costs 1 unit
        if self.quota_left < cost:
            return 403, google_error(403, "The request cannot be completed because you have exceeded your "
                                          "<a href=\"/youtube/v3/getting-started#quota\">quota</a>.",
                                     "quotaExceeded", "youtube.quota"), {}
        self.quota_left -= cost
        match request.method, resource:
            case "GET", "commentThreads":
                return self._list_threads(request)
            case "GET", "channels":
                return 200, {"kind": "youtube#channelListResponse", "items": [
                    {"kind": "youtube#channel", "id": self.channel_id, "snippet": {"title": "Acme"}}]}, {}
            case "POST", "comments":
                return self._insert(request)
            case "GET", "comments":
                return self._list_replies(request)
            case "POST", "comments/setModerationStatus":
                for comment_id in (request.param("id") or "").split(","):
                    self.moderation[comment_id] = request.param("moderationStatus") or ""
                return 204, "", {}
        return 404, google_error(404, "Not Found", "notFound", "global"), {}

    def _authorise(self, request: Recorded, resource: str) -> Answer | None:
        bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
        if bearer:
            if not self.access_tokens.get(bearer):
                return 401, google_error(401, "Request had invalid authentication credentials.", "authError",
                                         "global", "UNAUTHENTICATED"), {}
            return None
        if (request.headers.get("x-goog-api-key") or request.param("key")) != self.api_key:
            return 400, google_error(400, "Bad Request", "keyInvalid", "usageLimits"), {}
        if request.method != "GET":
            return 401, google_error(401, "API keys are not supported by this API. Expected OAuth2 access token.",
                                     "required", "global", "UNAUTHENTICATED"), {}
        return None

    def _token(self, request: Recorded) -> Answer:
        form = request.form
        if (form.get("client_id"), form.get("client_secret")) != self.client:
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}, {}
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
            return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, {}
        token = f"ya29.{secrets.token_hex(8)}"
        self.access_tokens[token] = True
        return 200, {"access_token": token, "expires_in": 3599, "scope": "https://www.googleapis.com/auth/youtube.force-ssl",
                     "token_type": "Bearer"}, {}

    def _list_threads(self, request: Recorded) -> Answer:
        if thread_id := request.param("id"):
            items = [t for t in self.threads if t["id"] in thread_id.split(",")]
            return 200, {"kind": "youtube#commentThreadListResponse", "items": items}, {}
        if request.param("allThreadsRelatedToChannelId") != self.channel_id:
            return 400, google_error(400, "The channel could not be found.", "channelNotFound"), {}
        size = min(int(request.param("maxResults") or 20), 100)
        token = request.param("pageToken")
        offset = int(base64.urlsafe_b64decode(token).decode()) if token else 0
        page = self.threads[offset:offset + size]
        body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "etag": secrets.token_hex(8),
                                "pageInfo": {"totalResults": len(page), "resultsPerPage": size}, "items": page}
        if offset + size < len(self.threads):
            body["nextPageToken"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        return 200, body, {}

    def _list_replies(self, request: Recorded) -> Answer:
        """``comments.list?parentId=``: the replies to a top-level comment, oldest first, paged."""
        parent = request.param("parentId")
        if not parent and not request.param("id"):
            return 400, google_error(400, "No filter selected. Expected one of: parentId, id",
                                     "missingRequiredParameter"), {}
        thread = next((t for t in self.threads if t["id"] == parent), None)
        if thread is None:
            return 404, google_error(404, "The specified parent comment could not be found.",
                                     "parentCommentNotFound"), {}
        replies = (thread.get("replies") or {}).get("comments", [])
        size = min(int(request.param("maxResults") or 20), 100)
        token = request.param("pageToken")
        offset = int(base64.urlsafe_b64decode(token).decode()) if token else 0
        body: dict[str, Any] = {"kind": "youtube#commentListResponse", "etag": secrets.token_hex(8),
                                "items": replies[offset:offset + size]}
        if offset + size < len(replies):
            body["nextPageToken"] = base64.urlsafe_b64encode(str(offset + size).encode()).decode()
        return 200, body, {}

    def _insert(self, request: Recorded) -> Answer:
        snippet = (request.json or {}).get("snippet") or {}
        thread = next((t for t in self.threads if t["id"] == snippet.get("parentId")), None)
        if thread is None:
            return 404, google_error(404, "The specified parent comment could not be found.",
                                     "parentCommentNotFound"), {}
        if not thread["snippet"]["canReply"]:
            return 403, google_error(403, "The comment thread does not allow replies.", "forbidden"), {}
        if not snippet.get("textOriginal"):
            return 400, google_error(400, "The comment is empty.", "commentTextRequired"), {}
        # What the channel itself publishes carries the real time, as YouTube's answers do.
        comment = self._comment(snippet["textOriginal"], "@acme", thread["snippet"]["videoId"], parent=thread["id"],
                                author_channel=self.channel_id, published_at=datetime.now(UTC))
        thread.setdefault("replies", {"comments": []})["comments"].append(comment)
        return 200, comment, {}

    def _comment(self, text: str, author: str, video: str, parent: str | None = None,
                 author_channel: str | None = None, published_at: datetime | None = None) -> dict[str, Any]:
        moment = published_at or BASE_TIME + timedelta(seconds=next(self._times))
        published = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        number = next(self._ids)
        comment_id = f"Ugw{number:019d}AaABAg" if parent is None else f"{parent}.9iPXEClD9lW{number:06d}"
        snippet: dict[str, Any] = {
            "authorDisplayName": author, "authorProfileImageUrl": "https://yt3.ggpht.com/a/default-user=s48",
            "authorChannelUrl": f"http://www.youtube.com/channel/{author_channel or 'UCviewer'}",
            "authorChannelId": {"value": author_channel or f"UC{abs(hash(author)) % 10**22:022d}"},
            "channelId": self.channel_id, "videoId": video, "textDisplay": text, "textOriginal": text,
            "canRate": True, "viewerRating": "none", "likeCount": 0, "publishedAt": published, "updatedAt": published,
        }
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "etag": secrets.token_hex(8), "id": comment_id, "snippet": snippet}
