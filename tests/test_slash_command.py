"""/social does what the buttons do, by typing; mistakes get a precise ephemeral answer."""

from __future__ import annotations

import pytest

from tests.support.bot import customer_message
from tests.support.config import ALICE, BOB
from tests.support.slack import shown, social


@pytest.fixture
def conversation(bot):
    bot.webhook(customer_message(id="m1", conversation_id="post-1"))
    bot.wait_idle()
    return bot.parent()


def test_reply_by_command_reaches_the_platform_as_plain_text(bot, receiver, conversation):
    answer = social(bot, "reply acme-1 Thanks &amp; sorry! Tracking: <https://track.example/1|track.example/1> &lt;3")

    assert answer == "Sending your reply to ACME-1…"
    delivery = receiver.wait_for(lambda: receiver.deliveries)[0]
    assert delivery.body["text"] == "Thanks & sorry! Tracking: https://track.example/1 <3"
    bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))


def test_assign_by_mention_and_me(bot, conversation):
    assert social(bot, f"assign ACME-1 <@{BOB}|bob>") == f"ACME-1 assigned to <@{BOB}>."
    assert social(bot, "assign ACME-1 me") == f"ACME-1 assigned to <@{ALICE}>."
    assert social(bot, "assign ACME-1 me") == f"ACME-1 is already assigned to <@{ALICE}>."
    bot.wait_idle()
    notes = [m.text for m in bot.api.thread("C0ACME01", conversation.ts)]
    assert notes == [f"<@{ALICE}> assigned <@{BOB}>", f"<@{ALICE}> took this"]


def test_escalate_resolve_reopen_by_command(bot, conversation):
    assert social(bot, "escalate ACME-1 legal They mention a lawyer") == "ACME-1 escalated to Legal."
    bot.api.wait_for(lambda: bot.api.messages("C0LEGAL01"))
    assert social(bot, "resolve ACME-1") == "ACME-1 resolved."
    assert social(bot, "reopen ACME-1") == "ACME-1 reopened."
    bot.api.wait_for(lambda: "Open" in shown(bot.parent()))


def test_note_stays_internal_and_keeps_mentions(bot, receiver, conversation):
    assert social(bot, f"note ACME-1 <@{BOB}> please call them back") == "Note added to ACME-1."
    note = bot.api.wait_for(lambda: bot.api.thread("C0ACME01", conversation.ts))[0]
    assert note.text == f":memo: <@{ALICE}>: <@{BOB}> please call them back"
    bot.wait_idle()
    assert receiver.requests == []


def test_show_gives_status_history_and_a_thread_link(bot, conversation):
    social(bot, "assign ACME-1 me")
    bot.wait_idle()

    answer = social(bot, "show ACME-1")

    assert "*ACME-1*" in answer and "Comment on Facebook" in answer
    assert f"<@{ALICE}> took this" in answer
    assert f"https://socialdesk-demo.slack.com/archives/C0ACME01/p{conversation.ts.replace('.', '')}" in answer


def test_queue_views_list_the_nearest_deadline_first(bot, conversation):
    bot.webhook(customer_message(id="m2", kind="dm", text="DM, due in a day"))
    bot.webhook(customer_message(id="m3", created_at="2026-01-01T00:00:00Z", text="long overdue"))
    bot.wait_idle()
    social(bot, "assign ACME-2 me")

    everything = social(bot, "queue")
    assert everything.index("ACME-3") < everything.index("ACME-1") < everything.index("ACME-2")
    assert "ACME-2" in social(bot, "queue mine") and "ACME-1" not in social(bot, "queue mine")
    assert "ACME-2" not in social(bot, "queue unassigned")
    overdue = social(bot, "queue overdue")
    assert "ACME-3" in overdue and "ACME-2" not in overdue
    assert "nothing waiting" in social(bot, "queue escalated")
    assert social(bot, "queue haneul") == "*Open conversations · Haneul Coffee*: nothing waiting. :tada:"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("frobnicate", "Unknown subcommand `frobnicate`"),
        ("reply", "Say which conversation and what to reply.\nUsage: `/social reply <REF> <text>`"),
        ("reply ACME-99 hello", "No conversation ACME-99; references look like ACME-12."),
        ("assign ACME-1 dana", "`dana` is not a person: mention them with @ or write `me`."),
        ("escalate ACME-1 pr", "Usage: `/social escalate <REF> <tier> <reason>`"),
        ("escalate ACME-1 marketing too loud", "Unknown escalation tier 'marketing' (known: pr, legal)."),
        ("queue nobody", "Unknown brand 'nobody' (known: acme, haneul)."),
        ("queue mine acme extra", "Unexpected `extra`."),
        ("note ACME-1", "Say which conversation and what to note."),
        ("reply ACME-1 " + "x" * 501, "Facebook accepts at most 500 characters; this reply has 501."),
    ],
)
def test_mistakes_get_a_precise_answer_and_change_nothing(bot, receiver, conversation, text, expected):
    assert expected in social(bot, text)
    bot.wait_idle()
    assert bot.api.thread("C0ACME01", conversation.ts) == []
    assert receiver.requests == []


def test_help_lists_every_subcommand(bot):
    answer = social(bot, "help")
    for subcommand in ("reply", "assign", "escalate", "resolve", "reopen", "note", "show", "queue"):
        assert f"/social {subcommand}" in answer
    assert social(bot, "") == answer
