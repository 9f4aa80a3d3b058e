"""The stand-in's ``chat.*`` and ``conversations.*`` methods: posting, editing and reading messages."""

from __future__ import annotations

import base64
from typing import Any

from bot.demo.standins.slack_web_model import Message, SlackError
from bot.demo.standins.slack_web_state import WorkspaceState


class ChatMethods(WorkspaceState):
    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(args)
        text, blocks = self._content(args)
        ts = self._next_ts()
        thread_ts = args.get("thread_ts") or None
        message = Message(channel, ts, text, blocks, thread_ts if (channel, str(thread_ts)) in self._by_ts else None)
        metadata = args.get("metadata")
        if metadata is not None:
            if not isinstance(metadata, dict) or not isinstance(metadata.get("event_type"), str) \
                    or not isinstance(metadata.get("event_payload"), dict):
                raise SlackError("invalid_metadata_format")
            message.metadata = metadata
        self._by_ts[(channel, ts)] = message
        if message.thread_ts:
            self._threads[(channel, message.thread_ts)].append(message)
        if not message.thread_ts or str(args.get("reply_broadcast", "")).lower() in ("1", "true"):
            self._top[channel].append(message)
        return {"channel": channel, "ts": ts, "message": message.to_payload()}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(args)
        message = self._by_ts.get((channel, str(args.get("ts"))))
        if message is None:
            raise SlackError("message_not_found")
        text, blocks = self._content(args)
        message.edits.append({"text": message.text, "blocks": message.blocks})
        message.text, message.blocks = text, blocks
        return {"channel": channel, "ts": message.ts, "text": text, "message": message.to_payload()}

    def _m_chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(args)
        message = self._by_ts.pop((channel, str(args.get("ts"))), None)
        if message is None:
            raise SlackError("message_not_found")
        for container in (self._threads[(channel, message.thread_ts)] if message.thread_ts else [], self._top[channel]):
            if message in container:
                container.remove(message)
        return {"channel": channel, "ts": message.ts}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable(args)
        if not args.get("user"):
            raise SlackError("user_not_in_channel")
        text, blocks = self._content(args)
        self.ephemerals.append({"channel": channel, "user": args["user"], "text": text, "blocks": blocks,
                                "thread_ts": args.get("thread_ts")})
        return {"message_ts": self._next_ts()}

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._known_channel(args)
        message = self._by_ts.get((channel, str(args.get("message_ts"))))
        if message is None:
            raise SlackError("message_not_found")
        permalink = f"https://{self.team_domain}.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
        if message.thread_ts:
            permalink += f"?thread_ts={message.thread_ts}&cid={channel}"
        return {"channel": channel, "permalink": permalink}

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = args.get("users")
        users = users.split(",") if isinstance(users, str) else users
        if not users:
            raise SlackError("users_list_not_supplied")
        channel = "D" + "".join(sorted(users))[1:10].upper()
        if self.channels is not None:
            self.channels.add(channel)
        return {"channel": {"id": channel}}

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._readable(args)
        newest_first = [m for m in reversed(self._top[channel]) if _within(m.ts, args)]
        return self._page(newest_first, args, default_limit=100, most=999)

    def _m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._readable(args)
        parent = self._by_ts.get((channel, str(args.get("ts"))))
        if parent is None:
            raise SlackError("thread_not_found")
        thread = [m for m in [parent] + self._threads[(channel, parent.ts)] if m is parent or _within(m.ts, args)]
        return self._page(thread, args, default_limit=1000, most=1000)

    @staticmethod
    def _page(messages: list[Message], args: dict[str, Any], default_limit: int, most: int) -> dict[str, Any]:
        """One page of a listing, as Slack hands them out: ``limit`` at a time, then a cursor."""
        try:
            limit = int(args.get("limit") or default_limit)
        except ValueError:
            raise SlackError("invalid_limit") from None
        limit = max(1, min(limit, most))
        start = 0
        cursor = str(args.get("cursor") or "")
        if cursor:
            try:
                start = int(base64.b64decode(cursor).decode().removeprefix("next_offset:"))
            except (ValueError, UnicodeDecodeError):
                raise SlackError("invalid_cursor") from None
        chosen = messages[start:start + limit]
        more = start + limit < len(messages)
        metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        next_cursor = base64.b64encode(f"next_offset:{start + limit}".encode()).decode() if more else ""
        return {"messages": [m.in_history(metadata) for m in chosen], "has_more": more,
                "response_metadata": {"next_cursor": next_cursor}}

    def _m_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._known_channel(args)
        if channel.startswith("D"):
            return {"channel": {"id": channel, "is_im": True, "is_member": True, "is_archived": False}}
        state = self._channel(channel)
        if state.private and not state.member:
            raise SlackError("channel_not_found")
        return {"channel": {"id": channel, "name": state.name, "is_channel": True, "is_private": state.private,
                            "is_member": state.member, "is_archived": state.archived}}


def _within(ts: str, args: dict[str, Any]) -> bool:
    """Slack's ``oldest`` and ``latest`` bounds, exclusive unless ``inclusive`` is set."""
    inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
    oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or "inf")
    value = float(ts)
    return (oldest <= value <= latest) if inclusive else (oldest < value < latest)
