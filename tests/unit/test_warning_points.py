"""Warnings at several points of a response window, and nudges held back while the brand is closed:
the pure rules, on fixed instants. tests/test_sla_clock.py checks them end to end through Slack."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, SlaPolicy
from bot.domain.deadlines import BREACH, ESCALATE, WARN, Level, levels, superseded
from storage.models import Conversation, Status
from tests.support.config import make_config

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def waiting_since(due: datetime, answered: bool = False) -> Conversation:
    return Conversation(response_due_at=due, resolution_due_at=None, status=Status.OPEN, paused_at=None,
                        first_response_at=seoul(2026, 11, 24, 9, 0) if answered else None)


@pytest.fixture(scope="module")
def calendar():
    return make_config("http://127.0.0.1:9/replies").calendar("acme")


def test_shares_of_the_window_and_times_before_the_deadline_each_make_a_warning():
    policy = SlaPolicy(first_response=timedelta(hours=2), warn_at=["50%", "80%", "10m"])
    planned = levels(waiting_since(seoul(2026, 11, 24, 12, 0)), policy)
    assert [(level.level, level.at) for level in planned] == [
        ("warn@50%", seoul(2026, 11, 24, 11, 0)),
        ("warn@80%", seoul(2026, 11, 24, 11, 36)),
        ("warn@10m", seoul(2026, 11, 24, 11, 50)),
        (BREACH, seoul(2026, 11, 24, 12, 0)),
    ]
    assert {level.kind for level in planned[:3]} == {WARN}


def test_a_share_counts_the_next_response_window_once_the_customer_was_answered():
    policy = SlaPolicy(first_response=timedelta(hours=2), next_response=timedelta(hours=4), warn_at=["50%"])
    planned = levels(waiting_since(seoul(2026, 11, 24, 14, 0), answered=True), policy)
    assert planned[0].at == seoul(2026, 11, 24, 12, 0)


def test_the_single_warn_before_is_the_one_element_case_under_its_old_name():
    policy = SlaPolicy(first_response=timedelta(hours=1), warn_before=timedelta(minutes=15))
    planned = levels(waiting_since(seoul(2026, 11, 24, 11, 0)), policy)
    assert [(level.level, level.at) for level in planned] == [
        (WARN, seoul(2026, 11, 24, 10, 45)), (BREACH, seoul(2026, 11, 24, 11, 0))]


def test_under_business_hours_warnings_count_back_in_open_time(calendar):
    policy = SlaPolicy(first_response=timedelta(hours=2), business_hours=True, warn_at=["50%", "30m"],
                       escalate_after=timedelta(hours=1), escalate_to="pr")
    # Due Wednesday 09:30: an hour of open time before is Tuesday 17:30, half an hour is Wednesday 09:00.
    planned = levels(waiting_since(seoul(2026, 11, 25, 9, 30)), policy, calendar)
    assert [(level.level, level.at) for level in planned] == [
        ("warn@50%", seoul(2026, 11, 24, 17, 30)),
        ("warn@30m", seoul(2026, 11, 25, 9, 0)),
        (BREACH, seoul(2026, 11, 25, 9, 30)),
        (ESCALATE, seoul(2026, 11, 25, 10, 30)),
    ]


def test_the_calendar_counts_back_over_weekends_and_holidays_and_finds_the_next_opening(calendar):
    # Monday 4 January 2027 09:30 less an hour: Friday 1 January (New Year) and Thursday 31 December
    # (a closed date in the test config) are skipped, the weekend too: Wednesday 30 December 17:30.
    assert calendar.subtract(seoul(2027, 1, 4, 9, 30), timedelta(hours=1)) == seoul(2026, 12, 30, 17, 30)
    assert calendar.next_open(seoul(2026, 12, 30, 18, 0)) == seoul(2027, 1, 4, 9, 0)
    assert calendar.next_open(seoul(2026, 11, 24, 10, 0)) == seoul(2026, 11, 24, 10, 0)
    assert calendar.subtract(seoul(2026, 11, 24, 10, 0), timedelta(0)) == seoul(2026, 11, 24, 10, 0)


def test_only_the_latest_of_several_warnings_due_at_once_is_sent():
    due_at = seoul(2026, 11, 24, 12, 0)
    first, second = Level("response", due_at, "warn@50%", seoul(2026, 11, 24, 11, 0)), Level(
        "response", due_at, "warn@30m", seoul(2026, 11, 24, 11, 30))
    breach = Level("response", due_at, BREACH, due_at)
    assert superseded(first, [first, second]) and not superseded(second, [first, second])
    assert superseded(second, [first, second, breach]) and not superseded(breach, [first, second, breach])


def test_an_on_call_group_makes_its_priority_run_round_the_clock():
    config = make_config("http://127.0.0.1:9/replies", "sla: {default: {on_call: {urgent: S0ONCALL1}}}\n")
    from bot.domain.deadlines import Deadlines

    deadlines = Deadlines(config)
    saturday_night = seoul(2026, 11, 28, 23, 0)
    # acme's dm policy counts business hours: a normal DM waits for Monday, an urgent one does not.
    assert deadlines.due("acme", "dm", "normal", saturday_night, first=True) == seoul(2026, 11, 30, 11, 0)
    assert config.sla_policy("acme", "dm", "urgent").on_call_group("urgent") == "S0ONCALL1"
    assert deadlines.due("acme", "dm", "urgent", saturday_night, first=True) == seoul(2026, 11, 28, 23, 15)


@pytest.mark.parametrize(("yaml", "message"), [
    ("warn_at: [120%]", "between 0% and 100%"),
    ("warn_at: [soon]", "write a share of the window like 80% or a time before the deadline like 30m"),
    ("on_call: {critical: S0ONCALL1}", "unknown priority 'critical'"),
    ("on_call: {urgent: oncall}", "S0123ABCD"),
])
def test_a_bad_warning_point_or_on_call_key_is_named_with_the_fix(yaml, message):
    with pytest.raises(ConfigError, match=message):
        make_config("http://127.0.0.1:9/replies", f"sla: {{default: {{{yaml}}}}}\n")
