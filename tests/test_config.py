"""A bad app.yaml is reported with the key and the reason, in one line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import ConfigError, parse_config

BRAND = "brands:\n  acme: {name: Acme, ref_prefix: ACME, slack_channel: C0ACME01, timezone: Asia/Seoul}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("brands: {}", "brands: at least one brand is required"),
        ("- a", "expected a mapping with at least a 'brands' key"),
        ("brands: [\n", "line 2: not valid YAML"),
        (BRAND.replace("ACME,", "acme,"), "brands.acme.ref_prefix: 'acme' does not look right"),
        (BRAND.replace("C0ACME01", "'#social'"), "brands.acme.slack_channel: '#social' does not look right: expected a Slack channel id"),
        (BRAND.replace("Asia/Seoul", "Asia/Seol"), "brands.acme.timezone: unknown timezone 'Asia/Seol'"),
        (BRAND.replace("timezone", "colour"), "brands.acme.colour: unknown key"),
        (BRAND + "sources:\n  s: {brand: acm, type: webhook, secret_env: X}", "sources.s.brand: unknown brand 'acm' (known: acme)"),
        (BRAND + "sources:\n  s: {brand: acme, type: telegram, secret_env: X}", "sources.s: unknown source type 'telegram'"),
        (BRAND + "sources:\n  s: {brand: acme, type: telegram, secret_env: X}", "supported: webhook, meta, mastodon, bluesky, youtube"),
        (BRAND + "sources:\n  s: {brand: acme, type: mastodon, instance_url: mastodon.social, token_env: T}",
         "sources.s.instance_url: 'mastodon.social' does not look right: expected an http:// or https:// URL"),
        (BRAND + "sources:\n  s: {brand: acme, type: meta, page_id: '1', app_secret_env: A, verify_token_env: V}",
         "sources.s.page_token_env: required key is missing"),
        (BRAND + "sources:\n  s: {brand: acme, type: meta, page_id: acme, app_secret_env: A, verify_token_env: V, page_token_env: P}",
         "sources.s.page_id: 'acme' does not look right: expected the numeric id of the Facebook Page"),
        (BRAND + "sources:\n  s: {brand: acme, type: youtube, channel_id: UCa-vrCLQHviTOVnEKDOdetQ}",
         "sources.s: set api_key_env (read only) or oauth"),
        (BRAND + "sources:\n  s: {brand: acme, type: bluesky, handle: a.bsky.social, app_password_env: 'my password'}",
         "sources.s.app_password_env: 'my password' does not look right: expected the name of an environment variable"),
        (BRAND + "sla: {default: {first_response: soon}}", "sla.default.first_response: 'soon' is not a duration"),
        (BRAND + "sla: {tweet: {first_response: 1h}}", "sla: unknown kind or priority 'tweet'"),
        (BRAND + "sla: {default: {escalate_to: pr}}", "sla.default.escalate_to: unknown escalation tier 'pr'"),
        (BRAND + "business_hours: {mon: '9-18'}", "business_hours: mon: '9-18' is not a time span"),
        (BRAND + "business_hours: {mond: '09:00-18:00'}", "business_hours: unknown day 'mond'"),
        (BRAND + "holidays: {country: XX}", "holidays: country 'XX' is not known"),
        (BRAND + "digest: {schedule: 'monday 9'}", "digest.schedule: 'monday 9' is not a schedule"),
        (BRAND + "scheduler: {scan_interval: often}", "scheduler.scan_interval: 'often' is not a duration"),
        (BRAND + "slash_command: social", "slash_command: 'social' does not look right: expected a command such as /social"),
    ],
)
def test_errors_name_the_key_and_the_reason(text, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_policies_fall_back_kind_then_default_then_top_level_then_built_in():
    config = parse_config(
        BRAND.replace("timezone: Asia/Seoul}", "timezone: Asia/Seoul, sla: {dm: {first_response: 24h, business_hours: true}}}")
        + "sla: {default: {warn_before: 5m, next_response: 2h}}\n"
    )
    dm = config.sla_policy("acme", "dm")
    assert (dm.first_response, dm.business_hours, dm.warn_before, dm.next_response) == (
        timedelta(hours=24), True, timedelta(minutes=5), timedelta(hours=2))
    comment = config.sla_policy("acme", "comment")
    assert (comment.first_response, comment.business_hours) == (timedelta(hours=1), False)


def test_defaults_work_out_of_the_box():
    config = parse_config(BRAND)
    assert config.scheduler.scan_interval == timedelta(seconds=30)
    assert config.digest_for("acme").days_and_time is not None
    assert config.calendar("acme").hours[0] == ((9 * 60, 18 * 60),)
    assert 5 not in config.calendar("acme").hours  # Saturday closed


def test_platform_sources_have_sensible_defaults():
    config = parse_config(BRAND + """sources:
  fb: {brand: acme, type: meta, page_id: '123', app_secret_env: A, verify_token_env: V, page_token_env: P}
  masto: {brand: acme, type: mastodon, instance_url: 'https://mastodon.social', token_env: T}
  sky: {brand: acme, type: bluesky, handle: acme.bsky.social, app_password_env: B}
  yt: {brand: acme, type: youtube, channel_id: UCa-vrCLQHviTOVnEKDOdetQ, api_key_env: K, poll_interval: 5m}
""")
    fb, masto, sky, yt = (config.sources[key] for key in ("fb", "masto", "sky", "yt"))
    assert (fb.graph_version, fb.api_url) == ("v21.0", "https://graph.facebook.com")
    assert masto.poll_interval == sky.poll_interval == timedelta(seconds=60)
    assert yt.poll_interval == timedelta(minutes=5)
    assert (masto.max_reply_length, sky.service_url) == (500, "https://bsky.social")
    assert fb.env_vars() == {"app_secret": "A", "verify_token": "V", "page_token": "P"}
    assert yt.env_vars() == {"api_key": "K"}


def test_platform_credentials_come_from_the_environment_and_a_missing_one_is_named():
    from bot.settings import source_credentials

    config = parse_config(BRAND + "sources:\n  masto: {brand: acme, type: mastodon, instance_url: 'https://m.example', token_env: MASTO_TOKEN}\n")
    assert source_credentials(config, {"MASTO_TOKEN": "t0k"}) == {"masto": {"token": "t0k"}}
    with pytest.raises(ConfigError) as caught:
        source_credentials(config, {})
    assert "sources.masto: environment variable MASTO_TOKEN (token) is not set" in str(caught.value)
