"""app.yaml: the brands, their channels, escalation tiers and message sources.

Every problem is reported as one :class:`ConfigError` line naming the key and what is wrong.
"""

from __future__ import annotations

import os
import re
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.business_hours import WEEKDAYS, BusinessCalendar, ClosedDates, parse_spans
from bot.durations import parse_duration
from bot.triage import risk_lexicon

KINDS = ("comment", "dm", "mention", "review")
PRIORITIES = ("urgent", "high", "normal", "low")
Kind = Literal["comment", "dm", "mention", "review"]

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
SlackChannelId = Annotated[str, Field(pattern=r"^[CGD][A-Z0-9]{2,}$")]
SlackUsergroupId = Annotated[str, Field(pattern=r"^S[A-Z0-9]{2,}$")]
SlackMemberId = Annotated[str, Field(pattern=r"^[UWS][A-Z0-9]{2,}$")]
ROLES = ("viewer", "agent", "approver", "admin")


class ConfigError(Exception):
    """app.yaml or the environment is not usable; the message is one line for the user."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlaPolicy(_Strict):
    first_response: Duration | None = None
    next_response: Duration | None = None
    resolution: Duration | None = None
    business_hours: bool | None = None
    warn_before: Duration | None = None
    escalate_after: Duration | None = None
    escalate_to: str | None = None
    pause_while_waiting: bool | None = None
    """Stop the clocks while the conversation is waiting on the customer."""


DEFAULT_SLA: dict[str, SlaPolicy] = {
    "default": SlaPolicy(first_response=timedelta(hours=1), next_response=timedelta(hours=4),
                         business_hours=False, warn_before=timedelta(minutes=15)),
    "dm": SlaPolicy(first_response=timedelta(hours=24), next_response=timedelta(hours=24)),
    "review": SlaPolicy(first_response=timedelta(hours=24), next_response=timedelta(hours=24)),
}


def _check_sla_keys(value: dict[str, SlaPolicy]) -> dict[str, SlaPolicy]:
    unknown = sorted(set(value) - {"default", *KINDS, *PRIORITIES})
    if unknown:
        raise ValueError(
            f"unknown kind or priority {unknown[0]!r}; use default, {', '.join(KINDS)} or {', '.join(PRIORITIES)}"
        )
    return value


SlaTable = Annotated[dict[str, SlaPolicy], Field(default_factory=dict)]


def _check_business_hours(value: dict[str, str]) -> dict[str, tuple[tuple[int, int], ...]]:
    unknown = sorted(set(value) - set(WEEKDAYS))
    if unknown:
        raise ValueError(f"unknown day {unknown[0]!r}; use {', '.join(WEEKDAYS)}")
    parsed: dict[str, tuple[tuple[int, int], ...]] = {}
    for day, spans in value.items():
        try:
            parsed[day] = parse_spans(str(spans))
        except ValueError as error:
            raise ValueError(f"{day}: {error}") from None
    return parsed


def _valid_business_hours(value: dict[str, str]) -> dict[str, str]:
    _check_business_hours(value)
    return value


BusinessHours = Annotated[dict[str, str], AfterValidator(_valid_business_hours)]
DEFAULT_BUSINESS_HOURS = {day: "09:00-18:00" for day in WEEKDAYS[:5]}


class Holidays(_Strict):
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    subdiv: str | None = None
    dates: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_country(self) -> Holidays:
        if self.country:
            import holidays

            if self.country not in holidays.list_supported_countries():
                raise ValueError(f"country {self.country!r} is not known to the holidays package")
        return self


class ReplyTemplate(_Strict):
    text: str = Field(min_length=1, max_length=20_000)
    title: str | None = Field(default=None, max_length=75)


def _template_from_text(value: object) -> object:
    return {"text": value} if isinstance(value, str) else value


Templates = Annotated[
    dict[str, Annotated[ReplyTemplate, BeforeValidator(_template_from_text)]], Field(default_factory=dict)
]


class DigestSchedule(_Strict):
    schedule: str = "mon 09:00"
    template: str | None = None
    """A jinja2 file (relative to app.yaml) replacing the built-in digest text."""

    @field_validator("schedule")
    @classmethod
    def _valid(cls, value: str) -> str:
        parse_schedule(value)
        return value

    @property
    def days_and_time(self) -> tuple[tuple[int, ...], time] | None:
        return parse_schedule(self.schedule)


def parse_schedule(text: str) -> tuple[tuple[int, ...], time] | None:
    """``"mon 09:00"``, ``"mon,thu 09:00"`` or ``"daily 08:30"``: weekdays (0 = Monday) and a local
    time; ``"off"`` for no scheduled digest."""
    if text.strip().lower() == "off":
        return None
    match = re.fullmatch(r"\s*([a-z,]+)\s+(\d{1,2}):(\d{2})\s*", text.lower())
    if not match:
        raise ValueError(f"{text!r} is not a schedule; write it like 'mon 09:00', 'daily 08:30' or 'off'")
    names, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r}: the time must be between 00:00 and 23:59")
    if names == "daily":
        return tuple(range(7)), time(hour, minute)
    days = []
    for name in names.split(","):
        if name not in WEEKDAYS:
            raise ValueError(f"{text!r}: unknown day {name!r}; use {', '.join(WEEKDAYS)} or daily")
        days.append(WEEKDAYS.index(name))
    return tuple(sorted(set(days))), time(hour, minute)


Priority = Literal["urgent", "high", "normal", "low"]
Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,29}$")]


class TriageRule(_Strict):
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
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"{value!r} is not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _does_something(self) -> TriageRule:
        if not (self.keywords or self.regex or self.authors or self.kinds or self.rating_at_most or self.sentiment):
            raise ValueError("a rule needs a condition: keywords, regex, authors, kinds, rating_at_most or sentiment")
        if not (self.priority or self.tags or self.channel or self.quiet):
            raise ValueError("a rule needs an effect: priority, tags, channel or quiet")
        return self


RISK_CATEGORIES = risk_lexicon.CATEGORIES


class RiskCategory(_Strict):
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


class Triage(_Strict):
    rules: tuple[TriageRule, ...] = ()
    quiet_friend_tags: bool = True
    """A message that only tags other people, asking the brand nothing, gets no thread."""
    categories: Annotated[dict[str, RiskCategory], AfterValidator(_known_categories)] = Field(default_factory=dict)
    """Overrides of the built-in risk categories (safety, legal, press ...), key by key."""


BUILTIN_TRIAGE_RULES = (
    TriageRule(kinds=("review",), rating_at_most=1, priority="urgent"),
    TriageRule(kinds=("review",), rating_at_most=2, priority="high"),
)


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


class Crisis(_Strict):
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
    surge_below: Annotated[tuple[Priority, ...], BeforeValidator(_as_list)] = ("low",)
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


class Roles(_Strict):
    """Who may do what, by Slack user (U...) or user group (S...); each role includes the ones before it."""

    viewer: tuple[SlackMemberId, ...] = ()
    agent: tuple[SlackMemberId, ...] = ()
    approver: tuple[SlackMemberId, ...] = ()
    admin: tuple[SlackMemberId, ...] = ()


def _yaml_switch(value: object) -> object:
    """YAML reads a bare on/off as true/false."""
    return {True: "on", False: "off"}.get(value, value) if isinstance(value, bool) else value


class FaqRule(_Strict):
    """A question the brand answers the same way every time: its words or pattern, and the template."""

    keywords: tuple[str, ...] = ()
    regex: str | None = None
    template: str

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        return TriageRule._compiles(value)

    @model_validator(mode="after")
    def _has_a_question(self) -> FaqRule:
        if not (self.keywords or self.regex):
            raise ValueError("an FAQ rule needs keywords or a regex")
        return self


class AutoReply(_Strict):
    """Replies the bot sends by itself for one source. Off by default; dry_run shows in the thread
    what would have been sent without sending it."""

    mode: Annotated[Literal["off", "dry_run", "on"], BeforeValidator(_yaml_switch)] = "off"
    faq: tuple[FaqRule, ...] = ()
    off_hours: str | None = None
    """Template sent outside the brand's business hours ("we answer within one business day ...")."""
    unmonitored: str | None = None
    """Template sent to every new conversation of a source nobody watches."""
    once_per_author: Duration = timedelta(hours=24)
    """An author gets at most one automatic reply in this window."""

    def templates(self) -> list[str]:
        return [rule.template for rule in self.faq] + [t for t in (self.off_hours, self.unmonitored) if t]


