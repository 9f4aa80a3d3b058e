"""One outbox job as the worker sees it while it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    conversation_id: int | None
    kind: str
    channel: str | None
    """The channel a post of the conversation goes to, when known before it runs (for pacing)."""
    suspect: bool
    """A worker may have carried this job out already (it died, or an answer was lost)."""
    created_at: datetime
