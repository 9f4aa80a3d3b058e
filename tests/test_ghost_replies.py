"""Ghost replies: a submission Slack stops waiting for is never sent behind the teammate's back;
they are told the truth in the thread, and the same text again within a minute is asked about first."""

from __future__ import annotations

import time

from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.slack import open_reply_modal
from tests.support.store import hold_the_conversation, replies


def test_a_reply_that_cannot_be_stored_in_time_is_not_sent_and_the_teammate_is_told(bot, receiver, database_url):
    bot.webhook(customer_message())
    parent = bot.parent()
    modal = open_reply_modal(bot)

    hold_the_conversation(bot, 4.0)
    started = time.monotonic()
    answer = bot.slack.submit(ALICE, modal, {"text": "We are on it"})
    took = time.monotonic() - started

    assert answer.status_code == 200
    if database_url.startswith("postgresql"):
        assert took < 3.0  # only the row is locked: the ack is on time
    told = bot.api.wait_for(lambda: [e for e in bot.api.ephemerals if "not sent" in e["text"]], timeout=8)
    assert told[0]["user"] == ALICE and told[0]["thread_ts"] == parent.ts and "ACME-1" in told[0]["text"]
    time.sleep(2.5)  # the lock is gone: what was waiting for it has run
    bot.wait_idle()
    assert replies(bot) == 0 and receiver.deliveries == []

    again = open_reply_modal(bot)
    assert bot.slack.submit(ALICE, again, {"text": "We are on it"}).status_code == 200
    receiver.wait_for(lambda: receiver.deliveries)
    bot.wait_idle()
    assert [d.body["text"] for d in receiver.deliveries] == ["We are on it"]


def test_a_slash_reply_that_cannot_be_stored_in_time_says_so(bot, receiver, database_url):
    bot.webhook(customer_message())
    bot.parent()
    hold_the_conversation(bot, 4.0)

    started = time.monotonic()
    answer = bot.slack.command(ALICE, "/social", "reply ACME-1 Checking now", "C0ACME01")
    took = time.monotonic() - started

    assert answer.status_code == 200
    if database_url.startswith("postgresql"):
        assert took < 3.0
        assert "not sent" in answer.json()["text"]
    else:  # SQLite: the whole database waits, the ack too; the answer follows through response_url
        bot.api.wait_for(lambda: any("not sent" in r.get("text", "") for r in bot.api.responses), timeout=8)
    time.sleep(2.5)
    bot.wait_idle()
    assert replies(bot) == 0 and receiver.deliveries == []


def test_the_same_reply_again_within_a_minute_is_asked_about_first(bot, receiver):
    bot.webhook(customer_message())
    assert bot.slack.submit(ALICE, open_reply_modal(bot), {"text": "Refund is on its way"}).status_code == 200
    receiver.wait_for(lambda: receiver.deliveries)

    modal = open_reply_modal(bot)
    asked = bot.slack.submit(ALICE, modal, {"text": "Refund is on its way"})
    assert asked.status_code == 200 and asked.json()["response_action"] == "update"
    updated = asked.json()["view"]
    notice = next(b for b in updated["blocks"] if b.get("block_id") == "notice")["elements"][0]["text"]
    assert "You sent this same reply to ACME-1" in notice and "press Send again" in notice
    time.sleep(0.5)
    assert len(receiver.deliveries) == 1

    view = {**modal, **updated, "id": modal["id"]}
    assert bot.slack.submit(ALICE, view, {"text": "Refund is on its way"}).status_code == 200
    receiver.wait_for(lambda: len(receiver.deliveries) == 2)


def test_the_same_slash_reply_again_within_a_minute_is_not_sent_twice(bot, receiver):
    bot.webhook(customer_message())
    bot.parent()
    bot.slack.command(ALICE, "/social", "reply ACME-1 Refund is on its way", "C0ACME01")
    receiver.wait_for(lambda: receiver.deliveries)
    again = bot.slack.command(ALICE, "/social", "reply ACME-1 Refund is on its way", "C0ACME01").json()["text"]
    assert "You sent this same reply to ACME-1" in again and "Nothing was sent now" in again
    time.sleep(0.5)
    bot.wait_idle()
    assert len(receiver.deliveries) == 1
