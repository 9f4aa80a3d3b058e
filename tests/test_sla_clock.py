"""Warnings at several points of a window, each sent once, and nudges that keep office hours unless
an on-call group is set: through the webhook, Slack's stand-in and the real scanner on a ManualClock.

The bot's own scan runs hourly here; each test runs the scanner itself (as a second process would),
so time moves only when the test moves it.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.clock import ManualClock
from bot.config import parse_config
from bot.domain.sla import SlaScanner
from tests.support.bot import Bot, running_bot
from tests.support.config import BOB, CONFIG_TEMPLATE
from tests.support.seoul import seoul
from tests.support.slack import shown

DM_POLICY = "dm: {first_response: 2h, business_hours: true}"
CLOCKED_DM_POLICY = "dm: {first_response: 2h, business_hours: true, warn_at: [50%, 30m], on_call: {urgent: S0ONCALL1}}"


@pytest.fixture
def clock():
    return ManualClock(seoul(2026, 11, 24, 10, 0))  # a Tuesday


@pytest.fixture
def bot(database_url, slack_api, receiver, clock):
    assert DM_POLICY in CONFIG_TEMPLATE
    config = parse_config(CONFIG_TEMPLATE.replace("{reply_url}", receiver.url).replace(DM_POLICY, CLOCKED_DM_POLICY))
    with running_bot(database_url, slack_api, config, clock) as running:
        yield running


def travel(clock: ManualClock, to: datetime) -> None:
    clock.advance(to - clock.now())


def scan(bot: Bot, clock: ManualClock) -> int:
    sent = SlaScanner(bot.runtime.db, bot.config, clock, bot.runtime.desk.notify_effects).scan()
    bot.wait_idle()
    return sent


def direct_message(bot: Bot):
    body = {"id": "d1", "kind": "dm", "author": {"id": "a1", "name": "Kim"}, "text": "Where is my order?"}
    assert bot.webhook(body).status_code == 202
    bot.wait_idle()
    return bot.parent()


def notes(bot: Bot, parent) -> list[str]:
    return [m.text for m in bot.api.thread("C0ACME01", parent.ts)]


def test_each_warning_point_is_sent_once(bot, clock):
    parent = direct_message(bot)  # Tuesday 10:00, due 12:00; warned at 11:00 (50%) and 11:30 (30m before)
    travel(clock, seoul(2026, 11, 24, 10, 59))
    scan(bot, clock)
    assert notes(bot, parent) == []

    travel(clock, seoul(2026, 11, 24, 11, 1))
    scan(bot, clock)
    assert scan(bot, clock) == 0  # the next tick, or another process, finds it sent
    assert [n.split(" (")[0] for n in notes(bot, parent)] == [":hourglass_flowing_sand: The reply is due in 59 min"]

    travel(clock, seoul(2026, 11, 24, 11, 31))
    scan(bot, clock)
    scan(bot, clock)
    assert [n.split(" (")[0] for n in notes(bot, parent)] == [
        ":hourglass_flowing_sand: The reply is due in 59 min", ":hourglass_flowing_sand: The reply is due in 29 min"]
    assert notes(bot, parent)[-1].endswith("<!subteam^S0DUTY001>")


def test_no_escalation_at_night_it_is_sent_when_the_day_opens(bot, clock):
    travel(clock, seoul(2026, 11, 24, 15, 0))
    parent = direct_message(bot)  # due 17:00; escalated an hour later, 18:00, when the office has closed
    travel(clock, seoul(2026, 11, 24, 17, 1))
    scan(bot, clock)
    assert sum("*overdue*" in n for n in notes(bot, parent)) == 1

    for night in (seoul(2026, 11, 24, 18, 1), seoul(2026, 11, 25, 3, 0), seoul(2026, 11, 25, 8, 59)):
        travel(clock, night)
        assert scan(bot, clock) == 0
    assert bot.api.messages("C0PR0001") == []

    travel(clock, seoul(2026, 11, 25, 9, 0))
    scan(bot, clock)
    post = bot.api.wait_for(lambda: bot.api.messages("C0PR0001"))[0]
    assert "No reply 1 h after the deadline (automatic)" in shown(post)
    scan(bot, clock)
    assert len(bot.api.messages("C0PR0001")) == 1


def test_over_a_holiday_weekend_only_the_latest_warning_waits_for_monday(bot, clock):
    travel(clock, seoul(2026, 12, 30, 17, 0))  # Wednesday; 31 December and New Year's Day are closed
    parent = direct_message(bot)  # due Monday 4 January 10:00; warned at 09:00 (50%) and 09:30
    travel(clock, seoul(2026, 12, 31, 12, 0))
    assert scan(bot, clock) == 0

    travel(clock, seoul(2027, 1, 4, 9, 45))  # the scanner was down at 09:00 and 09:30: one warning, the latest
    scan(bot, clock)
    assert [n.split(" (")[0] for n in notes(bot, parent)] == [":hourglass_flowing_sand: The reply is due in 15 min"]


def test_an_urgent_message_pages_the_on_call_group_at_any_hour(bot, clock):
    travel(clock, seoul(2026, 11, 28, 23, 0))  # Saturday night
    parent = direct_message(bot)
    bot.slack.command(BOB, "/social", "triage ACME-1 urgent", "C0ACME01")
    bot.wait_idle()

    travel(clock, seoul(2026, 11, 28, 23, 16))  # urgent: 15 minutes, round the clock
    scan(bot, clock)
    overdue = [n for n in notes(bot, parent) if "*overdue*" in n]
    assert len(overdue) == 1 and overdue[0].endswith("<!subteam^S0ONCALL1>")
    assert not any("due in" in n for n in notes(bot, parent))  # the warnings are stale by now
