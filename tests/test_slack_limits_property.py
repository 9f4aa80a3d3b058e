"""Whatever customers, teammates and templates write, every message, update and view the bot builds is
within every Slack limit: checked with the rules the Slack stand-in enforces, and with slack_sdk's own
Block Kit models where they check something."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given

from bot.domain.desk import HomeData, TeamFigures
from bot.slack_limits import MESSAGE_TEXT, text_units
from bot.slack_ui.app_home import home_view
from bot.slack_ui.approvals import approve_edit_modal, drafts_list
from bot.slack_ui.assign_modal import assign_modal
from bot.slack_ui.channel_posts import escalation_post, lead_post, overdue_dm, quiet_line, source_status_message
from bot.slack_ui.command_answers import conversation_summary, quiet_list, templates_list
from bot.slack_ui.crisis import crisis_alert, crisis_all_clear, in_shared_thread
from bot.slack_ui.digest import digest_message
from bot.slack_ui.escalate_modal import escalate_modal
from bot.slack_ui.queue import queue_list
from bot.slack_ui.refused import SHORTENED_LIMIT, shortened, unshown_notice
from bot.slack_ui.reply_modal import reply_modal
from bot.slack_ui.thread_notes import activity_message, thread_message
from bot.slack_ui.thread_parent import parent_message
from bot.slack_ui.track import track_modal
from bot.slack_ui.whole_message import whole_message_modal
from bot.templates import CannedReply
from storage.repositories import QueueEntry

from tests.support.slack_fuzz import (
    CONFIG, FUZZ, NOW, activity, assert_message_fits, assert_view_fits, conversation, customer_text, message,
    reply, short_text, url,
)


@FUZZ
@given(text=customer_text, other=short_text, name=short_text, link=url)
def test_every_message_and_view_is_within_slacks_limits(text, other, name, link):
    chat = conversation(name, link)
    first = message(text, link, name)
    tags = [other[:200], "lead", other[::-1][:200]]

    parent = parent_message(chat, first, CONFIG, NOW, tags, ["hide", "delete", "block"])
    assert_message_fits(parent)
    assert_message_fits(in_shared_thread(chat, parent))
    assert_message_fits(thread_message(chat, first))
    assert_message_fits(lead_post(chat, first, chat.slack_permalink, "U0ALICE01", CONFIG))
    escalated = activity("escalated", {"tier": "pr", "reason": text})
    assert_message_fits(escalation_post(chat, escalated, chat.slack_permalink, CONFIG))

    for action, detail in [
        ("replied", {}), ("auto_replied", {"template": other}), ("auto_reply_preview", {"template": other, "text": text}),
        ("drafted", {}), ("rejected", {"reason": text}), ("reply_failed", {"error": text}),
        ("escalated", {"tier": "pr", "reason": text}), ("noted", {"text": text}), ("tagged", {"tags": tags}),
        ("moderation_failed", {"what": "hide", "error": text}), ("tracked", {"channel": "C0ACME01"}),
    ]:
        for status in ("pending", "draft", "rejected", "sent"):
            built = activity_message(activity(action, detail), reply(text, status, other), CONFIG,
                                               ["U0BOB0001", "S0APPROVE"])
            assert_message_fits(built)
            assert_message_fits(in_shared_thread(chat, built))

    assert_message_fits(quiet_line(other or "Acme", {"matched a quiet rule": 3, other: 2}, "/social"))
    assert_message_fits(digest_message(name, text))
    assert_message_fits(source_status_message("acme-hook", "Facebook", "failed", text, True))
    numbers = {"window_seconds": 900, "raised": ["volume"], "volume": 40, "usual_volume": 3.5, "baseline": other,
               "volume_threshold": 10, "negative_share": 0.6, "negative": 24, "usual_negative_share": 0.1,
               "negative_threshold": 0.4, "top_words": [(other, 5), (text[:500], 4)] * 15, "surge_below": ["low"]}
    assert_message_fits(crisis_alert(name, numbers, [(first, chat)] * 12, "S0PR0001"))
    assert_message_fits(crisis_all_clear(name, numbers, NOW, NOW + timedelta(hours=1)))
    assert_message_fits(unshown_notice("post_parent", chat.ref, other, ["U0ALICE01", "S0ADMIN1"], "/social"))
    for built in (parent, thread_message(chat, first)):
        assert_message_fits(shortened("chat_postMessage", built))
        assert text_units(shortened("chat_update", built)["text"]) <= SHORTENED_LIMIT

    templates = [CannedReply(f"t{index}", other or "title", text[:300]) for index in range(3)]
    assert_view_fits(reply_modal(chat, first, 500, templates, text=text, version=3, notice=text))
    assert_view_fits(approve_edit_modal(chat, reply(text, "draft", other), 500))
    assert_view_fits(track_modal({"acme": name or "Acme", "haneul": other or "Haneul"}, "acme", text,
                                           {"channel": "C1", "ts": "1.1", "text": text[:500]}))
    assert_view_fits(escalate_modal(chat, CONFIG))
    assert_view_fits(assign_modal(chat, "U0ALICE01"))
    page, pages_seen = 0, 0
    while True:
        view = whole_message_modal(chat, first, page)
        assert_view_fits(view)
        pages_seen += 1
        if not any(block.get("block_id") == "pages" and any(e["action_id"].endswith("next") for e in block["elements"])
                   for block in view["blocks"]):
            break
        page += 1
    assert pages_seen <= 3  # 100,000 characters at most come in

    entries = [QueueEntry(f"ACME-{n}", "acme", "comment", "Facebook", name, NOW, None, chat.slack_permalink)
               for n in range(10)]
    figures = TeamFigures(NOW, 3, 2, timedelta(minutes=5), 1, 2)
    home = HomeData("U0ALICE01", entries, entries, entries, figures, NOW,
                    unshown=tuple(("post_parent", f"ACME-{n}", text[:3000]) for n in range(25)))
    assert_view_fits(home_view(home, CONFIG), modal=False)
    assert_view_fits(shortened("views_publish", {"view": home_view(home, CONFIG)})["view"],
                     modal=False)

    for typed in (conversation_summary(chat, [escalated] * 20, CONFIG, tags),
                  queue_list("all", "acme", entries, CONFIG), quiet_list(name, [chat] * 20, {7: text}),
                  drafts_list([(chat, reply(text, "draft", other))] * 20, "/social"),
                  templates_list(name, templates, "/social"), overdue_dm(chat, escalated, CONFIG)):
        assert text_units(typed) <= MESSAGE_TEXT
