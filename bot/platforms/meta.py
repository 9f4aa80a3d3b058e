"""Meta: a Facebook Page (feed comments, Messenger) and its Instagram account (comments, DMs).

Inbound comes by webhook to ``/webhooks/<source id>``: Meta first verifies the endpoint with a GET
handshake (``hub.verify_token``), then POSTs batches signed with ``X-Hub-Signature-256`` (HMAC-SHA256
of the raw body with the app secret). Replies use the Graph API with the page access token:

- Facebook comment: ``POST /{comment-id}/comments`` (``message``), on the thread's top-level comment;
- Instagram comment: ``POST /{ig-comment-id}/replies`` (``message``), likewise;
- Messenger and Instagram DMs: ``POST /{page-id}/messages`` (Send API, ``messaging_type: RESPONSE``),
  only within 24 hours of the customer's last message.

None takes an idempotency key: a reply that may have been published already is first looked for
under its comment, or among the conversation's messages (Conversations API).

Conversation ids say which of the four a conversation is: ``fb-comment:<id>``, ``ig-comment:<id>``,
``messenger:<psid>``, ``ig-dm:<igsid>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bot.config import MetaSource
from bot.inbound import DELETED, EDITED, Author, InboundMessage
from bot.durations import format_duration
from bot.platforms import ConversationFacts, OutgoingReply, PlatformError, ReplyLimit, ReplyTarget, SentReply
from bot.platforms.meta_media import feed_attachments, feed_change, messaging_attachments
from bot.platforms.own_replies import PAGES, PublishedReply, find_own_reply
from bot.platforms.calls import is_transient, json_of, object_at, retry_after, send, short_text
from bot.platforms.push import InvalidDelivery

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
DM_WINDOW = timedelta(hours=24)
PRIVATE_REPLY_WINDOW = timedelta(days=7)
RATE_LIMIT_CODES = {4, 17, 32, 613}
PERMISSION_CODES = {10, 200}
TRANSIENT_CODES = {1, 2}
OUTSIDE_WINDOW_SUBCODES = {2018278, 2534022}
FB_COMMENT, IG_COMMENT, MESSENGER, IG_DM = "fb-comment", "ig-comment", "messenger", "ig-dm"
CHANNEL_LIMITS = {FB_COMMENT: (8000, "characters"), IG_COMMENT: (2200, "characters"),
                  MESSENGER: (2000, "characters"), IG_DM: (1000, "bytes")}
"""What Meta takes in one comment or message (an Instagram message: 1000 bytes of UTF-8)."""
BYTES_RULE = "Korean and other non-Latin letters take 2-4 bytes each"
ALREADY_REPLIED, CANNOT_REPLY_PRIVATELY = 10900, 10903
"""Private replies: "Activity already replied to"; the comment can no longer be answered privately."""


class MetaClient:
    """Also a push source (bot/platforms/push.py): Meta delivers comments and messages to the webhook."""

    length_unit = "characters"
    sender = "Meta"
    signature_header = SIGNATURE_HEADER
    acknowledgement = "EVENT_RECEIVED"
    can_reply = True
    no_reply_reason = ""

    def __init__(self, source_id: str, source: MetaSource, credentials: Mapping[str, str], http: httpx.Client) -> None:
        self.source_id = source_id
        self.platform = source.platform
        self.max_reply_length = source.max_reply_length
        self.page_id = source.page_id
        self.instagram_account_id = source.instagram_account_id
        self._graph = f"{source.api_url.rstrip('/')}/{source.graph_version}"
        self._app_secret = credentials["app_secret"]
        self._verify_token = credentials["verify_token"]
        self._page_token = credentials["page_token"]
        self._http = http

    # -- webhook -----------------------------------------------------------------------------

    def handshake(self, params: Mapping[str, str]) -> str | None:
        """The challenge to echo when Meta verifies the endpoint with our verify token, else None."""
        token = params.get("hub.verify_token", "")
        if params.get("hub.mode") == "subscribe" and hmac.compare_digest(token.encode(), self._verify_token.encode()):
            return params.get("hub.challenge", "")
        return None

    def signature_ok(self, body: bytes, header: str | None) -> bool:
        """Meta signs the raw bytes as sent (unicode escaped); never re-serialise before checking."""
        expected = "sha256=" + hmac.new(self._app_secret.encode(), body, hashlib.sha256).hexdigest()
        given = (header or "").strip().encode("utf-8", "replace")
        return bool(header) and hmac.compare_digest(expected.encode(), given)

    def parse_delivery(self, body: bytes) -> list[InboundMessage]:
        """Every customer comment and message in one delivery, and the edits and removals of
        customer ones; the page's own and echoes are left out."""
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise InvalidDelivery("body is not JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("entry"), list):
            raise InvalidDelivery("expected an object with an entry list")
        instagram = data.get("object") == "instagram"
        messages: list[InboundMessage] = []
        for entry in data["entry"]:
            if not isinstance(entry, dict):
                continue
            for change in entry.get("changes") or []:
                messages += self._from_change(instagram, entry, change)
            for event in entry.get("messaging") or []:
                messages += self._from_messaging(instagram, entry, event)
        return messages

    def _from_change(self, instagram: bool, entry: dict[str, Any], change: dict[str, Any]) -> list[InboundMessage]:
        value = change.get("value") or {}
        field = change.get("field")
        try:
            if field == "feed" and value.get("item") == "comment":
                return self._facebook_comment(value)
            if instagram and field in ("comments", "live_comments"):
                return self._instagram_comment(entry, value)
        except (KeyError, TypeError, ValueError) as error:
            log.warning("meta %s: skipped a %s change that did not parse: %r", self.source_id, field, error)
            return []
        return []

    def _facebook_comment(self, value: dict[str, Any]) -> list[InboundMessage]:
        author = value.get("from") or {}
        verb = value.get("verb")
        if verb not in ("add", "edited", "remove") or (verb != "remove" and str(author.get("id")) == self.page_id):
            return []
        comment_id, post_id = str(value["comment_id"]), str(value.get("post_id") or "")
        parent_id = str(value.get("parent_id") or post_id)
        top_level = comment_id if parent_id == post_id else parent_id
        return [InboundMessage(
            source_id=self.source_id, external_id=comment_id, conversation_external_id=f"{FB_COMMENT}:{top_level}",
            kind="comment", author=Author(id=str(author.get("id", "")), name=author.get("name") or "Facebook user"),
            text=str(value.get("message") or ""), url=_facebook_comment_url(post_id, comment_id),
            sent_at=_instant(value.get("created_time")), platform="Facebook",
            attachments=feed_attachments(value), change=feed_change(verb),
        )]

    def _instagram_comment(self, entry: dict[str, Any], value: dict[str, Any]) -> list[InboundMessage]:
        author = value.get("from") or {}
        if str(author.get("id")) in (self.instagram_account_id, str(entry.get("id"))):
            return []
        comment_id = str(value["id"])
        username = author.get("username")
        return [InboundMessage(
            source_id=self.source_id, external_id=comment_id,
            conversation_external_id=f"{IG_COMMENT}:{value.get('parent_id') or comment_id}", kind="comment",
            author=Author(id=str(author["id"]), name=username or "Instagram user",
                          handle=f"@{username}" if username else None),
            text=str(value.get("text") or ""), url=None, sent_at=_instant(entry.get("time")), platform="Instagram",
        )]

    def _from_messaging(self, instagram: bool, entry: dict[str, Any], event: dict[str, Any]) -> list[InboundMessage]:
        message = event.get("message") or event.get("message_edit")
        sender = str((event.get("sender") or {}).get("id", ""))
        ours = {self.page_id, self.instagram_account_id, str(entry.get("id"))}
        if (not isinstance(message, dict) or message.get("is_echo") or not sender or sender in ours
                or "mid" not in message):
            return []
        where, platform = (IG_DM, "Instagram") if instagram else (MESSENGER, "Messenger")
        attachments = messaging_attachments(message.get("attachments"))
        text = message.get("text") or ("" if attachments else "(no text)")
        change = DELETED if message.get("is_deleted") else EDITED if "message_edit" in event else None
        return [InboundMessage(
            source_id=self.source_id, external_id=str(message["mid"]), conversation_external_id=f"{where}:{sender}",
            kind="dm", author=Author(id=sender, name=f"{platform} user …{sender[-6:]}"), text=text, url=None,
            sent_at=_instant(event.get("timestamp")), platform="Instagram" if instagram else self.platform,
            attachments=attachments, change=change,
        )]

    # -- replies -----------------------------------------------------------------------------

    def reply_refusal(self, facts: ConversationFacts) -> str | None:
        where = facts.external_id.partition(":")[0]
        if where not in (MESSENGER, IG_DM):
            return None
        age = facts.now - facts.last_customer_message_at
        if age <= DM_WINDOW:
            return None
        channel = "Instagram" if where == IG_DM else "Messenger"
        return (f"cannot be answered on {channel} any more: Meta accepts replies to a direct message only within "
                f"24 hours of the customer's last message, and theirs is {format_duration(age)} old. "
                "Their next message opens the window again")

    def reply_limit(self, target: ReplyTarget) -> ReplyLimit:
        """Meta's own limit for where the reply goes, within the source's ``max_reply_length``."""
        maximum, unit = CHANNEL_LIMITS.get(target.external_id.partition(":")[0], (self.max_reply_length, "characters"))
        rules = (BYTES_RULE,) if unit == "bytes" else ()
        return ReplyLimit(min(maximum, self.max_reply_length), unit, rules=rules)

    def reply_length(self, text: str, target: ReplyTarget | None = None) -> int:
        where = target.external_id.partition(":")[0] if target else ""
        if CHANNEL_LIMITS.get(where, (0, "characters"))[1] == "bytes":
            return len(text.encode("utf-8"))
        return len(text)

    def private_refusal(self, facts: ConversationFacts) -> str | None:
        age = facts.now - facts.last_customer_message_at
        if age <= PRIVATE_REPLY_WINDOW:
            return None
        return (f"cannot be answered privately any more: Meta allows a private reply only within 7 days of the "
                f"comment, and this one is {format_duration(age)} old; answer publicly instead")

    def answers_privately(self, target: ReplyTarget) -> bool:
        return target.external_id.partition(":")[0] in (FB_COMMENT, IG_COMMENT)

    def send_reply(self, reply: OutgoingReply) -> SentReply:
        where, _, target = reply.conversation_external_id.partition(":")
        if reply.private and where in (FB_COMMENT, IG_COMMENT):
            return self._private_reply(reply, reply.in_reply_to or target)
        if reply.maybe_sent and where in (FB_COMMENT, IG_COMMENT, MESSENGER, IG_DM):
            if where in (FB_COMMENT, IG_COMMENT):
                published = self._published_replies(target, instagram=where == IG_COMMENT)
            else:
                published = self._sent_messages(target, instagram=where == IG_DM)
            found = find_own_reply(reply, published)
            if found is not None:
                log.info("meta %s: reply %s was already published as %s; not sent again",
                         self.source_id, reply.reply_key, found)
                return SentReply(external_id=found)
        match where:
            case "fb-comment":
                answer = self._call("POST", f"/{target}/comments", data={"message": reply.text})
                return SentReply(external_id=str(answer.get("id")))
            case "ig-comment":
                answer = self._call("POST", f"/{target}/replies", data={"message": reply.text})
                return SentReply(external_id=str(answer.get("id")))
            case "messenger" | "ig-dm":
                body = {"recipient": {"id": target}, "messaging_type": "RESPONSE", "message": {"text": reply.text}}
                answer = self._call("POST", f"/{self.page_id}/messages", json=body)
                return SentReply(external_id=str(answer.get("message_id")))
        raise PlatformError(f"conversation {reply.conversation_external_id!r} is not a Meta conversation",
                            permanent=True)

    def _private_reply(self, reply: OutgoingReply, comment_id: str) -> SentReply:
        """Meta's private reply: one message to the commenter, once per comment, within 7 days of it."""
        body = {"recipient": {"comment_id": comment_id}, "message": {"text": reply.text}}
        try:
            answer = self._call("POST", f"/{self.page_id}/messages", json=body)
        except PlatformError as error:
            if reply.maybe_sent and f"(code {ALREADY_REPLIED}" in str(error):
                return SentReply()  # our earlier attempt went through; Meta takes only one
            raise
        return SentReply(external_id=str(answer.get("message_id")))

    def _published_replies(self, comment_id: str, instagram: bool) -> Iterator[PublishedReply]:
        """The replies under a comment, newest first: ``GET /{comment-id}/comments`` (Instagram: ``/replies``)."""
        if instagram:
            params = {"fields": "id,text,timestamp,from", "limit": "100"}
        else:
            params = {"fields": "id,message,created_time,from", "order": "reverse_chronological", "limit": "100"}
        for _page in range(PAGES):
            answer = self._call("GET", f"/{comment_id}/{'replies' if instagram else 'comments'}", params=params)
            items = [item for item in answer.get("data") or [] if isinstance(item, dict)]
            if instagram:
                items.reverse()  # Instagram lists oldest first
            for item in items:
                author = object_at(item, "from")
                yield PublishedReply(
                    id=str(item.get("id")), text=str(item.get("message") or item.get("text") or ""),
                    ours=str(author.get("id")) in (self.page_id, self.instagram_account_id),
                    at=_instant(item.get("created_time") or item.get("timestamp")) if
                    (item.get("created_time") or item.get("timestamp")) else None)
            after = ((answer.get("paging") or {}).get("cursors") or {}).get("after")
            if not (answer.get("paging") or {}).get("next") or not after:
                return
            params = {**params, "after": str(after)}

    def _sent_messages(self, user_id: str, instagram: bool) -> Iterator[PublishedReply]:
        """The messages of the conversation with ``user_id``, newest first, by the Conversations API:
        ``GET /{page-id}/conversations?platform=…&user_id=…`` with the ``messages`` edge expanded, then
        its ``paging.next``."""
        params = {"platform": "instagram" if instagram else "messenger", "user_id": user_id,
                  "fields": "messages{message,from,created_time,id}"}
        conversations = self._call("GET", f"/{self.page_id}/conversations", params=params).get("data") or []
        page = conversations[0].get("messages") if conversations and isinstance(conversations[0], dict) else None
        for _page in range(PAGES):
            if not isinstance(page, dict):
                return
            for item in page.get("data") or []:
                if not isinstance(item, dict):
                    continue
                author = object_at(item, "from")
                yield PublishedReply(
                    id=str(item.get("id")), text=str(item.get("message") or ""),
                    ours=str(author.get("id")) in (self.page_id, self.instagram_account_id),
                    at=_instant(item["created_time"]) if item.get("created_time") else None)
            next_url = (page.get("paging") or {}).get("next")
            if not isinstance(next_url, str) or not next_url.startswith(self._graph + "/"):
                return
            page = self._call("GET", next_url.removeprefix(self._graph))

    # -- moderation --------------------------------------------------------------------------

    def hide(self, comment_id: str, instagram: bool = False) -> None:
        self._set_hidden(comment_id, True, instagram)

    def unhide(self, comment_id: str, instagram: bool = False) -> None:
        self._set_hidden(comment_id, False, instagram)

    def delete(self, comment_id: str) -> None:
        self._call("DELETE", f"/{comment_id}")

    def _set_hidden(self, comment_id: str, hidden: bool, instagram: bool) -> None:
        field = "hide" if instagram else "is_hidden"
        self._call("POST", f"/{comment_id}", data={field: "true" if hidden else "false"})

    # -- the API -----------------------------------------------------------------------------

    def check(self) -> str:
        page = self._call("GET", "/me", params={"fields": "id,name"})
        if str(page.get("id")) != self.page_id:
            raise PlatformError(f"the page token belongs to {page.get('name')} ({page.get('id')}), "
                                f"not page_id {self.page_id}", permanent=True)
        return f"page {page.get('name')} ({self.page_id})"

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self._page_token}"}
        response = send(self._http, method, self._graph + path, graph_error, headers=headers, **kwargs)
        data = json_of(response)
        return data if isinstance(data, dict) else {}


