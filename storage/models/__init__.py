"""The database schema, as typed SQLAlchemy 2 models. Nothing here knows about Slack's API."""

from storage.models.base import NAMING, Base, JobStatus, ReplyStatus, Status, UTCDateTime
from storage.models.conversations import Activity, BrandCounter, Conversation, Message, Nudge, Reply
from storage.models.operations import (
    AuditEntry,
    ConversationTag,
    CrisisEpisode,
    OutboxJob,
    QuietLine,
    ScheduleClaim,
    SeenRequest,
    SourceCursor,
    is_pending,
)

__all__ = [
    "NAMING", "Activity", "AuditEntry", "Base", "BrandCounter", "Conversation", "ConversationTag", "CrisisEpisode",
    "JobStatus", "Message", "Nudge", "OutboxJob", "QuietLine", "Reply", "ReplyStatus", "ScheduleClaim",
    "SeenRequest", "SourceCursor", "Status", "UTCDateTime", "is_pending",
]
