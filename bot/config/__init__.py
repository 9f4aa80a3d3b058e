"""app.yaml: the brands, their channels, escalation tiers and message sources.

Every problem is reported as one :class:`ConfigError` line naming the key and what is wrong.
"""

from bot.config.brand import Brand, EscalationTier, Roles, SlackWorkspace
from bot.config.errors import ConfigError
from bot.config.fields import KINDS, PRIORITIES, ROLES, Kind, Priority
from bot.config.loading import load_config, parse_config
from bot.config.model import Config
from bot.config.replies import Approval, AutoReply, FaqRule, ReplyTemplate
from bot.config.running import Delivery, Scheduler
from bot.config.sources import (
    SOURCE_TYPES,
    BlueskySource,
    MastodonSource,
    MetaSource,
    Source,
    WebhookSource,
    YouTubeOAuth,
    YouTubeSource,
)
from bot.config.timing import DEFAULT_SLA, DigestSchedule, Holidays, SlaPolicy, parse_schedule
from bot.config.triage import BUILTIN_TRIAGE_RULES, RISK_CATEGORIES, Crisis, RiskCategory, Triage, TriageRule

__all__ = [
    "BUILTIN_TRIAGE_RULES", "DEFAULT_SLA", "KINDS", "PRIORITIES", "RISK_CATEGORIES", "ROLES", "SOURCE_TYPES",
    "Approval", "AutoReply", "BlueskySource", "Brand", "Config", "ConfigError", "Crisis", "Delivery",
    "DigestSchedule", "EscalationTier", "FaqRule", "Holidays", "Kind", "MastodonSource", "MetaSource", "Priority",
    "ReplyTemplate", "RiskCategory", "Roles", "Scheduler", "SlackWorkspace", "SlaPolicy", "Source", "Triage",
    "TriageRule", "WebhookSource", "YouTubeOAuth", "YouTubeSource", "load_config", "parse_config", "parse_schedule",
]
