"""A message found by hand enters the same workflow through the "Track in social inbox" shortcut."""

from __future__ import annotations

from tests.support.config import ALICE, BOB
from tests.support.slack import button_labels, shown

PASTED = {
    "user": BOB,
    "ts": "1763883000.000200",
    "text": "Saw this on a forum: \"@acme your app lost my order again <!channel>\"",
}


def track(bot, message=PASTED, values=None, channel="C0RANDOM1"):
    assert bot.slack.message_shortcut(ALICE, message, "track_message", channel).status_code == 200
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    return modal, bot.slack.submit(ALICE, modal, values or {"brand": "acme", "kind": "mention", "name": "Forum user"})


def test_tracking_a_message_opens_a_conversation_in_the_brands_channel(bot):
    modal, response = track(bot)

    assert modal["title"]["text"] == "Track conversation"
    answer = response.json()
    assert answer["response_action"] == "update"
    assert "Tracking as *ACME-1*" in answer["view"]["blocks"][0]["text"]["text"]
    parent = bot.parent()
    assert "Mention on Slack" in shown(parent) and "Forum user" in shown(parent)
    assert "&lt;!channel&gt;" in shown(parent)
    assert button_labels(parent) == ["Assign", "Reply", "Escalate", "Resolve"]
    note = bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))[0]
    assert note.text == f"<@{ALICE}> started tracking this from a message in <#C0RANDOM1>"


def test_tracking_the_same_message_twice_points_at_the_first(bot):
    track(bot)
    bot.wait_idle()
    _modal, again = track(bot)
    assert "already tracked as *ACME-1*" in again.json()["view"]["blocks"][0]["text"]["text"]
    bot.wait_idle()
    assert len(bot.api.messages("C0ACME01")) == 1


def test_a_brand_channel_preselects_its_brand_and_reply_explains_what_to_do(bot):
    modal, _ = track(bot, values={"brand": "haneul", "kind": "review"}, channel="C0HANEUL1")
    brand = next(b for b in modal["blocks"] if b["block_id"] == "brand")["element"]["initial_option"]["value"]
    assert brand == "haneul"
    parent = bot.parent("C0HANEUL1")
    assert "Unknown customer" in shown(parent)

    bot.slack.click(ALICE, parent, "reply")
    refusal = bot.api.wait_for(lambda: bot.api.responses)[0]["text"]
    assert refusal == ("HNL-1 was tracked from a Slack message: answer the customer where they wrote, "
                       "then note it in the thread and Resolve.")


def test_a_bad_link_is_refused_in_the_modal(bot):
    _modal, response = track(bot, values={"brand": "acme", "kind": "mention", "url": "ftp://x"})
    assert response.json() == {"response_action": "errors", "errors": {"url": "Use an http:// or https:// link."}}
    bot.wait_idle()
    assert bot.api.messages("C0ACME01") == []


def test_a_very_long_message_still_fits_the_modal(bot):
    long_message = {**PASTED, "ts": "1763883000.000300", "text": "배송이 너무 늦어요 \"따옴표\" " * 600}
    modal, response = track(bot, message=long_message)
    assert len(modal["private_metadata"]) <= 3000
    assert "Tracking as *ACME-1*" in response.json()["view"]["blocks"][0]["text"]["text"]
