"""How an effect, or one call to Slack, tells the engine what became of it."""

from __future__ import annotations

PARENT_NOT_SHOWN = "parent_not_shown"
"""Not Slack's: a thread message whose conversation's parent Slack refused; the parent's notice covers it."""


class Retry(Exception):
    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class GiveUp(Exception):
    """The effect can never succeed as it stands (bad channel, missing parent, ...)."""


class SlackRefused(GiveUp):
    def __init__(self, method: str, error: str, fix: str = "") -> None:
        super().__init__(f"Slack {method} refused: {error}" + (f"; {fix}" if fix else ""))
        self.error = error


class Refused(SlackRefused):
    """Slack refused the content of a message or view as invalid (too long, malformed)."""


class NotYet(Exception):
    """The channel or method is paced or rate limited for a moment; the job waits without counting
    an attempt."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key
