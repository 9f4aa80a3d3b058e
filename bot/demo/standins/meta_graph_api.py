"""Stands in for Meta: the Graph API the bot calls (comments, replies, the Send API and the
Conversations API, moderation, ``/me``), shaped like Meta's samples. The webhook deliveries Meta
sends are built by the tests (tests/support/platforms/meta.py)."""

from __future__ import annotations

import itertools
import time
from typing import Any

from bot.demo.standins.platform_base import Answer, PlatformStandIn, Recorded


def graph_error(message: str, code: int, kind: str = "OAuthException", subcode: int | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfGhIjK"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


class GraphStandIn(PlatformStandIn):
    def __init__(self, page_id: str, page_token: str, page_name: str = "Acme", version: str = "v21.0",
                 instagram_id: str | None = None) -> None:
        self.page_id = page_id
        self.instagram_id = instagram_id
        self.page_token = page_token
        self.page_name = page_name
        self.version = version
        self.closed_windows: set[str] = set()
        self.commented_at: dict[str, float] = {}
        """Customer comments the page may answer privately, and when each was written (epoch seconds)."""
        self.privately_answered: set[str] = set()
        self.comments: dict[str, list[dict[str, Any]]] = {}
        """The page's comments and Instagram replies by the object they answer, oldest first."""
        self.conversations: dict[str, dict[str, Any]] = {}
        """Direct-message conversations by the customer's PSID or IGSID: ``id``, ``platform`` and
        ``messages`` (both directions, newest first, as the Conversations API lists them)."""
        self.instagram_users: set[str] = set()
        """IGSIDs: their conversations are Instagram ones, the page speaking as its Instagram account."""
        self._ids = itertools.count(1)
        super().__init__()

    def sent_messages(self, user_id: str) -> list[dict[str, Any]]:
        """What the page sent ``user_id`` by the Send API, oldest first."""
        ours = {self.page_id, self.instagram_id}
        messages = (self.conversations.get(user_id) or {}).get("messages", [])
        return [m for m in reversed(messages) if m["from"]["id"] in ours]

    def comment_created(self, comment_id: str, at: float) -> None:
        """A customer commented (the webhook delivery is the test's to post)."""
        self.commented_at[comment_id] = at

    def customer_message(self, user_id: str, text: str) -> None:
        """The customer writes in their conversation (the webhook delivery is the test's to post)."""
        author = {"id": user_id, "username": f"user{user_id[-4:]}"} if user_id in self.instagram_users else \
            {"id": user_id, "name": "Customer", "email": f"{user_id}@facebook.com"}
        self._add_message(user_id, text, author)

    def _add_message(self, user_id: str, text: str, author: dict[str, Any]) -> dict[str, Any]:
        conversation = self.conversations.setdefault(user_id, {
            "id": f"t_{next(self._ids)}", "platform": "instagram" if user_id in self.instagram_users else "messenger",
            "messages": []})
        message = {"id": f"m_{next(self._ids)}", "message": text, "from": author,
                   "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())}
        conversation["messages"].insert(0, message)
        return message

    def route(self, request: Recorded) -> Answer:
        token = request.headers.get("authorization", "").removeprefix("Bearer ") or request.param("access_token")
        if token != self.page_token:
            return 400, graph_error("Invalid OAuth access token - Cannot parse access token", 190), {}
        parts = request.path.strip("/").split("/")
        if not parts or parts[0] != self.version:
            return 400, graph_error(f"Unknown path components: /{parts[0] if parts else ''}", 2500), {}
        match request.method, parts[1:]:
            case "GET", ["me"]:
                return 200, {"id": self.page_id, "name": self.page_name}, {}
            case "POST", [comment_id, "comments"]:
                return self._comment(request, comment_id, f"{comment_id.split('_')[0]}_{next(self._ids)}")
            case "POST", [comment_id, "replies"]:
                return self._comment(request, comment_id, str(17_900_000_000_000_000 + next(self._ids)), instagram=True)
            case "GET", [comment_id, "comments" | "replies" as edge]:
                return self._list(request, comment_id, instagram=edge == "replies")
            case "POST", [page_id, "messages"] if page_id in (self.page_id, "me"):
                return self._send(request)
            case "GET", [page_id, "conversations"] if page_id in (self.page_id, "me"):
                return self._conversations(request)
            case "GET", [conversation_id, "messages"] if conversation_id.startswith("t_"):
                return self._messages(request, conversation_id)
            case "POST", [_comment_id]:
                return 200, {"success": True}, {}
            case "DELETE", [_comment_id]:
                return 200, {"success": True}, {}
        return 400, graph_error("Unsupported request: the object does not exist or does not support this",
                                100, "GraphMethodException", 33), {}

    def _comment(self, request: Recorded, parent: str, new_id: str, instagram: bool = False) -> Answer:
        if not request.body.get("message"):
            return 400, graph_error("(#100) Missing message or attachment", 100), {}
        now = time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())
        if instagram:
            username = self.page_name.lower()
            comment = {"id": new_id, "text": request.body["message"], "timestamp": now, "username": username,
                       "from": {"id": self.page_id, "username": username}}
        else:
            comment = {"id": new_id, "message": request.body["message"], "created_time": now,
                       "from": {"id": self.page_id, "name": self.page_name}}
        self.comments.setdefault(parent, []).append(comment)
        return 200, {"id": new_id}, {}

    def _list(self, request: Recorded, parent: str, instagram: bool) -> Answer:
        """``GET /{comment-id}/comments`` (Instagram: ``/replies``): a page of ``data`` with cursor paging,
        chronological unless ``order=reverse_chronological``; only the ``fields`` asked for, and ``id``."""
        items = list(self.comments.get(parent, []))
        if request.param("order") == "reverse_chronological":
            items.reverse()
        limit = min(int(request.param("limit") or 25), 100)
        start = int(request.param("after") or 0)
        page = items[start:start + limit]
        default_fields = "id,text,timestamp" if instagram else "id,message,created_time,from"
        fields = (request.param("fields") or default_fields).split(",")
        data = [{key: value for key, value in item.items() if key in fields or key == "id"} for item in page]
        paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + len(page))}}
        if start + limit < len(items):
            paging["next"] = f"{self.url}{request.path}?after={start + limit}&limit={limit}"
        return 200, {"data": data, "paging": paging}, {}

    def _send(self, request: Recorded) -> Answer:
        body = request.json or {}
        if "comment_id" in (body.get("recipient") or {}):
            return self._private_reply(body)
        recipient = (body.get("recipient") or {}).get("id")
        if body.get("messaging_type") not in ("RESPONSE", "UPDATE", "MESSAGE_TAG") or not recipient:
            return 400, graph_error("(#100) The parameter recipient is required", 100), {}
        if recipient in self.closed_windows:
            return 400, graph_error("(#10) This message is sent outside of allowed window.", 10, subcode=2018278), {}
        text = (body.get("message") or {}).get("text")
        if not text:
            return 400, graph_error("(#100) Param message must be non-empty", 100), {}
        if recipient in self.instagram_users and len(text.encode("utf-8")) > 1000:
            return 400, graph_error("(#100) Length of param message[text] must be less than or equal to 1000", 100), {}
        if recipient not in self.instagram_users and len(text) > 2000:
            return 400, graph_error("(#100) Length of param message[text] must be less than or equal to 2000", 100), {}
        if recipient in self.instagram_users:
            author = {"username": self.page_name.lower(), "id": self.instagram_id or self.page_id}
        else:
            author = {"name": self.page_name, "email": f"{self.page_id}@facebook.com", "id": self.page_id}
        sent = self._add_message(recipient, text, author)
        return 200, {"recipient_id": recipient, "message_id": sent["id"]}, {}

    def _private_reply(self, body: dict[str, Any]) -> Answer:
        """Meta's private replies: one message per comment, within 7 days of it; no messaging_type."""
        comment_id = str(body["recipient"]["comment_id"])
        text = (body.get("message") or {}).get("text")
        if comment_id not in self.commented_at:
            return 400, graph_error(f"(#100) Unsupported post request. Object with ID '{comment_id}' does not "
                                    "exist, cannot be loaded due to missing permissions, or does not support "
                                    "this operation", 100, "GraphMethodException", 33), {}
        if not text:
            return 400, graph_error("(#100) Param message must be non-empty", 100), {}
        if comment_id in self.privately_answered:
            return 400, graph_error("(#10900) Activity already replied to", 10900), {}
        if time.time() - self.commented_at[comment_id] > 7 * 24 * 3600:
            return 400, graph_error("(#10903) This activity can't be replied to", 10903), {}
        self.privately_answered.add(comment_id)
        return 200, {"recipient_id": f"private:{comment_id}", "message_id": f"m_{next(self._ids)}"}, {}

    def _conversations(self, request: Recorded) -> Answer:
        """``GET /{page-id}/conversations?platform=messenger|instagram[&user_id=…]``: the conversations
        on that platform, newest first, as ``id`` and ``updated_time``, with any fields asked for; the
        ``messages`` edge expanded as ``messages{field,…}`` or ``messages.limit(n){…}`` pages its own way."""
        platform = request.param("platform") or "messenger"
        if platform not in ("messenger", "instagram"):
            return 400, graph_error("(#100) Param platform must be one of {MESSENGER, INSTAGRAM}", 100), {}
        user_id = request.param("user_id")
        found = [(user, c) for user, c in self.conversations.items()
                 if c["platform"] == platform and (not user_id or user == user_id)]
        fields = _split_fields(request.param("fields") or "")
        data = []
        for _user, conversation in reversed(found):
            item: dict[str, Any] = {"id": conversation["id"]}
            if "updated_time" in fields or not fields:
                item["updated_time"] = conversation["messages"][0]["created_time"]
            if "messages" in fields:
                nested, limit = fields["messages"]
                item["messages"] = self._message_page(conversation, nested, limit or 25, 0)
            data.append(item)
        return 200, {"data": data}, {}

    def _messages(self, request: Recorded, conversation_id: str) -> Answer:
        """``GET /{conversation-id}/messages``: one page of the conversation's messages, newest first."""
        conversation = next((c for c in self.conversations.values() if c["id"] == conversation_id), None)
        if conversation is None:
            return 400, graph_error(f"Unsupported get request. Object with ID '{conversation_id}' does not exist",
                                    100, "GraphMethodException", 33), {}
        fields = [f for f in (request.param("fields") or "id,created_time").split(",") if f]
        limit = min(int(request.param("limit") or 25), 100)
        return 200, self._message_page(conversation, fields, limit, int(request.param("after") or 0)), {}

    def _message_page(self, conversation: dict[str, Any], fields: list[str], limit: int, start: int) -> dict[str, Any]:
        messages = conversation["messages"][start:start + limit]
        wanted = fields or ["id", "created_time"]
        data = [{key: value for key, value in m.items() if key in wanted or key == "id"} for m in messages]
        paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + len(messages))}}
        if start + limit < len(conversation["messages"]):
            paging["next"] = (f"{self.url}/{self.version}/{conversation['id']}/messages"
                              f"?fields={','.join(wanted)}&limit={limit}&after={start + limit}")
        return {"data": data, "paging": paging}


def _split_fields(spec: str) -> dict[str, tuple[list[str], int | None]]:
    """``id,messages.limit(10){message,from}`` → ``{"id": ([], None), "messages": (["message", "from"], 10)}``."""
    fields: dict[str, tuple[list[str], int | None]] = {}
    depth, current = 0, ""
    for char in spec + ",":
        if char == "," and depth == 0:
            if current:
                name, _, nested = current.partition("{")
                name, _, modifier = name.partition(".limit(")
                limit = int(modifier.rstrip(")")) if modifier else None
                fields[name] = ([f for f in nested.rstrip("}").split(",") if f], limit)
            current = ""
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        current += char
    return fields
