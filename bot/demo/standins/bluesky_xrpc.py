"""Stands in for a Bluesky PDS (XRPC): sessions with expiring access tokens and rotating refresh
tokens, listNotifications paging toward older items with a cursor, getPosts, createRecord checking
reply refs and the 300-grapheme limit, XRPC error bodies ``{"error", "message"}``."""

from __future__ import annotations

import hashlib
import itertools
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import regex

from bot.demo.standins.platform_base import Answer, PlatformStandIn, Recorded

BASE_TIME = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
_TID = regex.compile(r"[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def xrpc_error(name: str, message: str) -> dict[str, str]:
    return {"error": name, "message": message}


class BlueskyStandIn(PlatformStandIn):
    def __init__(self, handle: str, password: str, did: str = "did:plc:u5cwb2mwiv2bfq53cjufe6yn") -> None:
        self.handle, self.password, self.did = handle, password, did
        self.access_tokens: dict[str, bool] = {}  # token -> still valid
        self.refresh_tokens: set[str] = set()
        self.posts: dict[str, dict[str, Any]] = {}
        self.notifications: list[dict[str, Any]] = []
        self.profiles: dict[str, dict[str, Any]] = {did: {"did": did, "handle": handle, "displayName": "Acme"}}
        self._times = itertools.count(1)
        self._keys = itertools.count(1)
        super().__init__()

    # -- test controls -----------------------------------------------------------------------

    def expire_access_tokens(self) -> None:
        self.access_tokens = dict.fromkeys(self.access_tokens, False)

    def own_post(self, text: str) -> dict[str, Any]:
        """A post by the brand's account (customers may answer it)."""
        return self._create(self.did, {"$type": "app.bsky.feed.post", "text": text, "createdAt": _iso(self._now())})

    def customer_post(self, text: str, handle: str = "minji.bsky.social", name: str = "Kim Minji",
                      reply_to: dict[str, Any] | None = None, embed: dict[str, Any] | None = None) -> dict[str, Any]:
        """A customer's post mentioning the brand, or answering ``reply_to``; notifies the brand.
        ``embed`` is the record's embed as the author's client wrote it (blob references)."""
        did = "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]
        self.profiles[did] = {"did": did, "handle": handle, "displayName": name}
        record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": _iso(self._now())}
        if embed is not None:
            record["embed"] = embed
        if reply_to is None:
            mention = f"@{self.handle}"
            record["text"] = f"{mention} {text}"
            record["facets"] = [{"index": {"byteStart": 0, "byteEnd": len(mention.encode())},
                                 "features": [{"$type": "app.bsky.richtext.facet#mention", "did": self.did}]}]
        else:
            parent = {"uri": reply_to["uri"], "cid": reply_to["cid"]}
            root = (reply_to["record"].get("reply") or {}).get("root") or parent
            record["reply"] = {"root": root, "parent": parent}
        post = self._create(did, record)
        reason = "reply" if reply_to is not None and reply_to["author"]["did"] == self.did else "mention"
        self.notifications.insert(0, {
            "uri": post["uri"], "cid": post["cid"], "author": {**self.profiles[did], "labels": [], "viewer": {}},
            "reason": reason, "record": record, "isRead": False, "indexedAt": post["indexedAt"], "labels": [],
        })
        return post

    def delete_post(self, uri: str) -> None:
        """The author deletes a post: the record is gone, and so is its notification."""
        self.posts.pop(uri, None)
        self.notifications = [n for n in self.notifications if n["uri"] != uri]

    # -- XRPC --------------------------------------------------------------------------------

    def route(self, request: Recorded) -> Answer:
        nsid = request.path.removeprefix("/xrpc/")
        if nsid == "com.atproto.server.createSession":
            return self._create_session(request)
        if nsid == "com.atproto.server.refreshSession":
            return self._refresh_session(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.access_tokens:
            return 400, xrpc_error("InvalidToken", "Token could not be verified"), {}
        if not self.access_tokens[token]:
            return 400, xrpc_error("ExpiredToken", "Token has expired"), {}
        match request.method, nsid:
            case "GET", "app.bsky.notification.listNotifications":
                return self._list_notifications(request)
            case "GET", "app.bsky.feed.getPosts":
                uris = request.query.get("uris", [])
                if len(uris) > 25:
                    return 400, xrpc_error("InvalidRequest", "Error: uris must not have more than 25 elements"), {}
                return 200, {"posts": [self.posts[uri] for uri in uris if uri in self.posts]}, {}
            case "POST", "com.atproto.repo.createRecord":
                return self._create_record(request)
            case "GET", "com.atproto.repo.getRecord":
                return self._get_record(request)
        return 501, xrpc_error("MethodNotImplemented", f"Method Not Implemented: {nsid}"), {}

    def _create_session(self, request: Recorded) -> Answer:
        body = request.json or {}
        if body.get("identifier") not in (self.handle, self.did) or body.get("password") != self.password:
            return 401, xrpc_error("AuthenticationRequired", "Invalid identifier or password"), {}
        return 200, self._session(), {}

    def _refresh_session(self, request: Recorded) -> Answer:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.refresh_tokens:
            return 400, xrpc_error("ExpiredToken", "Token has been revoked"), {}
        self.refresh_tokens.discard(token)  # refresh tokens rotate
        return 200, self._session(), {}

    def _session(self) -> dict[str, Any]:
        access, refresh = f"access-{secrets.token_hex(8)}", f"refresh-{secrets.token_hex(8)}"
        self.access_tokens[access] = True
        self.refresh_tokens.add(refresh)
        return {"did": self.did, "handle": self.handle, "accessJwt": access, "refreshJwt": refresh, "active": True}

    def _list_notifications(self, request: Recorded) -> Answer:
        limit = min(int(request.param("limit") or 50), 100)
        reasons = request.query.get("reasons") or request.query.get("reasons[]")
        items = [n for n in self.notifications if not reasons or n["reason"] in reasons]
        if cursor := request.param("cursor"):
            items = [n for n in items if n["indexedAt"] < cursor]
        page = items[:limit]
        body: dict[str, Any] = {"notifications": page, "priority": False, "seenAt": _iso(BASE_TIME)}
        if len(items) > limit:
            body["cursor"] = page[-1]["indexedAt"]
        return 200, body, {}

    def _create_record(self, request: Recorded) -> Answer:
        body = request.json or {}
        record = body.get("record") or {}
        if body.get("repo") != self.did or body.get("collection") != "app.bsky.feed.post":
            return 400, xrpc_error("InvalidRequest", "Invalid repo or collection"), {}
        if record.get("$type") != "app.bsky.feed.post" or not isinstance(record.get("text"), str):
            return 400, xrpc_error("InvalidRequest", "Invalid app.bsky.feed.post record"), {}
        if len(regex.findall(r"\X", record["text"])) > 300:
            return 400, xrpc_error("InvalidRequest", "Invalid app.bsky.feed.post record: "
                                                     "Record/text must not be longer than 300 graphemes"), {}
        for part in ("root", "parent"):
            ref = (record.get("reply") or {}).get(part)
            if ref is not None and self.posts.get(ref.get("uri"), {}).get("cid") != ref.get("cid"):
                return 400, xrpc_error("InvalidRequest", f"Invalid reply {part}: unknown uri or cid mismatch"), {}
        rkey = body.get("rkey")
        if rkey is not None and (not _TID.fullmatch(str(rkey))):
            return 400, xrpc_error("InvalidRequest", "Invalid record key: must be a TID"), {}
        if rkey is not None and f"at://{self.did}/app.bsky.feed.post/{rkey}" in self.posts:
            return 400, xrpc_error("InvalidRequest", "Record already exists"), {}
        post = self._create(self.did, record, rkey)
        return 200, {"uri": post["uri"], "cid": post["cid"]}, {}

    def _get_record(self, request: Recorded) -> Answer:
        repo = (request.query.get("repo") or [""])[0]
        rkey = (request.query.get("rkey") or [""])[0]
        post = self.posts.get(f"at://{repo}/app.bsky.feed.post/{rkey}")
        if post is None:
            missing = f"Could not locate record: at://{repo}/app.bsky.feed.post/{rkey}"
            return 400, xrpc_error("RecordNotFound", missing), {}
        return 200, {"uri": post["uri"], "cid": post["cid"], "value": post["record"]}, {}

    def _create(self, did: str, record: dict[str, Any], rkey: str | None = None) -> dict[str, Any]:
        rkey = rkey or f"3k4d{next(self._keys):09d}"
        uri = f"at://{did}/app.bsky.feed.post/{rkey}"
        cid = "bafyrei" + hashlib.sha256(uri.encode()).hexdigest()[:52]
        post = {"uri": uri, "cid": cid, "author": self.profiles[did], "record": record,
                "indexedAt": _iso(self._now()), "replyCount": 0, "repostCount": 0, "likeCount": 0, "labels": []}
        self.posts[uri] = post
        return post

    def _now(self) -> datetime:
        return BASE_TIME + timedelta(seconds=next(self._times))
