"""What the desk answers: outcomes and refusals as plain data.

A sentence that names people keeps them as ``Person`` parts; the Slack side turns them into
mentions (``bot/slack_ui/outcome_text.py``), anything else can print them plainly.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Conversation


@dataclass(frozen=True)
class Person:
    """Someone a sentence names: a teammate's user id, or a user group's id when ``group``."""

    id: str
    group: bool = False


Part = str | Person


@dataclass(frozen=True, init=False)
class Said:
    """A sentence for a teammate, in parts: text and the people it names."""

    parts: tuple[Part, ...]

    def __init__(self, *parts: Part) -> None:
        object.__setattr__(self, "parts", tuple(part for part in parts if part != ""))

    def __str__(self) -> str:
        """Plain text, people as @id (for logs and the audit log)."""
        return "".join(part if isinstance(part, str) else f"@{part.id}" for part in self.parts)

    def __add__(self, other: Said | str) -> Said:
        return Said(*self.parts, *(other.parts if isinstance(other, Said) else (other,)))

    def __radd__(self, other: str) -> Said:
        return Said(other, *self.parts)


def said(text: Said | str) -> Said:
    return text if isinstance(text, Said) else Said(text)


class ActionRefused(Exception):
    """The action cannot be done; ``said`` tells the teammate why and what to do."""

    def __init__(self, message: Said | str) -> None:
        self.said = said(message)
        super().__init__(str(self.said))


class ReplyRepeated(ActionRefused):
    """The same text went to the same conversation a moment ago (a teammate who was shown an error
    while it was being stored types it again): asked before it is sent twice."""

    def __init__(self, message: Said | str, earlier_reply_id: int) -> None:
        super().__init__(message)
        self.earlier_reply_id = earlier_reply_id


class ReplyCrossed(ActionRefused):
    """Someone else replied while the teammate was writing; they should read it before sending."""

    def __init__(self, message: Said | str, latest_reply_id: int) -> None:
        super().__init__(message)
        self.latest_reply_id = latest_reply_id


@dataclass(frozen=True)
class ActionResult:
    conversation: Conversation
    changed: bool
    said: Said


def done(conversation: Conversation, *parts: Part) -> ActionResult:
    return ActionResult(conversation, True, Said(*parts))


def unchanged(conversation: Conversation, *parts: Part) -> ActionResult:
    return ActionResult(conversation, False, Said(*parts))


@dataclass(frozen=True)
class IngestResult:
    conversation_id: int
    ref: str
    created: bool
    duplicate: bool
    unknown: bool = False
    """An edit or deletion of a message the desk never received: nothing was changed."""