class Approval(_Strict):
    """Replies that need an approver before they reach the customer (seed 004: nothing public
    without the right person's yes). A reply by an approver or admin never waits."""

    roles: tuple[Literal["viewer", "agent"], ...] = ()
    """Replies written by someone whose highest role is one of these."""
    priorities: tuple[Priority, ...] = ()
    """Replies in conversations of these priorities."""


class SlackWorkspace(_Strict):
    team_id: str | None = Field(default=None, pattern=r"^T[A-Z0-9]{2,}$")
    """When set, requests from any other workspace are refused."""
    usergroup_cache: Duration = timedelta(minutes=5)
    """How long a user group's members are remembered before Slack is asked again."""


class Brand(_Strict):
    name: str = Field(min_length=1, max_length=80)
    ref_prefix: str = Field(pattern=r"^[A-Z][A-Z0-9]{0,9}$")
    slack_channel: SlackChannelId
    timezone: str = "UTC"
    sla: SlaTable
    templates: Templates
    on_duty_usergroup: SlackUsergroupId | None = None
    roles: Roles | None = None
    triage: Triage | None = None
    lead_channel: SlackChannelId | None = None
    """Where conversations tagged `lead` are handed to sales."""
    approval: Approval | None = None
    crisis: Crisis | None = None
    crisis_channel: SlackChannelId | None = None
    """Turns crisis alerts on for the brand (with the defaults) and sends them here."""
    digest: DigestSchedule | None = None
    business_hours: BusinessHours | None = None
    holidays: Holidays | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}; use an IANA name like Asia/Seoul") from None
        return value

    @field_validator("sla")
    @classmethod
    def _sla_kinds(cls, value: dict[str, SlaPolicy]) -> dict[str, SlaPolicy]:
        return _check_sla_keys(value)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class EscalationTier(_Strict):
    name: str = Field(min_length=1, max_length=60)
    slack_channel: SlackChannelId
    usergroup: SlackUsergroupId | None = None


