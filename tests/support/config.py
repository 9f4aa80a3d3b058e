"""The test configuration: tokens, teammates, channels, and the app.yaml every running bot starts from."""

from __future__ import annotations

from bot.config import Config, parse_config
from bot.demo.standins.slack_web_api import SlackStandIn
from bot.settings import Settings

BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "test-signing-secret"
HOOK_SECRET = "acme-hook-secret"
ALICE, BOB, CAROL = "U0ALICE01", "U0BOB0001", "U0CAROL01"
PEOPLE = {ALICE: "Alice Park", BOB: "Bob Lee", CAROL: "Carol Choi"}

CONFIG_TEMPLATE = """
brands:
  acme:
    name: Acme
    ref_prefix: ACME
    slack_channel: C0ACME01
    timezone: Asia/Seoul
    on_duty_usergroup: S0DUTY001
    sla:
      default: {first_response: 1h, warn_before: 15m, escalate_after: 1h, escalate_to: pr}
      dm: {first_response: 2h, business_hours: true}
      urgent: {first_response: 15m, warn_before: 5m}
    business_hours: {mon: "09:00-18:00", tue: "09:00-18:00", wed: "09:00-18:00", thu: "09:00-18:00", fri: "09:00-18:00"}
    holidays: {country: KR, dates: ["2026-12-31"]}
    templates:
      shipping: {title: Shipping delay, text: "Hi {{ author_name }}, your order {{ ref }} ships today."}
      broken: "Dear {{ customer_nickname }}"
  haneul:
    name: Haneul Coffee
    ref_prefix: HNL
    slack_channel: C0HANEUL1
escalation:
  pr: {name: PR team, slack_channel: C0PR0001, usergroup: S0PR0001}
  legal: {name: Legal, slack_channel: C0LEGAL01}
sources:
  acme-hook:
    brand: acme
    type: webhook
    secret_env: ACME_HOOK_SECRET
    reply_url: {reply_url}
    platform: Facebook
    max_reply_length: 500
  haneul-hook:
    brand: haneul
    type: webhook
    secret_env: HANEUL_HOOK_SECRET
    platform: Instagram
scheduler: {scan_interval: 1h}
digest: {schedule: "off"}  # tests of the digest turn it on
delivery: {retry_base: 50ms, retry_max: 1s, max_attempts: 4, poll_interval: 200ms, http_timeout: 2s, channel_pace: 10ms}
templates:
  thanks: "Thanks {{ author_name }}! — {{ agent_first_name }} from {{ brand }}"
  shipping: "Generic shipping text"
"""
# Triage rules in both languages: priority, tags, routing to the PR channel, a quiet filter, leads.
TRIAGE_RULES = """
triage:
  rules:
    - {keywords: [refund, 환불], priority: high, tags: [refund]}
    - {keywords: [lawsuit, 소송, scam, 사기], priority: urgent, tags: [legal]}
    - {authors: ["@vogue_korea"], priority: high, tags: [press], channel: C0PR0001}
    - {regex: "(?i)\\\\bfree followers\\\\b", quiet: true}
    - {keywords: [wholesale, 도매], tags: [lead]}
lead_channel: C0LEGAL01
"""
CHANNELS = {"C0ACME01", "C0HANEUL1", "C0PR0001", "C0LEGAL01"}


def make_config(reply_url: str, extra: str = "") -> Config:
    return parse_config(CONFIG_TEMPLATE.replace("{reply_url}", reply_url) + extra)


def config_with_sources(sources_yaml: str) -> Config:
    """The usual test configuration plus the given sources (YAML lines indented by two spaces)."""
    template = CONFIG_TEMPLATE.replace("{reply_url}", "http://127.0.0.1:9/replies")
    return parse_config(template.replace("\nsources:\n", "\nsources:\n" + sources_yaml.rstrip("\n") + "\n", 1))


def make_settings(database_url: str, api: SlackStandIn,
                  credentials: dict[str, dict[str, str]] | None = None) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.base_url,
        database_url=database_url,
        source_secrets={"acme-hook": HOOK_SECRET, "haneul-hook": "haneul-secret"},
        source_credentials=credentials or {},
    )