def graph_error(response: httpx.Response) -> PlatformError:
    """Graph errors (``{"error": {message, type, code, error_subcode, fbtrace_id}}``) as one clear line."""
    error = object_at(json_of(response), "error")
    code, subcode = error.get("code"), error.get("error_subcode")
    said = error.get("error_user_msg") or error.get("message") or short_text(response) or response.reason_phrase
    where = f" (code {code}{f'/{subcode}' if subcode else ''}, fbtrace_id {error.get('fbtrace_id', '-')})"
    if code == 190:
        return PlatformError(f"Meta refused the page access token (expired or revoked): {said}{where}", permanent=True)
    if code in RATE_LIMIT_CODES:
        return PlatformError(f"Meta rate limit: {said}{where}", permanent=False, retry_after=retry_after(response))
    if code == ALREADY_REPLIED:
        return PlatformError(f"Meta allows one private reply per comment, and this comment has had it{where}",
                             permanent=True)
    if code == CANNOT_REPLY_PRIVATELY:
        return PlatformError("Meta refused the private reply: it is possible only within 7 days of the comment "
                             f"(answer publicly instead){where}", permanent=True)
    if subcode in OUTSIDE_WINDOW_SUBCODES:
        return PlatformError(f"Meta refused: the 24-hour window to answer this direct message has closed{where}",
                             permanent=True)
    if code in PERMISSION_CODES or (isinstance(code, int) and 200 <= code <= 299):
        return PlatformError(f"Meta denied permission (the app or page token lacks it): {said}{where}", permanent=True)
    transient = is_transient(response.status_code) or code in TRANSIENT_CODES or bool(error.get("is_transient"))
    return PlatformError(f"Meta answered HTTP {response.status_code}: {said}{where}", permanent=not transient,
                         retry_after=retry_after(response) if transient else None)


def _instant(value: Any) -> datetime:
    """Meta's times: epoch seconds, epoch milliseconds (Messenger) or ``2025-03-22T18:20:04+0000``."""
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, UTC)
    if isinstance(value, str) and value:
        try:
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def _facebook_comment_url(post_id: str, comment_id: str) -> str | None:
    if not post_id:
        return None
    return f"https://www.facebook.com/{post_id}?comment_id={comment_id.rsplit('_', 1)[-1]}"

