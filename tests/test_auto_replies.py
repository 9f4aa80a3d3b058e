"""Automatic replies: FAQ answers and the off-hours notice, once per author, shown in the thread."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from tests.support.bot import Bot, customer_message, running_bot
from tests.support.config import ALICE, make_config
from tests.support.slack import shown

SEOUL = ZoneInfo("Asia/Seoul")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)
SUNDAY_10 = datetime(2026, 11, 22, 10, 0, tzinfo=SEOUL)


def auto_config(reply_url: str, mode: str = "on"):
    return make_config(reply_url, f"""
auto_replies:
  acme-hook:
    mode: {mode}
    faq: [{{keywords: [shipping, 배송], template: shipping}}]
    off_hours: thanks
    once_per_author: 1h
""")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_10)


@pytest.fixture
def auto(database_url, slack_api, receiver, clock) -> Iterator[Bot]:
    with running_bot(database_url, slack_api, auto_config(receiver.url), clock) as bot:
        yield bot


def thread_texts(bot: Bot) -> list[str]:
    return [m.text for m in bot.api.thread("C0ACME01", bot.parent().ts)]


def test_an_faq_question_is_answered_once_and_shown_in_the_thread(auto, receiver):
    auto.webhook(customer_message(id="m1", conversation_id="c1", text="배송 언제 되나요?"))
    receiver.wait_for(lambda: receiver.deliveries)
    body = receiver.deliveries[0].body
    assert body["text"] == "Hi Kim Minji, your order ACME-1 ships today."
    assert body["in_reply_to"] == "m1"
    note = auto.api.wait_for(lambda: [t for t in thread_texts(auto) if "Auto-replied" in t])[0]
    assert "Auto-replied with `shipping`" in note
    auto.wait_idle()
    # the customer still waits for a person: the deadline stands and the conversation is open
    assert "Reply due" in shown(auto.parent()) and "Open" in shown(auto.parent())

    auto.webhook(customer_message(id="m2", conversation_id="c1", text="And shipping to Jeju?"))
    auto.wait_idle()
    assert len(receiver.deliveries) == 1  # once per author per window


def test_the_same_message_delivered_twice_gets_one_auto_reply(auto, receiver):
    body = customer_message(id="dup", text="shipping?")
    auto.webhook(body)
    auto.webhook(body)
    receiver.wait_for(lambda: receiver.deliveries)
    auto.wait_idle()
    assert len(receiver.deliveries) == 1


def test_off_hours_gets_the_notice_and_business_hours_do_not(auto, receiver, clock):
    auto.webhook(customer_message(id="w1", author={"id": "a1", "name": "Lee"}, text="My cup cracked"))
    auto.wait_idle()
    assert receiver.deliveries == []
    clock.advance(SUNDAY_10 - MONDAY_10 + timedelta(days=7))  # next Sunday
    auto.webhook(customer_message(id="w2", author={"id": "a2", "name": "Park"}, text="My cup cracked too"))
    receiver.wait_for(lambda: receiver.deliveries)
    assert receiver.deliveries[0].body["text"].startswith("Thanks Park!")


def test_dry_run_shows_what_would_have_been_sent_and_sends_nothing(database_url, slack_api, receiver, clock):
    with running_bot(database_url, slack_api, auto_config(receiver.url, "dry_run"), clock) as bot:
        bot.webhook(customer_message(text="shipping to Busan?"))
        note = bot.api.wait_for(lambda: [t for t in thread_texts(bot) if "Dry run" in t])[0]
        assert "would have auto-replied with `shipping`" in note
        bot.wait_idle()
    assert receiver.deliveries == []


def test_a_teammate_reply_after_an_auto_reply_is_the_first_response(auto, receiver):
    auto.webhook(customer_message(text="shipping?"))
    receiver.wait_for(lambda: receiver.deliveries)
    auto.slack.click(ALICE, auto.parent(), "reply")
    auto.slack.submit(ALICE, auto.api.wait_for(lambda: auto.api.view_for_user(ALICE)), {"text": "Tracking: KR123"})
    receiver.wait_for(lambda: len(receiver.deliveries) == 2)
    auto.api.wait_for(lambda: "Replied" in shown(auto.parent()))


def test_auto_replies_name_a_missing_template(receiver):
    from bot.config import ConfigError

    with pytest.raises(ConfigError) as error:
        make_config(receiver.url, "auto_replies: {acme-hook: {mode: 'on', off_hours: nope}}\n")
    assert str(error.value) == "app.yaml: auto_replies.acme-hook: unknown template 'nope'; add it under templates:"
