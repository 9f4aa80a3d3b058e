"""User groups' members, asked of Slack and remembered for a while."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.clock import Clock
from bot.domain.access import DirectoryUnavailable


class SlackDirectory:
    def __init__(self, client: WebClient, clock: Clock, keep_for: timedelta) -> None:
        self._client = client
        self._clock = clock
        self._keep_for = keep_for
        self._known: dict[str, tuple[datetime, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def members(self, usergroup: str) -> frozenset[str]:
        now = self._clock.now()
        with self._lock:
            cached = self._known.get(usergroup)
        if cached is not None and now - cached[0] < self._keep_for:
            return cached[1]
        try:
            users = frozenset(self._client.usergroups_users_list(usergroup=usergroup)["users"])
        except (SlackApiError, SlackRequestError, OSError) as exc:
            if cached is not None:
                return cached[1]  # Slack is unreachable: the last known members are better than nothing
            raise DirectoryUnavailable(f"cannot list the members of user group {usergroup}: {exc}") from None
        with self._lock:
            self._known[usergroup] = (now, users)
        return users
