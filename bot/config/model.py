"""The whole of app.yaml, and the settings that apply to one brand once its own keys and the top level's
are merged."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator, model_validator

from bot.business_hours import WEEKDAYS, BusinessCalendar, ClosedDates
from bot.config.brand import Brand, EscalationTier, Roles, SlackWorkspace
from bot.config.errors import KeyPathError
from bot.config.fields import SlackChannelId, Strict
from bot.config.replies import Approval, AutoReply, Templates
from bot.config.running import Delivery, Scheduler
from bot.config.sources import Source
from bot.config.timing import (
    DEFAULT_BUSINESS_HOURS,
    DEFAULT_SLA,
    BusinessHours,
    DigestSchedule,
    Holidays,
    SlaPolicy,
    SlaTable,
    check_business_hours,
    check_sla_keys,
)
from bot.config.triage import BUILTIN_TRIAGE_RULES, DEFAULT_RISK_PRIORITIES, Crisis, RiskCategory, Triage, TriageRule


class Config(Strict):
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
        return check_sla_keys(value)

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
                raise KeyPathError(f"sources.{source_id}.brand", f"unknown brand {source.brand!r} (known: {known})")
        for where, table in [("sla", self.sla)] + [(f"brands.{b}.sla", brand.sla) for b, brand in self.brands.items()]:
            for kind, policy in table.items():
                if policy.escalate_to is not None and policy.escalate_to not in self.escalation:
                    known = ", ".join(self.escalation) or "none configured"
                    raise KeyPathError(f"{where}.{kind}.escalate_to",
                                       f"unknown escalation tier {policy.escalate_to!r} (known: {known})")
        triages = [("triage", self.triage)] + [(f"brands.{b}.triage", brand.triage) for b, brand in self.brands.items()]
        for where, triage in triages:
            for category, settings in (triage.categories.items() if triage else ()):
                if settings.escalate_to is not None and settings.escalate_to not in self.escalation:
                    known = ", ".join(self.escalation) or "none configured"
                    raise KeyPathError(f"{where}.categories.{category}.escalate_to",
                                    f"unknown escalation tier {settings.escalate_to!r} (known: {known})")
        for source_id, auto in self.auto_replies.items():
            if source_id not in self.sources:
                raise KeyPathError(f"auto_replies.{source_id}",
                                   f"unknown source (known: {', '.join(self.sources) or 'none'})")
            brand = self.brands[self.sources[source_id].brand]
            for name in auto.templates():
                if self.templates_dir is None and name not in brand.templates and name not in self.templates:
                    raise KeyPathError(f"auto_replies.{source_id}",
                                       f"unknown template {name!r}; add it under templates:")
        prefixes: dict[str, str] = {}
        for brand_id, brand in self.brands.items():
            if brand.ref_prefix in prefixes:
                other = prefixes[brand.ref_prefix]
                raise KeyPathError(f"brands.{brand_id}.ref_prefix",
                                   f"{brand.ref_prefix!r} is already used by brand {other!r}")
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
            {WEEKDAYS.index(day): spans for day, spans in check_business_hours(hours).items()},
            ClosedDates(closed.country, closed.subdiv, closed.dates),
        )

    def triage_rules(self, brand_id: str) -> tuple[TriageRule, ...]:
        """The brand's rules, then the top level's, then the built-in ones for star ratings."""
        brand = self.brands[brand_id].triage
        return (brand.rules if brand else ()) + self.triage.rules + BUILTIN_TRIAGE_RULES

    def risk_category(self, brand_id: str, category: str) -> RiskCategory:
        """A built-in category's settings, key by key from the brand's triage, the top level's, then
        the defaults; every key is set."""
        merged: dict[str, Any] = {"enabled": True, "priority": DEFAULT_RISK_PRIORITIES[category],
                                  "tag": category}
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


def _first_set(layer: dict[str, SlaPolicy], keys: tuple[str, ...], field: str) -> Any:
    for key in keys:
        policy = layer.get(key)
        if policy is not None and getattr(policy, field) is not None:
            return getattr(policy, field)
    return None
