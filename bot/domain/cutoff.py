"""Work someone waits for only so long. A teammate's reply is stored only if it is stored in time
for Slack to hear back: past that moment the teammate has been shown an error, and a reply that
went out anyway would be a ghost they send a second time."""

from __future__ import annotations

import threading
import time


class TooLate(Exception):
    """The waiter gave up before the work was committed; it was rolled back."""


class Cutoff:
    """Between a waiter and the work it waits for: the work commits only if the waiter has not
    given up (``commit_allowed``), and the waiter gives up only if the work is not committing
    (``abandon``). Whichever comes first decides; the outcome is never in doubt."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        """``time.monotonic()`` value after which the waiter stops waiting."""
        self._lock = threading.Lock()
        self._state = "open"

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def commit_allowed(self) -> None:
        """Called by the work right before it commits; raises TooLate once the waiter has given up."""
        with self._lock:
            if self._state == "abandoned" or (self._state == "open" and self.remaining() <= 0):
                self._state = "abandoned"
                raise TooLate("the work was not committed in time")
            self._state = "committing"

    def abandon(self) -> bool:
        """Give up waiting: True when the work will not commit; False when it is committing already."""
        with self._lock:
            if self._state == "committing":
                return False
            self._state = "abandoned"
            return True
