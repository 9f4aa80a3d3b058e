"""Long and markup-heavy customer text reaches Slack within its limits, and the whole of it stays
reachable; what Slack refuses anyway is retried in a shorter form or reported, never dropped."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from sqlalchemy import select

from bot.slack_limits import message_refusal, view_errors
from storage.models import JobStatus, OutboxJob
from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.slack import all_text, button_labels

HTML = "<p>Order & refund</p>\n" * 112


def within_limits(message) -> bool:
    return message_refusal(message.text, message.blocks) is None


def click(bot, message, action_id: str, value: str, channel: str = "C0ACME01"):
    payload = {
        "type": "block_actions", "team": {"id": "T0TEAM001", "domain": "demo"},
        "user": {"id": ALICE, "team_id": "T0TEAM001"}, "api_app_id": "A0SOCIAL01", "token": "legacy",
        "trigger_id": bot.api.issue_trigger(ALICE), "response_url": bot.api.new_response_url(),
        "container": {"type": "message", "message_ts": message.ts, "channel_id": channel},
        "channel": {"id": channel}, "message": message.to_payload(),
        "actions": [{"action_id": action_id, "block_id": "whole_message", "type": "button",
                     "value": value, "action_ts": f"{time.time():.6f}"}],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return bot.slack.post_signed(body, "application/x-www-form-urlencoded")


def button_value(message, action_id: str) -> str:
    return next(element["value"] for block in message.blocks if block["type"] == "actions"
                for element in block["elements"] if element.get("action_id") == action_id)


def test_an_html_snippet_becomes_a_thread_within_slacks_limits(bot):
    assert bot.webhook(customer_message(text=HTML)).status_code == 202
    bot.wait_idle(timeout=10)

    parents = bot.api.messages("C0ACME01")
    assert len(parents) == 1
    parent = parents[0]
    assert within_limits(parent)
    assert "&lt;p&gt;Order &amp; refund&lt;/p&gt;" in all_text(parent.blocks)
    assert "Show the whole message" in button_labels(parent)


def test_the_whole_message_opens_in_a_modal_in_pages(bot):
    text = "".join(f"line {n}: <b>Order</b> & refund 🧑🏽‍💻\n" for n in range(2200))
    assert bot.webhook(customer_message(text=text)).status_code == 202
    bot.wait_idle(timeout=10)
    parent = bot.parent()
    assert within_limits(parent)

    assert click(bot, parent, "show_message", button_value(parent, "show_message")).status_code == 200
    bot.api.wait_for(lambda: bot.api.view_for_user(ALICE), timeout=5)
    shown, pages = "", 0
    view = bot.api.view_for_user(ALICE)
    while True:
        pages += 1
        assert view_errors(view, modal=True) == []
        shown += "".join(block["text"]["text"] for block in view["blocks"]
                         if block.get("block_id", "").startswith("page_text"))
        nexts = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == "whole_message_page_next"]
        if not nexts:
            break
        before = view["hash"]
        payload = {"type": "block_actions", "team": {"id": "T0TEAM001"}, "user": {"id": ALICE, "team_id": "T0TEAM001"},
                   "api_app_id": "A0SOCIAL01", "token": "legacy", "trigger_id": bot.api.issue_trigger(ALICE),
                   "container": {"type": "view", "view_id": view["id"]}, "view": view,
                   "actions": [{"action_id": "whole_message_page_next", "block_id": "pages", "type": "button",
                                "value": nexts[0]["value"], "action_ts": f"{time.time():.6f}"}]}
        answer = bot.slack.post_signed(urlencode({"payload": json.dumps(payload)}).encode(),
                                       "application/x-www-form-urlencoded")
        assert answer.status_code == 200
        bot.api.wait_for(lambda view=view, before=before: bot.api.views[view["id"]]["hash"] != before, timeout=5)
        view = bot.api.views[view["id"]]
    assert pages > 1
    assert shown == text.strip()


def test_a_refused_parent_is_posted_again_as_shorter_plain_text(bot):
    bot.api.fail_next("chat.postMessage", error="invalid_blocks", channel="C0ACME01")
    assert bot.webhook(customer_message(text=HTML)).status_code == 202
    bot.wait_idle(timeout=10)

    parent = bot.parent()
    assert parent.blocks is None
    assert "Order &amp; refund" in parent.text and "ACME-1" in parent.text
    with bot.runtime.db.transaction() as session:
        assert session.scalars(select(OutboxJob.status).where(OutboxJob.kind == "post_parent")).one() == JobStatus.DONE


def test_what_slack_refuses_twice_is_reported_to_the_admins_and_kept_for_attention(bot):
    bot.api.fail_next("chat.postMessage", error="msg_blocks_too_long", channel="C0ACME01", count=2)
    assert bot.webhook(customer_message(id="m1", conversation_id="c1", text=HTML)).status_code == 202
    bot.wait_idle(timeout=10)
    assert bot.webhook(customer_message(id="m2", conversation_id="c1", text="and again")).status_code == 202
    bot.wait_idle(timeout=10)

    notices = [m for m in bot.api.messages("C0ACME01") if "could not be shown" in m.text]
    assert len(notices) == 1  # the follow-up waits with its parent, without a notice of its own
    assert "ACME-1" in notices[0].text and "msg_blocks_too_long" in notices[0].text
    with bot.runtime.db.transaction() as session:
        waiting = dict(session.execute(select(OutboxJob.kind, OutboxJob.status)
                                       .where(OutboxJob.kind.in_(["post_parent", "post_message"]))).all())
    assert waiting == {"post_parent": JobStatus.ATTENTION, "post_message": JobStatus.ATTENTION}
    bot.runtime.worker.publish_home(ALICE)
    home = all_text(bot.api.home_view(ALICE)["blocks"])
    assert "Could not be shown in Slack" in home and "ACME-1" in home


def press_in_view(bot, user: str, view: dict, action_id: str):
    """Press a button inside an open modal, the way Slack sends it."""
    element = next(e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]
                   if e.get("action_id") == action_id)
    payload = {"type": "block_actions", "team": {"id": "T0TEAM001"}, "user": {"id": user, "team_id": "T0TEAM001"},
               "api_app_id": "A0SOCIAL01", "token": "legacy", "trigger_id": bot.api.issue_trigger(user),
               "container": {"type": "view", "view_id": view["id"]}, "view": view,
               "actions": [{"action_id": action_id, "block_id": "whole_message", "type": "button",
                            "value": element["value"], "action_ts": f"{time.time():.6f}"}]}
    return bot.slack.post_signed(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")


def test_a_long_follow_up_and_the_reply_modal_stay_within_limits_and_show_the_whole(bot):
    bot.webhook(customer_message(id="m1", conversation_id="c1", text="short first"))
    bot.wait_idle()
    follow_up = "&lt;" + "<b>Where is my refund & why?</b>\n" * 300
    assert bot.webhook(customer_message(id="m2", conversation_id="c1", text=follow_up)).status_code == 202
    bot.wait_idle(timeout=10)

    parent = bot.parent()
    assert "Show the whole message" not in button_labels(parent)
    [in_thread] = bot.api.thread("C0ACME01", parent.ts)
    assert within_limits(in_thread)
    assert "Show the whole message" in button_labels(in_thread)

    bot.slack.click(ALICE, parent, "reply")
    form = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    assert view_errors(form, modal=True) == []
    assert "&amp;lt;" in all_text(form["blocks"])  # the customer's own "&lt;" stays as they typed it
    assert press_in_view(bot, ALICE, form, "show_message").status_code == 200
    whole = bot.api.wait_for(lambda: (v := bot.api.view_for_user(ALICE)) and v["id"] != form["id"] and v)
    assert bot.api.calls_to("views.push")
    assert "".join(b["text"]["text"] for b in whole["blocks"] if b.get("block_id", "").startswith("page_text")) \
        == follow_up.strip()
