"""How incoming messages are sorted: the team's rules, the built-in risk categories, crisis alerts."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from bot.config.fields import (
    Duration,
    Kind,
    Priority,
    SlackChannelId,
    SlackUsergroupId,
    Strict,
    Tag,
    as_list,
    compiled_regex,
)

RISK_CATEGORIES: tuple[str, ...] = (
    "safety", "violence", "security", "privacy", "legal", "regulator", "harassment", "press", "viral",
)
"""The built-in risk categories (the keys of ``triage.categories``), in the order a tie between two
categories of the same priority is broken; the triage lexicon holds the words of each."""

DEFAULT_RISK_PRIORITIES: dict[str, str] = {
    "safety": "urgent", "security": "urgent", "privacy": "urgent", "violence": "urgent",
    "legal": "high", "press": "high", "harassment": "high", "viral": "high", "regulator": "high",
}


class TriageRule(Strict):
    """When every condition given matches an incoming message, the effects apply. Keywords match
    anywhere in the text, case-insensitively (Korean stems too: 환불 matches 환불해 주세요)."""

    keywords: tuple[str, ...] = ()
    regex: str | None = None
    authors: tuple[str, ...] = ()
    """Author ids or handles (e.g. @vogue), case-insensitive."""
    kinds: tuple[Kind, ...] = ()
    rating_at_most: int | None = Field(default=None, ge=1, le=5)
    sentiment: Literal["negative", "neutral", "positive"] | None = None
    priority: Priority | None = None
    tags: tuple[Tag, ...] = ()
    channel: SlackChannelId | None = None
    """Post the conversation in this channel instead of the brand's."""
    quiet: bool = False
    """Needs no answer: counted in the quiet line instead of getting a thread."""

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return compiled_regex(value)

    @model_validator(mode="after")
    def _does_something(self) -> TriageRule:
        if not (self.keywords or self.regex or self.authors or self.kinds or self.rating_at_most or self.sentiment):
            raise ValueError("a rule needs a condition: keywords, regex, authors, kinds, rating_at_most or sentiment")
        if not (self.priority or self.tags or self.channel or self.quiet):
            raise ValueError("a rule needs an effect: priority, tags, channel or quiet")
        return self


class RiskCategory(Strict):
    """What a built-in risk category does to a message that shows it; unset keys keep the default."""

    enabled: bool | None = None
    priority: Priority | None = None
    tag: Tag | None = None
    channel: SlackChannelId | None = None
    """Post the conversation in this channel instead of the brand's."""
    escalate_to: str | None = None
    """An escalation tier: the conversation is posted in the tier's channel."""

    @model_validator(mode="before")
    @classmethod
    def _switch(cls, value: object) -> object:
        """``safety: off`` is short for ``safety: {enabled: false}``."""
        if isinstance(value, bool) or value in ("on", "off"):
            return {"enabled": value in (True, "on")}
        return value


def _known_categories(value: dict[str, RiskCategory]) -> dict[str, RiskCategory]:
    unknown = sorted(set(value) - set(RISK_CATEGORIES))
    if unknown:
        raise ValueError(f"unknown risk category {unknown[0]!r}; use {', '.join(RISK_CATEGORIES)}")
    return value


class Triage(Strict):
    rules: tuple[TriageRule, ...] = ()
    quiet_friend_tags: bool = True
    """A message that only tags other people, asking the brand nothing, gets no thread."""
    categories: Annotated[dict[str, RiskCategory], AfterValidator(_known_categories)] = Field(default_factory=dict)
    """Overrides of the built-in risk categories (safety, legal, press ...), key by key."""


BUILTIN_TRIAGE_RULES = (
    TriageRule(kinds=("review",), rating_at_most=1, priority="urgent"),
    TriageRule(kinds=("review",), rating_at_most=2, priority="high"),
)


class Crisis(Strict):
    """When a brand's message volume or negative share jumps above its usual level: who is alerted,
    how "usual" is measured, and which conversations are grouped in one thread meanwhile."""

    enabled: bool = True
    channel: SlackChannelId | None = None
    """Where alerts go; the brand's own channel when unset."""
    usergroup: SlackUsergroupId | None = None
    window: Duration = timedelta(minutes=30)
    baseline_weeks: int = Field(default=4, ge=1, le=12)
    volume_factor: float = Field(default=3.0, gt=1.0, le=100.0)
    min_messages: int = Field(default=20, ge=1)
    negative_share: float = Field(default=0.5, gt=0.0, le=1.0)
    negative_factor: float = Field(default=2.0, gt=1.0, le=100.0)
    clear_after: Duration = timedelta(hours=1)
    surge_below: Annotated[tuple[Priority, ...], BeforeValidator(as_list)] = ("low",)
    """Priorities whose new conversations are grouped in the surge thread while an alert is open."""

    @field_validator("window")
    @classmethod
    def _window_is_reasonable(cls, value: timedelta) -> timedelta:
        if not timedelta(minutes=1) <= value <= timedelta(days=1):
            raise ValueError("must be between 1m and 1d")
        return value

    @field_validator("clear_after")
    @classmethod
    def _clear_after_is_positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("must be longer than 0s")
        return value
