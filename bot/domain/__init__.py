"""The product's verbs: ingest, assign, reply, escalate, resolve, reopen.

Nothing here imports Slack libraries: the domain changes state and queues external effects in the
outbox, in the same transaction; the delivery worker carries the effects out.

The names below are loaded when first asked for, so that importing one module of the domain (or
something that imports one) does not load the whole desk.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.domain.desk import Desk
    from bot.domain.outcomes import ActionRefused, ActionResult, IngestResult, ReplyCrossed, ReplyRepeated
    from bot.domain.queries import HomeData, TeamFigures

_WHERE = {
    "Desk": "bot.domain.desk",
    "ActionRefused": "bot.domain.outcomes",
    "ActionResult": "bot.domain.outcomes",
    "IngestResult": "bot.domain.outcomes",
    "ReplyCrossed": "bot.domain.outcomes",
    "ReplyRepeated": "bot.domain.outcomes",
    "HomeData": "bot.domain.queries",
    "TeamFigures": "bot.domain.queries",
}

__all__ = ["ActionRefused", "ActionResult", "Desk", "HomeData", "IngestResult", "ReplyCrossed", "ReplyRepeated",
           "TeamFigures"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'bot.domain' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