class WebhookSource(_Strict):
    brand: str
    type: Literal["webhook"]
    secret_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    reply_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    platform: str = Field(default="Webhook", min_length=1, max_length=40)
    max_reply_length: int = Field(default=5000, ge=1, le=100_000)

    def env_vars(self) -> dict[str, str]:
        return {"secret": self.secret_env}


EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
BaseUrl = Annotated[str, Field(pattern=r"^https?://\S+$")]
PollInterval = Annotated[timedelta, BeforeValidator(parse_duration), Field(ge=timedelta(milliseconds=100))]
DEFAULT_POLL_INTERVAL = timedelta(seconds=60)


class MetaSource(_Strict):
    """A Facebook Page (comments, Messenger) and its linked Instagram account (comments, DMs)."""

    brand: str
    type: Literal["meta"]
    page_id: str = Field(pattern=r"^[0-9]{1,40}$")
    instagram_account_id: str | None = Field(default=None, pattern=r"^[0-9]{1,40}$")
    app_secret_env: EnvName
    verify_token_env: EnvName
    page_token_env: EnvName
    graph_version: str = Field(default="v21.0", pattern=r"^v[0-9]+\.[0-9]+$")
    api_url: BaseUrl = "https://graph.facebook.com"
    platform: str = Field(default="Facebook", min_length=1, max_length=40)
    max_reply_length: int = Field(default=2000, ge=1, le=8000)

    def env_vars(self) -> dict[str, str]:
        return {"app_secret": self.app_secret_env, "verify_token": self.verify_token_env,
                "page_token": self.page_token_env}


class MastodonSource(_Strict):
    brand: str
    type: Literal["mastodon"]
    instance_url: BaseUrl
    token_env: EnvName
    poll_interval: PollInterval = DEFAULT_POLL_INTERVAL
    platform: str = Field(default="Mastodon", min_length=1, max_length=40)
    max_reply_length: int = Field(default=500, ge=1, le=100_000)

    def env_vars(self) -> dict[str, str]:
        return {"token": self.token_env}


class BlueskySource(_Strict):
    brand: str
    type: Literal["bluesky"]
    handle: str = Field(pattern=r"^[A-Za-z0-9.-]{3,253}$|^did:[a-z]+:\S+$")
    app_password_env: EnvName
    service_url: BaseUrl = "https://bsky.social"
    poll_interval: PollInterval = DEFAULT_POLL_INTERVAL
    platform: str = Field(default="Bluesky", min_length=1, max_length=40)

    def env_vars(self) -> dict[str, str]:
        return {"app_password": self.app_password_env}


class YouTubeOAuth(_Strict):
    client_id_env: EnvName
    client_secret_env: EnvName
    refresh_token_env: EnvName


