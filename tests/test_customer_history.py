"""The customer's history in the thread: a new conversation from an author the brand has talked
to before says so in its parent, with links to the earlier threads."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.clock import ManualClock
from bot.slack_ui.thread_notes import activity_message
from bot.slack_ui.thread_parent import parent_message
from storage.query_results import CustomerHistory, EarlierConversation
from tests.support.bot import Bot, customer_message, running_bot
from tests.support.config import ALICE, make_config
from tests.support.slack_fuzz import (
    CONFIG, FUZZ, NOW, activity, assert_message_fits, conversation, message, short_text, url,
)

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))
RULES = "triage: {rules: [{keywords: [refund], tags: [refund]}]}\n"
MINJI = {"id": "fb-1001", "name": "Kim Minji", "handle": "@minji"}


def history_line(message) -> str | None:
    blocks = [block for block in message.blocks if block.get("block_id") == "customer_history"]
    return blocks[0]["elements"][0]["text"] if blocks else None


def parent_of(bot: Bot, ref: str, channel: str = "C0ACME01"):
    return bot.api.wait_for(lambda: [m for m in bot.api.messages(channel) if f"*{ref}*" in m.text
                                      or m.text.startswith(ref) or ref in m.text])[-1]


def test_a_returning_customer_gets_a_line_with_links_to_earlier_threads(database_url, slack_api, receiver):
    clock = ManualClock(MONDAY_10)
    with running_bot(database_url, slack_api, make_config(receiver.url, RULES), clock) as bot:
        bot.webhook(customer_message(id="m1", conversation_id="c1", author=MINJI, text="I want a refund"))
        first = parent_of(bot, "ACME-1")
        assert history_line(first) is None  # a first-time customer
        bot.slack.command(ALICE, "/social", "resolve ACME-1", "C0ACME01")
        bot.wait_idle()
        clock.advance(timedelta(days=12))
        bot.webhook(customer_message(id="m2", conversation_id="c2", author=MINJI, text="Hello again"))
        line = bot.api.wait_for(lambda: history_line(parent_of(bot, "ACME-2")))
        bot.webhook(customer_message(id="o1", conversation_id="c3", author={"id": "fb-2002", "name": "Lee"},
                                     text="Hi"))
        other = parent_of(bot, "ACME-3")
        bot.webhook(customer_message(id="h1", conversation_id="h1", author=MINJI, text="Hi Haneul"),
                    source="haneul-hook", secret="haneul-secret")
        other_brand = parent_of(bot, "HNL-1", "C0HANEUL1")
        clock.advance(timedelta(hours=3))
        bot.webhook(customer_message(id="m3", conversation_id="c4", author=MINJI, text="And once more"))
        third = bot.api.wait_for(lambda: history_line(parent_of(bot, "ACME-4")))
        bot.wait_idle()

    permalink = f"/archives/C0ACME01/p{first.ts.replace('.', '')}"
    assert line.startswith(":card_index: 1 earlier conversation, 12 days ago: <")
    assert permalink in line and "|ACME-1> refund, resolved" in line
    assert history_line(other) is None and history_line(other_brand) is None  # same brand, same author only
    assert third.startswith(":card_index: 2 earlier conversations, last 3 hours ago: <")
    assert "|ACME-2>, open" in third and "also <" in third and "|ACME-1>" in third


@FUZZ
@given(tag=short_text, link=url, count=st.integers(1, 10**9))
def test_the_history_line_and_the_drop_note_are_within_slacks_limits(tag, link, count):
    earlier = tuple(EarlierConversation(f"ACME-{n}", status, NOW - timedelta(days=n), link, (tag[:30], tag[::-1][:30]))
                    for n, status in ((99_999, "resolved"), (12, "open"), (3, "escalated")))
    chat = conversation("Kim", link)
    assert_message_fits(parent_message(chat, message("hi", link, "Kim"), CONFIG, NOW, [tag[:30]], ["hide"],
                                       CustomerHistory(count, earlier)))
    dropped = activity("auto_reply_dropped", {"template": tag[:60], "person": "U0ALICE01"})
    assert_message_fits(activity_message(dropped, None, CONFIG))
