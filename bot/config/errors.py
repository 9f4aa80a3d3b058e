"""How a problem in app.yaml or the environment is reported."""

from __future__ import annotations


class ConfigError(Exception):
    """app.yaml or the environment is not usable; the message is one line for the user."""


class KeyPathError(ValueError):
    """A cross-reference problem that knows its own key path."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason
