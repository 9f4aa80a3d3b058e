"""Rules from app.yaml, combined with the built-in assessment (risk categories, sentiment), decide how a
message is handled."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.config import BUILTIN_TRIAGE_RULES, Config, RiskCategory, TriageRule
from bot.config.fields import Priority
from bot.inbound import InboundMessage
from bot.triage.assessment import assess
from bot.triage.risk import RiskSign
from bot.triage.sentiment import Sentiment

PRIORITY_ORDER = ("low", "normal", "high", "urgent")
QUIET_KINDS = ("comment", "mention")
"""DMs and reviews always get a thread: someone wrote to the brand."""

_MENTION = re.compile(r"@[\w.]+")
_QUESTION = re.compile(
    r"\?|？|\b(what|when|where|why|how|who|which|can|could|do|does|did|is|are|will|would|help)\b"
    r"|언제|어디|어떻게|왜|뭐|무엇|얼마|나요|까요|가요|인가|있나|되나|주세요|문의",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    priority: str
    sentiment: Sentiment
    sentiment_score: float
    tags: tuple[str, ...] = ()
    channel: str | None = None
    quiet: str | None = None
    """Why the message needs no thread, or None when it gets one."""
    rules: tuple[int, ...] = field(default=())
    """Which rules matched (their position), for the record."""
    category: str | None = None
    """The built-in risk category the message shows (safety, legal, press ...), if any."""
    evidence: str | None = None
    """The customer's words that show the category."""
    model_probability: float | None = None
    """The trained model's probability for the category, when the model (not the patterns) found it."""
    tentative: bool = False
    """The category is not sure enough for more than ``high`` (see ``RiskSign.tentative``)."""


def rank(priority: str) -> int:
    return PRIORITY_ORDER.index(priority) if priority in PRIORITY_ORDER else 1


def triage(config: Config, brand_id: str, inbound: InboundMessage) -> Verdict:
    assessment = assess(inbound.text)
    mood = assessment.sentiment
    matched = [(index, rule) for index, rule in enumerate(config.triage_rules(brand_id))
               if matches(rule, inbound, mood.label)]
    found = assessment.signs
    if inbound.kind in QUIET_KINDS and any(rule.quiet for _, rule in matched):
        # The team's own spam rule is surer than a model that is not.
        found = tuple(sign for sign in found if not sign.tentative)
    risk = _risk(config, brand_id, found)
    from_rules = [rule.priority for _, rule in matched if rule.priority]
    # A team's own rule that sets a priority wins over the built-in category's.
    team_decides = any(rule.priority and rule not in BUILTIN_TRIAGE_RULES for _, rule in matched)
    if risk is not None and not team_decides:
        from_rules.append(sign_priority(*risk))
    priority = _priority(inbound.priority, from_rules)
    tags: list[str] = []
    for _, rule in matched:
        tags += [tag for tag in rule.tags if tag not in tags]
    channel = next((rule.channel for _, rule in matched if rule.channel), None)
    if risk is not None:
        settings, sign = risk
        if settings.tag and settings.tag not in tags:
            tags.append(settings.tag)
        channel = channel or settings.channel or _tier_channel(config, settings)
    quiet = _quiet(config, brand_id, inbound, [rule for _, rule in matched], priority)
    return Verdict(priority, mood.label, mood.score, tuple(tags), channel, quiet, tuple(i for i, _ in matched),
                   category=risk[1].category if risk else None, evidence=risk[1].evidence if risk else None,
                   model_probability=risk[1].model_probability if risk else None,
                   tentative=risk[1].tentative if risk else False)


def sign_priority(settings: RiskCategory, sign: RiskSign) -> Priority:
    """The category's priority; at most ``high`` when the model found it without being sure."""
    priority: Priority = settings.priority or "normal"
    return "high" if sign.tentative and rank(priority) > rank("high") else priority


def _risk(config: Config, brand_id: str, found: Sequence[RiskSign]) -> tuple[RiskCategory, RiskSign] | None:
    """The most pressing enabled category of those found, with the brand's settings for it."""
    best: tuple[RiskCategory, RiskSign] | None = None
    # A reporter asking about a leak or an injury is press: who writes decides how it is handled.
    press = [sign for sign in found if sign.category == "press" and config.risk_category(brand_id, "press").enabled]
    for sign in press or found:
        settings = config.risk_category(brand_id, sign.category)
        # At the same priority, what the patterns found beats what the model is unsure of.
        more_pressing = best is None or ((rank(sign_priority(settings, sign)), not sign.tentative) >
                                         (rank(sign_priority(*best)), not best[1].tentative))
        if settings.enabled and more_pressing:
            best = settings, sign
    return best


def _tier_channel(config: Config, settings: RiskCategory) -> str | None:
    tier = config.escalation.get(settings.escalate_to) if settings.escalate_to else None
    return tier.slack_channel if tier else None


def matches(rule: TriageRule, inbound: InboundMessage, sentiment: Sentiment) -> bool:
    text = inbound.text.casefold()
    checks = [
        not rule.keywords or any(keyword.casefold() in text for keyword in rule.keywords),
        rule.regex is None or re.search(rule.regex, inbound.text) is not None,
        not rule.authors or _by_author(rule.authors, inbound),
        not rule.kinds or inbound.kind in rule.kinds,
        rule.rating_at_most is None or (inbound.rating is not None and inbound.rating <= rule.rating_at_most),
        rule.sentiment is None or rule.sentiment == sentiment,
    ]
    return all(checks)


def only_tags_friends(text: str) -> bool:
    """Someone tagging people under a post ("@jisoo look!"), asking the brand nothing."""
    if not _MENTION.search(text):
        return False
    rest = _MENTION.sub(" ", text)
    if _QUESTION.search(rest):
        return False
    words = [word for word in re.findall(r"\w+", rest) if not word.isdigit()]
    return len(words) <= 4


def _priority(explicit: str, from_rules: Sequence[str]) -> str:
    """The highest priority a matching rule gives; a priority the sender set is a floor."""
    if not from_rules:
        return explicit
    highest = max(from_rules, key=rank)
    if explicit != "normal" and rank(explicit) > rank(highest):
        return explicit
    return highest


def _quiet(config: Config, brand_id: str, inbound: InboundMessage, matched: list[TriageRule],
           priority: str) -> str | None:
    if inbound.kind not in QUIET_KINDS or rank(priority) >= rank("high"):
        return None
    if any(rule.quiet for rule in matched):
        return "matched a quiet rule"
    # A mention tags the brand itself; only under a post does tagging friends say nothing to the brand.
    if inbound.kind == "comment" and config.quiet_friend_tags(brand_id) and only_tags_friends(inbound.text):
        return "only tags other people"
    return None


def _by_author(authors: tuple[str, ...], inbound: InboundMessage) -> bool:
    known = {inbound.author.id.casefold()}
    if inbound.author.handle:
        known |= {inbound.author.handle.casefold(), inbound.author.handle.casefold().lstrip("@")}
    return any(author.casefold() in known or author.casefold().lstrip("@") in known for author in authors)