class YouTubeSource(_Strict):
    brand: str
    type: Literal["youtube"]
    channel_id: str = Field(pattern=r"^UC[A-Za-z0-9_-]{22}$")
    api_key_env: EnvName | None = None
    oauth: YouTubeOAuth | None = None
    api_url: BaseUrl = "https://www.googleapis.com/youtube/v3"
    token_url: BaseUrl = "https://oauth2.googleapis.com/token"
    poll_interval: PollInterval = DEFAULT_POLL_INTERVAL
    platform: str = Field(default="YouTube", min_length=1, max_length=40)
    max_reply_length: int = Field(default=10_000, ge=1, le=10_000)

    @model_validator(mode="after")
    def _has_credentials(self) -> YouTubeSource:
        if self.api_key_env is None and self.oauth is None:
            raise ValueError("set api_key_env (read only) or oauth (needed to reply and moderate)")
        return self

    def env_vars(self) -> dict[str, str]:
        names = {"api_key": self.api_key_env} if self.api_key_env else {}
        if self.oauth is not None:
            names |= {"client_id": self.oauth.client_id_env, "client_secret": self.oauth.client_secret_env,
                      "refresh_token": self.oauth.refresh_token_env}
        return names


SOURCE_TYPES = ("webhook", "meta", "mastodon", "bluesky", "youtube")
PollingSource = MastodonSource | BlueskySource | YouTubeSource
Source = Annotated[
    WebhookSource | MetaSource | MastodonSource | BlueskySource | YouTubeSource, Field(discriminator="type")
]


class Delivery(_Strict):
    """How the outbox retries effects towards Slack and the platforms."""

    retry_base: Duration = timedelta(seconds=2)
    retry_max: Duration = timedelta(minutes=5)
    max_attempts: int = Field(default=8, ge=1, le=100)
    poll_interval: Duration = timedelta(seconds=5)
    http_timeout: Duration = timedelta(seconds=10)
    channel_pace: Duration = timedelta(seconds=1)
    """Slack asks for at most one message per second per channel."""
    lease: Duration = timedelta(minutes=2)
    """How long a worker holds a job; a job of a worker that died is taken over after this. The worker
    holds it longer when the job's worst case (each of its Slack calls taking http_timeout) needs it."""

    @model_validator(mode="after")
    def _lease_outlasts_a_call(self) -> Delivery:
        if self.lease < 2 * self.http_timeout:
            raise _KeyError("delivery.lease", "must be at least twice http_timeout, or a slow call could be "
                            "taken over by another worker and done twice")
        return self


class Scheduler(_Strict):
    scan_interval: Duration = timedelta(seconds=30)


