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
    attempts: int
    """How often a worker has tried it, when it was listed."""
    claimed_by: str | None
    """The worker whose lease on it ran out, when it was listed."""
    created_at: datetime

    @property
    def suspect(self) -> bool:
        """A worker may have carried this job out already (it died, or an answer was lost)."""
        return self.attempts > 0 or self.claimed_by is not None
