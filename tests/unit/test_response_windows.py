"""When a reply is due, computed straight from the configuration with fixed instants: the policy each
message gets (brand, kind, priority, built-in defaults) and the window counted on the brand's calendar.

These are the rules tests/test_sla.py checks end to end through HTTP with a scan every 100 ms.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, SlaPolicy
from tests.support.config import make_config

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


@pytest.fixture(scope="module")
def config() -> Config:
    return make_config("http://127.0.0.1:9/replies")


def first_reply_due(config: Config, kind: str, since: datetime, priority: str = "normal") -> datetime:
    """The deadline the desk sets for a new conversation: the first-response window, on the brand's
    calendar when the policy counts business hours, in elapsed time otherwise."""
    policy = config.sla_policy("acme", kind, priority)
    assert policy.first_response is not None
    if policy.business_hours:
        return config.calendar("acme").add(since, policy.first_response)
    return since + policy.first_response


def test_a_comment_gets_the_brands_default_window_warning_and_escalation(config):
    policy = config.sla_policy("acme", "comment")
    assert (policy.first_response, policy.warn_before, policy.escalate_after, policy.escalate_to) == (
        timedelta(hours=1), timedelta(minutes=15), timedelta(hours=1), "pr")
    due = first_reply_due(config, "comment", seoul(2026, 11, 24, 10, 0))
    assert due == seoul(2026, 11, 24, 11, 0)
    assert due - policy.warn_before == seoul(2026, 11, 24, 10, 45)  # the on-duty group is warned
    assert due + policy.escalate_after == seoul(2026, 11, 24, 12, 0)  # escalated to the PR team


def test_the_next_response_window_falls_back_to_the_built_in_four_hours(config):
    assert config.sla_policy("acme", "comment").next_response == timedelta(hours=4)


def test_an_urgent_message_gets_the_urgent_policy_in_elapsed_time(config):
    policy = config.sla_policy("acme", "comment", "urgent")
    assert (policy.first_response, policy.warn_before) == (timedelta(minutes=15), timedelta(minutes=5))
    # Saturday night: urgent windows do not wait for office hours.
    assert first_reply_due(config, "comment", seoul(2026, 11, 28, 23, 0), "urgent") == seoul(2026, 11, 28, 23, 15)


def test_a_dm_counts_two_business_hours(config):
    assert config.sla_policy("acme", "dm").business_hours is True
    assert first_reply_due(config, "dm", seoul(2026, 11, 17, 10, 0)) == seoul(2026, 11, 17, 12, 0)


def test_a_dm_on_friday_evening_is_due_monday_morning(config):
    # One business hour left on Friday, one more from 09:00 on Monday.
    assert first_reply_due(config, "dm", seoul(2026, 11, 27, 17, 0)) == seoul(2026, 11, 30, 10, 0)


def test_a_dm_written_at_night_is_due_two_hours_after_opening(config):
    assert first_reply_due(config, "dm", seoul(2026, 11, 24, 22, 30)) == seoul(2026, 11, 25, 11, 0)


def test_the_brands_closed_dates_and_public_holidays_do_not_count(config):
    # Wed 30 Dec 17:00: an hour that day; the 31st is closed by app.yaml, 1 Jan is a Korean holiday.
    assert first_reply_due(config, "dm", seoul(2026, 12, 30, 17, 0)) == seoul(2027, 1, 4, 10, 0)


def test_the_brands_calendar_knows_when_the_office_is_open(config):
    calendar = config.calendar("acme")
    assert calendar.is_open(seoul(2026, 11, 30, 9, 0))
    assert not calendar.is_open(seoul(2026, 11, 30, 18, 0))  # closing time is already closed
    assert not calendar.is_open(seoul(2026, 11, 28, 11, 0))  # Saturday
    assert not calendar.is_open(seoul(2026, 12, 31, 11, 0))  # closed by app.yaml


def test_business_time_to_a_first_response_skips_the_weekend(config):
    calendar = config.calendar("acme")
    assert calendar.between(seoul(2026, 11, 27, 17, 30), seoul(2026, 11, 30, 9, 30)) == timedelta(hours=1)
    assert calendar.between(seoul(2026, 11, 30, 9, 30), seoul(2026, 11, 27, 17, 30)) == timedelta(0)


def test_a_brand_without_its_own_table_gets_the_built_in_defaults(config):
    assert config.sla_policy("haneul", "comment") == SlaPolicy(
        first_response=timedelta(hours=1), next_response=timedelta(hours=4), business_hours=False,
        warn_before=timedelta(minutes=15))
    dm = config.sla_policy("haneul", "dm")
    assert (dm.first_response, dm.next_response) == (timedelta(hours=24), timedelta(hours=24))


def test_each_key_comes_from_the_first_layer_that_sets_it(config):
    layered = make_config("http://127.0.0.1:9/replies", "sla: {urgent: {escalate_after: 30m}, dm: {warn_before: 1h}}\n")
    urgent = layered.sla_policy("acme", "comment", "urgent")
    # The brand's urgent entry, then the brand's default, then the top level, then the built-in table.
    assert (urgent.first_response, urgent.warn_before, urgent.escalate_to) == (
        timedelta(minutes=15), timedelta(minutes=5), "pr")
    assert urgent.escalate_after == timedelta(hours=1)  # the brand's default wins over the top level
    dm = layered.sla_policy("acme", "dm")
    assert (dm.first_response, dm.business_hours) == (timedelta(hours=2), True)
    assert dm.warn_before == timedelta(minutes=15)  # the brand's default again
    assert layered.sla_policy("haneul", "dm").warn_before == timedelta(hours=1)  # haneul has no table: top level
