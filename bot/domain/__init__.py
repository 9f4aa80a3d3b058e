"""The product's verbs: ingest, assign, reply, escalate, resolve, reopen.

Nothing here imports Slack libraries: the domain changes state and queues external effects in the
outbox, in the same transaction; the delivery worker carries the effects out.
"""

from bot.domain.desk import (
    ActionRefused, ActionResult, Desk, HomeData, IngestResult, ReplyCrossed, ReplyRepeated, TeamFigures,
)
from bot.domain.inbound import Author, InboundMessage

__all__ = ["ActionRefused", "ActionResult", "Author", "Desk", "HomeData", "InboundMessage", "IngestResult", "ReplyCrossed",
           "ReplyRepeated", "TeamFigures"]
