"""A brand (its channel, voice and rules), its escalation tiers, the Slack workspace and who may do what."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from bot.config.fields import Duration, SlackChannelId, SlackMemberId, SlackUsergroupId, Strict
from bot.config.replies import Approval, Templates
from bot.config.replying import Replying
from bot.config.timing import BusinessHours, DigestSchedule, Holidays, SlaPolicy, SlaTable, check_sla_keys
from bot.config.triage import Crisis, Triage


class Roles(Strict):
    """Who may do what, by Slack user (U...) or user group (S...); each role includes the ones before it."""

    viewer: tuple[SlackMemberId, ...] = ()
    agent: tuple[SlackMemberId, ...] = ()
    approver: tuple[SlackMemberId, ...] = ()
    admin: tuple[SlackMemberId, ...] = ()


class SlackWorkspace(Strict):
    team_id: str | None = Field(default=None, pattern=r"^T[A-Z0-9]{2,}$")
    """When set, requests from any other workspace are refused."""
    usergroup_cache: Duration = timedelta(minutes=5)
    """How long a user group's members are remembered before Slack is asked again."""


class Brand(Strict):
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
    replying: Replying = Field(default_factory=Replying)

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
        return check_sla_keys(value)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class EscalationTier(Strict):
    name: str = Field(min_length=1, max_length=60)
    slack_channel: SlackChannelId
    usergroup: SlackUsergroupId | None = None
