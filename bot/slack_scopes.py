"""Every Slack Web API method the bot calls and the bot scope each needs: the one source of truth for
the manifest's scopes, `socialdesk check`, the start-up check and docs/slack.md.

Scopes as Slack's method reference gives them for bot tokens. Methods that read a conversation need a
different scope for public and private channels.
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC, PRIVATE = "public", "private"


@dataclass(frozen=True)
class Scope:
    name: str
    why: str
    required: bool
    """Without it the bot cannot work at all; without an optional one a single feature fails."""


SCOPES: dict[str, Scope] = {scope.name: scope for scope in (
    Scope("chat:write", "post conversations and thread notes, edit them", required=True),
    Scope("chat:write.public", "post escalations in tier channels the bot was not invited to", required=False),
    Scope("commands", "the slash command", required=True),
    Scope("im:write", "open the direct message that tells an assignee their conversation is overdue", required=False),
    Scope("files:write", "upload the digest's chart", required=False),
    Scope("users:read", "teammates' first names for canned replies", required=False),
    Scope("usergroups:read", "roles and on-duty groups given to user groups in app.yaml", required=False),
    Scope("channels:history", "after a crash, find a post already made instead of posting it twice", required=False),
    Scope("groups:history", "the same in private brand channels", required=False),
    Scope("channels:read", "`socialdesk check`: is the bot in each brand channel", required=False),
    Scope("groups:read", "the same for private brand channels", required=False),
)}

METHOD_SCOPES: dict[str, str | dict[str, str] | None] = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.getPermalink": None,
    "conversations.open": "im:write",
    "conversations.history": {PUBLIC: "channels:history", PRIVATE: "groups:history"},
    "conversations.replies": {PUBLIC: "channels:history", PRIVATE: "groups:history"},
    "conversations.info": {PUBLIC: "channels:read", PRIVATE: "groups:read"},
    # files_upload_v2 calls these two
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "users.info": "users:read",
    "usergroups.list": "usergroups:read",
    "usergroups.users.list": "usergroups:read",
    "views.open": None,
    "views.push": None,
    "views.update": None,
    "views.publish": None,
}
"""Slack method → the bot scope it needs (by kind of channel where that matters; None: no scope)."""

APP_TOKEN_METHODS: dict[str, str] = {"apps.connections.open": "connections:write"}
"""Methods called with the app-level token (xapp-..., Socket Mode) → its scope. That token is made by
hand in the app's settings, not granted on install, so its scope is not in the manifest."""

NOT_FOR_A_METHOD = {"commands", "chat:write.public"}
"""Scopes that no method above needs: one lets Slack send the slash command, the other lets
chat.postMessage reach a public channel the bot has not joined."""


def scopes_of(method: str) -> set[str]:
    need = METHOD_SCOPES[method]
    if need is None:
        return set()
    return {need} if isinstance(need, str) else set(need.values())


def bot_scopes() -> list[str]:
    """The scopes the manifest asks for, in the table's order."""
    return list(SCOPES)


def missing_scopes(granted: set[str]) -> list[Scope]:
    return [scope for name, scope in SCOPES.items() if name not in granted]


def scopes_markdown() -> str:
    """The scope table docs/slack.md shows (a test keeps the two the same)."""
    rows = ["| scope | what for | without it |", "|---|---|---|"]
    rows += [f"| `{scope.name}` | {scope.why} | {'the bot cannot work' if scope.required else 'only this fails'} |"
             for scope in SCOPES.values()]
    return "\n".join(rows)


def _consistent() -> None:
    used = set().union(*(scopes_of(method) for method in METHOD_SCOPES)) | NOT_FOR_A_METHOD
    if used != set(SCOPES):
        raise AssertionError(f"bot/slack_scopes.py: scopes without a use {set(SCOPES) - used}, "
                             f"uses without a scope {used - set(SCOPES)}")


_consistent()
