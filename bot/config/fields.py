"""The field types every part of app.yaml is written with."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from bot.durations import parse_duration

KINDS = ("comment", "dm", "mention", "review")
PRIORITIES = ("urgent", "high", "normal", "low")
ROLES = ("viewer", "agent", "approver", "admin")
Kind = Literal["comment", "dm", "mention", "review"]
Priority = Literal["urgent", "high", "normal", "low"]
Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,29}$")]

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
SlackChannelId = Annotated[str, Field(pattern=r"^[CGD][A-Z0-9]{2,}$")]
SlackUsergroupId = Annotated[str, Field(pattern=r"^S[A-Z0-9]{2,}$")]
SlackMemberId = Annotated[str, Field(pattern=r"^[UWS][A-Z0-9]{2,}$")]

EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
BaseUrl = Annotated[str, Field(pattern=r"^https?://\S+$")]
PollInterval = Annotated[timedelta, BeforeValidator(parse_duration), Field(ge=timedelta(milliseconds=100))]
DEFAULT_POLL_INTERVAL = timedelta(seconds=60)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def yaml_switch(value: object) -> object:
    """YAML reads a bare on/off as true/false."""
    return {True: "on", False: "off"}.get(value, value) if isinstance(value, bool) else value


def as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


def compiled_regex(value: str | None) -> str | None:
    """The value unchanged when it is a valid regular expression."""
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"{value!r} is not a valid regular expression: {exc}") from None
    return value
