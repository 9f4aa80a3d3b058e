"""The bot steps back once a person answers: automatic replies still waiting are dropped (and noted
in the thread), and later FAQ questions in that conversation get no automatic answer unless the
source's auto_replies block says `after_human: true`."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from tests.support.bot import Bot, customer_message, running_bot
from tests.support.config import ALICE, make_config

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))
AUTO = """
auto_replies:
  acme-hook:
    mode: 'on'
    faq: [{{keywords: [shipping], template: shipping}}]
    once_per_author: 1m
{extra}"""


def auto_config(reply_url: str, extra: str = ""):
    return make_config(reply_url, AUTO.format(extra=extra))


def thread_texts(bot: Bot) -> list[str]:
    return [m.text for m in bot.api.thread("C0ACME01", bot.parent().ts)]


def test_a_teammate_reply_drops_the_auto_reply_still_retrying(database_url, slack_api, receiver):
    clock = ManualClock(MONDAY_10)
    with running_bot(database_url, slack_api, auto_config(receiver.url), clock) as bot:
        receiver.fail_next(503)
        bot.webhook(customer_message(id="m1", conversation_id="c1", text="When does shipping start?"))
        receiver.wait_for(lambda: receiver.requests)  # the first attempt met the 503; a retry is planned
        answer = bot.slack.command(ALICE, "/social", "reply ACME-1 Tracking number: KR123", "C0ACME01").json()
        assert "Sending your reply" in answer["text"]
        clock.advance(timedelta(minutes=5))  # well past the auto-reply's retry
        bot.runtime.worker.wake()
        receiver.wait_for(lambda: receiver.deliveries)
        bot.wait_idle()
        after_the_503 = [request.body["text"] for request in receiver.requests[1:]]
        assert after_the_503 == ["Tracking number: KR123"]
        note = bot.api.wait_for(lambda: [t for t in thread_texts(bot) if "not sent" in t])[0]
    assert "Auto-reply `shipping` not sent" in note and f"<@{ALICE}> answered" in note


def test_after_a_person_answered_an_faq_keyword_gets_no_auto_reply(database_url, slack_api, receiver):
    clock = ManualClock(MONDAY_10)
    with running_bot(database_url, slack_api, auto_config(receiver.url), clock) as bot:
        bot.webhook(customer_message(id="m1", conversation_id="c1", text="Hello, a question"))
        bot.parent()
        bot.slack.command(ALICE, "/social", "reply ACME-1 Hi, how can we help?", "C0ACME01")
        receiver.wait_for(lambda: receiver.deliveries)
        clock.advance(timedelta(hours=2))
        bot.webhook(customer_message(id="m2", conversation_id="c1", text="What about shipping?"))
        bot.wait_idle()
        bot.webhook(customer_message(id="n1", conversation_id="c2", author={"id": "u-2", "name": "Lee"},
                                     text="What about shipping?"))
        receiver.wait_for(lambda: len(receiver.deliveries) == 2)
        bot.wait_idle()
    texts = [delivery.body["text"] for delivery in receiver.deliveries]
    assert texts == ["Hi, how can we help?", "Hi Lee, your order ACME-2 ships today."]  # only the new customer's FAQ answer


def test_after_human_true_keeps_answering_faq_questions(database_url, slack_api, receiver):
    clock = ManualClock(MONDAY_10)
    config = make_config(receiver.url, AUTO.format(extra="").replace("once_per_author: 1m",
                                                                       "once_per_author: 1m\n    after_human: true"))
    with running_bot(database_url, slack_api, config, clock) as bot:
        bot.webhook(customer_message(id="m1", conversation_id="c1", text="Hello, a question"))
        bot.parent()
        bot.slack.command(ALICE, "/social", "reply ACME-1 Hi, how can we help?", "C0ACME01")
        receiver.wait_for(lambda: receiver.deliveries)
        clock.advance(timedelta(hours=2))
        bot.webhook(customer_message(id="m2", conversation_id="c1", text="What about shipping?"))
        receiver.wait_for(lambda: len(receiver.deliveries) == 2)
    assert receiver.deliveries[1].body["text"] == "Hi Kim Minji, your order ACME-1 ships today."


def test_after_human_is_checked(receiver):
    from bot.config import ConfigError

    try:
        make_config(receiver.url, "auto_replies: {acme-hook: {mode: 'on', off_hours: thanks, after_human: maybe}}\n")
    except ConfigError as error:
        assert "auto_replies.acme-hook.after_human" in str(error)
    else:
        raise AssertionError("after_human: maybe was accepted")


def test_an_auto_reply_already_in_flight_arrives_before_the_teammate_reply(database_url, slack_api, receiver):
    clock = ManualClock(MONDAY_10)
    with running_bot(database_url, slack_api, auto_config(receiver.url), clock) as bot:
        receiver.set_delay(1.0)  # the platform is slow: the auto-reply is on its way when Alice answers
        bot.webhook(customer_message(id="m1", conversation_id="c1", text="When does shipping start?"))
        bot.api.wait_for(lambda: in_flight(bot))
        receiver.set_delay(0)
        bot.slack.command(ALICE, "/social", "reply ACME-1 Tracking number: KR123", "C0ACME01")
        receiver.wait_for(lambda: len(receiver.deliveries) == 2, timeout=10)
        bot.wait_idle()
    assert [delivery.body["text"] for delivery in receiver.deliveries] == [
        "Hi Kim Minji, your order ACME-1 ships today.", "Tracking number: KR123"]


def in_flight(bot: Bot) -> bool:
    from sqlalchemy import select

    from storage.models import OutboxJob

    with bot.runtime.db.reading() as session:
        return bool(session.scalar(select(OutboxJob.id).where(
            OutboxJob.kind == "send_reply", OutboxJob.claimed_by.is_not(None), OutboxJob.status == "pending")))
