"""Response windows: warn, breach, auto-escalate, each exactly once, across restarts and processes.

Time is a ManualClock handed to the bot; the scan itself runs on APScheduler every 100 ms.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from tests.support.bot import running_bot
from tests.support.config import BOB
from tests.support.sla import fast_config
from tests.support.slack import shown

SEOUL = ZoneInfo("Asia/Seoul")
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def clock():
    return ManualClock(TUESDAY_10)


@pytest.fixture
def sla_bot(database_url, slack_api, receiver, clock):
    with running_bot(database_url, slack_api, fast_config(receiver), clock) as bot:
        yield bot


def thread_texts(bot, parent):
    return [m.text for m in bot.api.thread("C0ACME01", parent.ts)]


def settle(bot, scans: int = 3):
    """Let a few scans run, then let the outbox drain."""
    time.sleep(0.1 * scans + 0.1)
    bot.wait_idle()


def comment(bot, message_id="c1", **extra):
    body = {"id": message_id, "kind": "comment", "author": {"id": "a1", "name": "Kim"}, "text": "Where is my order?"}
    assert bot.webhook({**body, **extra}).status_code == 202
    bot.wait_idle()
    return bot.parent()


def test_warning_before_the_deadline_pings_the_on_duty_group(sla_bot, clock):
    parent = comment(sla_bot)
    clock.advance(timedelta(minutes=44))
    settle(sla_bot)
    assert thread_texts(sla_bot, parent) == []

    clock.advance(timedelta(minutes=2))  # 10:46, the deadline is 11:00, warn_before is 15m

    note = sla_bot.api.wait_for(lambda: thread_texts(sla_bot, parent))[0]
    assert note.startswith(":hourglass_flowing_sand: The reply is due in 14 min")
    assert note.endswith("<!subteam^S0DUTY001>")
    sla_bot.api.wait_for(lambda: "Reply due soon" in shown(sla_bot.parent()))
    settle(sla_bot)
    assert len(thread_texts(sla_bot, parent)) == 1


def test_breach_notes_the_thread_and_messages_the_assignee_then_escalates(sla_bot, clock):
    parent = comment(sla_bot)
    sla_bot.slack.command(BOB, "/social", "assign ACME-1 me", "C0ACME01")
    clock.advance(timedelta(minutes=50))
    settle(sla_bot)

    clock.advance(timedelta(minutes=11))  # 11:01: breached
    sla_bot.api.wait_for(lambda: any("*overdue*" in t for t in thread_texts(sla_bot, parent)))
    breach = [t for t in thread_texts(sla_bot, parent) if "*overdue*" in t]
    assert breach == [breach[0]] and breach[0].endswith(f"<@{BOB}>")
    dm_channel = sla_bot.api.wait_for(lambda: sla_bot.api.calls_to("conversations.open"))[0].response["channel"]["id"]
    dm = sla_bot.api.wait_for(lambda: sla_bot.api.messages(dm_channel))[0]
    assert "*ACME-1*" in dm.text and "overdue" in dm.text
    sla_bot.api.wait_for(lambda: "Overdue" in shown(sla_bot.parent()))
    assert sla_bot.api.messages("C0PR0001") == []

    clock.advance(timedelta(hours=1))  # 12:01: an hour after the breach
    post = sla_bot.api.wait_for(lambda: sla_bot.api.messages("C0PR0001"))[0]
    assert "escalated to *PR team* by socialdesk" in shown(post)
    assert "No reply 1 h after the deadline (automatic)" in shown(post)
    sla_bot.api.wait_for(lambda: "Escalated to PR team" in shown(sla_bot.parent()))

    settle(sla_bot, scans=5)
    assert len(sla_bot.api.messages("C0PR0001")) == 1
    assert len(sla_bot.api.messages(dm_channel)) == 1
    assert sum("*overdue*" in t for t in thread_texts(sla_bot, parent)) == 1


def test_a_reply_before_the_deadline_stops_the_clock(sla_bot, clock, receiver):
    parent = comment(sla_bot)
    sla_bot.slack.command(BOB, "/social", "reply ACME-1 On its way!", "C0ACME01")
    receiver.wait_for(lambda: receiver.deliveries)
    sla_bot.wait_idle()

    clock.advance(timedelta(hours=3))
    settle(sla_bot)

    assert not any("overdue" in t or "due in" in t for t in thread_texts(sla_bot, parent))
    assert sla_bot.api.messages("C0PR0001") == []


def test_a_new_message_after_a_reply_starts_the_next_response_window(sla_bot, clock, receiver):
    parent = comment(sla_bot, conversation_id="c")
    sla_bot.slack.command(BOB, "/social", "reply ACME-1 Checking", "C0ACME01")
    receiver.wait_for(lambda: receiver.deliveries)
    comment(sla_bot, "c2", conversation_id="c")
    clock.advance(timedelta(minutes=61))
    settle(sla_bot)
    assert not any("*overdue*" in t for t in thread_texts(sla_bot, parent))

    clock.advance(timedelta(hours=3))  # next_response falls back to the built-in 4 h

    sla_bot.api.wait_for(lambda: any("*overdue*" in t for t in thread_texts(sla_bot, parent)))


def test_dm_deadlines_count_business_hours_over_the_weekend(database_url, slack_api, receiver):
    friday_17 = ManualClock(datetime(2026, 11, 27, 17, 0, tzinfo=SEOUL))
    with running_bot(database_url, slack_api, fast_config(receiver), friday_17) as bot:
        assert bot.webhook({"id": "d1", "kind": "dm", "author": {"id": "a"}, "text": "hi"}).status_code == 202
        # 2 business hours from Friday 17:00: one on Friday, one on Monday from 09:00.
        assert "2026-11-30 10:00 KST" in shown(bot.parent())


def test_missed_nudges_are_caught_up_once_after_downtime(database_url, slack_api, receiver, clock):
    config = fast_config(receiver)
    with running_bot(database_url, slack_api, config, clock) as bot:
        parent = comment(bot)

    clock.advance(timedelta(hours=2, minutes=30))  # down through warn, breach and escalation

    with running_bot(database_url, slack_api, config, clock) as bot:
        bot.api.wait_for(lambda: bot.api.messages("C0PR0001"))
        settle(bot)
        notes = thread_texts(bot, parent)
    assert sum("*overdue*" in n for n in notes) == 1
    assert not any("due in" in n for n in notes)  # a warning after the deadline would be noise

    with running_bot(database_url, slack_api, config, clock) as bot:
        settle(bot, scans=5)
        assert thread_texts(bot, parent) == notes
        assert len(bot.api.messages("C0PR0001")) == 1


def test_two_processes_on_one_database_send_each_nudge_once(database_url, slack_api, receiver, clock):
    config = fast_config(receiver)
    with running_bot(database_url, slack_api, config, clock) as first, \
            running_bot(database_url, slack_api, config, clock) as second:
        parents = []
        for index in range(8):
            bot = first if index % 2 else second
            assert bot.webhook({"id": f"m{index}", "kind": "comment", "author": {"id": "a"}, "text": "?"}).status_code == 202
        first.wait_idle()
        parents = first.api.wait_for(lambda: len(first.api.messages("C0ACME01")) == 8 and first.api.messages("C0ACME01"))

        clock.advance(timedelta(hours=2, minutes=30))
        first.api.wait_for(lambda: len(first.api.messages("C0PR0001")) == 8, timeout=10)
        settle(first, scans=5)
        second.wait_idle()

    assert len(slack_api.messages("C0PR0001")) == 8
    for parent in parents:
        notes = [m.text for m in slack_api.thread("C0ACME01", parent.ts)]
        assert sum("*overdue*" in n for n in notes) == 1, notes


def test_waiting_on_the_customer_pauses_the_clocks_when_the_brand_chooses(database_url, slack_api, receiver, clock):
    config = fast_config(receiver)
    acme = config.brands["acme"]
    paused_policy = acme.sla["default"].model_copy(update={"pause_while_waiting": True})
    config = config.model_copy(update={"brands": {**config.brands, "acme": acme.model_copy(
        update={"sla": {**acme.sla, "default": paused_policy}})}})
    with running_bot(database_url, slack_api, config, clock) as bot:
        parent = comment(bot, conversation_id="c")
        answer = bot.slack.command(BOB, "/social", "wait ACME-1", "C0ACME01").json()["text"]
        assert answer == "ACME-1 is waiting on the customer."
        bot.api.wait_for(lambda: "Waiting on customer" in shown(bot.parent()))

        clock.advance(timedelta(hours=5))  # far past the 1-hour deadline, but paused
        settle(bot)
        assert thread_texts(bot, parent) == [f"<@{BOB}> marked this as waiting on the customer (response windows paused)"]

        comment(bot, "c2", conversation_id="c")  # the customer answers: the clock resumes, 1 h was left
        bot.api.wait_for(lambda: "Open" in shown(bot.parent()))
        clock.advance(timedelta(minutes=50))
        settle(bot)
        assert not any("*overdue*" in t for t in thread_texts(bot, parent))
        clock.advance(timedelta(minutes=11))
        bot.api.wait_for(lambda: any("*overdue*" in t for t in thread_texts(bot, parent)))


def test_without_the_pause_waiting_keeps_the_clock_running(sla_bot, clock):
    parent = comment(sla_bot)
    sla_bot.slack.command(BOB, "/social", "wait ACME-1", "C0ACME01")
    clock.advance(timedelta(minutes=61))
    sla_bot.api.wait_for(lambda: any("*overdue*" in t for t in thread_texts(sla_bot, parent)))


def test_an_urgent_message_gets_the_urgent_policy(sla_bot, clock):
    parent = comment(sla_bot, priority="urgent")
    assert "Priority: `urgent`" in shown(parent)
    clock.advance(timedelta(minutes=11))  # urgent: 15 min, warned 5 min before
    note = sla_bot.api.wait_for(lambda: thread_texts(sla_bot, parent))[0]
    assert note.startswith(":hourglass_flowing_sand: The reply is due in 4 min")