class Config(_Strict):
    brands: dict[str, Brand] = Field(min_length=1)
    scheduler: Scheduler = Field(default_factory=Scheduler)
    digest: DigestSchedule = Field(default_factory=DigestSchedule)
    business_hours: BusinessHours | None = None
    holidays: Holidays | None = None
    escalation: dict[str, EscalationTier] = Field(default_factory=dict)
    sources: dict[str, Source] = Field(default_factory=dict)
    sla: SlaTable
    templates: Templates
    templates_dir: str | None = None
    slash_command: str = Field(default="/social", pattern=r"^/[a-z0-9_-]{1,31}$")
    slack: SlackWorkspace = Field(default_factory=SlackWorkspace)
    triage: Triage = Field(default_factory=Triage)
    lead_channel: SlackChannelId | None = None
    approval: Approval = Field(default_factory=Approval)
    auto_replies: dict[str, AutoReply] = Field(default_factory=dict)
    """Automatic replies by source id."""
    roles: Roles | None = None
    """Roles for every brand that has none of its own; with none anywhere, everyone may do everything."""
    delivery: Delivery = Field(default_factory=Delivery)
    crisis: Crisis | None = None
    """Crisis alerts for every brand (a brand's own `crisis:` keys win, `enabled: false` opts out)."""

    @field_validator("sla")
    @classmethod
    def _sla_kinds(cls, value: dict[str, SlaPolicy]) -> dict[str, SlaPolicy]:
        return _check_sla_keys(value)

    @field_validator("brands", "escalation", "sources")
    @classmethod
    def _ids_are_slugs(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", key):
                raise ValueError(f"{key!r} is not a valid id; use lowercase letters, digits, - and _")
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> Config:
        for source_id, source in self.sources.items():
            if source.brand not in self.brands:
                known = ", ".join(self.brands)
                raise _KeyError(f"sources.{source_id}.brand", f"unknown brand {source.brand!r} (known: {known})")
        for where, table in [("sla", self.sla)] + [(f"brands.{b}.sla", brand.sla) for b, brand in self.brands.items()]:
            for kind, policy in table.items():
                if policy.escalate_to is not None and policy.escalate_to not in self.escalation:
                    known = ", ".join(self.escalation) or "none configured"
                    raise _KeyError(f"{where}.{kind}.escalate_to", f"unknown escalation tier {policy.escalate_to!r} (known: {known})")
        triages = [("triage", self.triage)] + [(f"brands.{b}.triage", brand.triage) for b, brand in self.brands.items()]
        for where, triage in triages:
            for category, settings in (triage.categories.items() if triage else ()):
                if settings.escalate_to is not None and settings.escalate_to not in self.escalation:
                    known = ", ".join(self.escalation) or "none configured"
                    raise _KeyError(f"{where}.categories.{category}.escalate_to",
                                    f"unknown escalation tier {settings.escalate_to!r} (known: {known})")
        for source_id, auto in self.auto_replies.items():
            if source_id not in self.sources:
                raise _KeyError(f"auto_replies.{source_id}", f"unknown source (known: {', '.join(self.sources) or 'none'})")
            brand = self.brands[self.sources[source_id].brand]
            for name in auto.templates():
                if self.templates_dir is None and name not in brand.templates and name not in self.templates:
                    raise _KeyError(f"auto_replies.{source_id}", f"unknown template {name!r}; add it under templates:")
        prefixes: dict[str, str] = {}
        for brand_id, brand in self.brands.items():
            if brand.ref_prefix in prefixes:
                other = prefixes[brand.ref_prefix]
                raise _KeyError(f"brands.{brand_id}.ref_prefix", f"{brand.ref_prefix!r} is already used by brand {other!r}")
            prefixes[brand.ref_prefix] = brand_id
        return self

    def sla_policy(self, brand_id: str, kind: str, priority: str = "normal") -> SlaPolicy:
        """Each key from the first layer that sets it: the brand's table (by priority, then kind,
        then default), the top level's table likewise, then the built-in defaults."""
        layers = [self.brands[brand_id].sla, self.sla, DEFAULT_SLA]
        merged: dict[str, Any] = {}
        for field in SlaPolicy.model_fields:
            for layer in layers:
                value = _first_set(layer, (priority, kind, "default"), field)
                if value is not None:
                    merged[field] = value
                    break
        return SlaPolicy(**merged)

    def calendar(self, brand_id: str) -> BusinessCalendar:
        """The brand's business hours and closed days (its own, else the top level's, else Mon-Fri 9-18)."""
        brand = self.brands[brand_id]
        hours = brand.business_hours or self.business_hours or DEFAULT_BUSINESS_HOURS
        closed = brand.holidays or self.holidays or Holidays()
        return BusinessCalendar(
            brand.zone,
            {WEEKDAYS.index(day): spans for day, spans in _check_business_hours(hours).items()},
            ClosedDates(closed.country, closed.subdiv, closed.dates),
        )

    def triage_rules(self, brand_id: str) -> tuple[TriageRule, ...]:
        """The brand's rules, then the top level's, then the built-in ones for star ratings."""
        brand = self.brands[brand_id].triage
        return (brand.rules if brand else ()) + self.triage.rules + BUILTIN_TRIAGE_RULES

    def risk_category(self, brand_id: str, category: str) -> RiskCategory:
        """A built-in category's settings, key by key from the brand's triage, the top level's, then
        the defaults; every key is set."""
        merged: dict[str, Any] = {"enabled": True, "priority": risk_lexicon.DEFAULT_PRIORITIES[category], "tag": category}
        brand = self.brands[brand_id].triage
        for layer in (self.triage, brand):
            settings = layer.categories.get(category) if layer else None
            if settings is not None:
                merged |= {key: getattr(settings, key) for key in settings.model_fields_set}
        return RiskCategory(**merged)

    def approval_for(self, brand_id: str) -> Approval:
        return self.brands[brand_id].approval or self.approval

    def lead_channel_for(self, brand_id: str) -> str | None:
        return self.brands[brand_id].lead_channel or self.lead_channel

    def quiet_friend_tags(self, brand_id: str) -> bool:
        brand = self.brands[brand_id].triage
        return brand.quiet_friend_tags if brand else self.triage.quiet_friend_tags

    def roles_for(self, brand_id: str) -> Roles | None:
        return self.brands[brand_id].roles or self.roles

    def crisis_for(self, brand_id: str) -> Crisis | None:
        """The brand's crisis settings, key by key from the brand's `crisis:`, its `crisis_channel`,
        the top level's `crisis:`, then the defaults; None when alerts are off for the brand."""
        brand = self.brands[brand_id]
        if brand.crisis is None and brand.crisis_channel is None and self.crisis is None:
            return None
        merged: dict[str, Any] = {}
        if self.crisis is not None:
            merged |= {key: getattr(self.crisis, key) for key in self.crisis.model_fields_set}
        if brand.crisis_channel is not None:
            merged["channel"] = brand.crisis_channel
        if brand.crisis is not None:
            merged |= {key: getattr(brand.crisis, key) for key in brand.crisis.model_fields_set}
        settings = Crisis().model_copy(update=merged)
        if not settings.enabled:
            return None
        return settings if settings.channel else settings.model_copy(update={"channel": brand.slack_channel})

    def digest_for(self, brand_id: str) -> DigestSchedule:
        return self.brands[brand_id].digest or self.digest

    def brand_for_prefix(self, prefix: str) -> str | None:
        for brand_id, brand in self.brands.items():
            if brand.ref_prefix == prefix.upper():
                return brand_id
        return None


def _first_set(layer: dict[str, SlaPolicy], keys: tuple[str, ...], field: str) -> Any:
    for key in keys:
        policy = layer.get(key)
        if policy is not None and getattr(policy, field) is not None:
            return getattr(policy, field)
    return None


class _KeyError(ValueError):
    """A cross-reference problem that knows its own key path."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


def load_config(path: str | os.PathLike[str]) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: file not found; run `socialdesk init` to write a commented starter app.yaml here, "
            "or set SOCIALDESK_CONFIG"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    return parse_config(text, str(path))


def parse_config(text: str, origin: str = "app.yaml") -> Config:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{origin}:{where}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a mapping with at least a 'brands' key")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{origin}: {_describe(exc)}") from None


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, _KeyError):
        return f"{cause.key}: {cause.reason}"
    key = ".".join(str(part) for part in error["loc"] if not _is_union_tag(part))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "required key is missing"
    elif error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling against the example app.yaml)"
    elif error["type"] == "string_pattern_mismatch":
        message = f"{error['input']!r} does not look right: {_pattern_hint(key)}"
    elif error["type"] == "string_type" and type(error["input"]) in (int, float):
        # page_id: 123 is read by YAML as a number; an id must keep every digit as written.
        message = f"{error['input']} is a number here; quote it: {key.rsplit('.', 1)[-1]}: \"{error['input']}\""
    elif error["type"] == "too_short" and key == "brands":
        message = "at least one brand is required"
    elif error["type"] == "union_tag_invalid":
        message = f"unknown source type {error['input'].get('type')!r}; supported: {', '.join(SOURCE_TYPES)}"
    return f"{key or 'top level'}: {message}"


def _is_union_tag(part: object) -> bool:
    return part in SOURCE_TYPES


def _pattern_hint(key: str) -> str:
    parts = key.split(".")
    if len(parts) >= 3 and parts[-3] == "roles" and parts[-1].isdigit():
        return "expected a Slack user id such as U0123ABCD or a user group id such as S0123ABCD"
    last = parts[-1]
    if last.endswith("_env"):
        return "expected the name of an environment variable, e.g. ACME_HOOK_SECRET"
    if last.endswith("_url"):
        return "expected an http:// or https:// URL"
    hints = {
        "slack_channel": "expected a Slack channel id such as C0123ABCD (not a #name)",
        "channel": "expected a Slack channel id such as C0123ABCD (not a #name)",
        "crisis_channel": "expected a Slack channel id such as C0123ABCD (not a #name)",
        "usergroup": "expected a Slack user group id such as S0123ABCD",
        "ref_prefix": "expected 1-10 capital letters or digits, starting with a letter, e.g. ACME",
        "secret_env": "expected the name of an environment variable, e.g. ACME_HOOK_SECRET",
        "reply_url": "expected an http:// or https:// URL",
        "page_id": "expected the numeric id of the Facebook Page",
        "instagram_account_id": "expected the numeric id of the Instagram professional account",
        "graph_version": "expected a Graph API version such as v21.0",
        "channel_id": "expected a YouTube channel id such as UCa-vrCLQHviTOVnEKDOdetQ",
        "handle": "expected a Bluesky handle such as acme.bsky.social",
        "slash_command": "expected a command such as /social",
        "team_id": "expected a Slack workspace id such as T0123ABCD",
    }
    return hints.get(last, "see the example app.yaml")
