"""What the team answers with: canned reply templates, automatic replies and who must approve a reply."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator, model_validator

from bot.config.fields import Duration, Priority, Strict, compiled_regex, yaml_switch


class ReplyTemplate(Strict):
    text: str = Field(min_length=1, max_length=20_000)
    title: str | None = Field(default=None, max_length=75)


def _template_from_text(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


Templates = Annotated[
    dict[str, Annotated[ReplyTemplate, BeforeValidator(_template_from_text)]], Field(default_factory=dict)
]


class FaqRule(Strict):
    """A question the brand answers the same way every time: its words or pattern, and the template."""

    keywords: tuple[str, ...] = ()
    regex: str | None = None
    template: str

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return compiled_regex(value)

    @model_validator(mode="after")
    def _has_a_question(self) -> FaqRule:
        if not (self.keywords or self.regex):
            raise ValueError("an FAQ rule needs keywords or a regex")
        return self


class AutoReply(Strict):
    """Replies the bot sends by itself for one source. Off by default; dry_run shows in the thread
    what would have been sent without sending it."""

    mode: Annotated[Literal["off", "dry_run", "on"], BeforeValidator(yaml_switch)] = "off"
    faq: tuple[FaqRule, ...] = ()
    off_hours: str | None = None
    """Template sent outside the brand's business hours ("we answer within one business day ...")."""
    unmonitored: str | None = None
    """Template sent to every new conversation of a source nobody watches."""
    once_per_author: Duration = timedelta(hours=24)
    """An author gets at most one automatic reply in this window."""
    after_human: bool = False
    """Whether FAQ answers still go out in a conversation a teammate has answered."""

    def templates(self) -> list[str]:
        return [rule.template for rule in self.faq] + [t for t in (self.off_hours, self.unmonitored) if t]


class Approval(Strict):
    """Replies that need an approver before they reach the customer (seed 004: nothing public
    without the right person's yes). A reply by an approver or admin never waits."""

    roles: tuple[Literal["viewer", "agent"], ...] = ()
    """Replies written by someone whose highest role is one of these."""
    priorities: tuple[Priority, ...] = ()
    """Replies in conversations of these priorities."""
