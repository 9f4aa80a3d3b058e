"""The whole path, end to end: a customer writes, the team works the thread, the customer gets a reply."""

from __future__ import annotations

import json

from bot.platforms.webhook import SIGNATURE_HEADER, sign
from tests.support.bot import customer_message
from tests.support.config import ALICE, BOB, HOOK_SECRET
from tests.support.slack import button_labels, shown


def test_a_new_comment_becomes_one_parent_message_with_the_four_buttons(bot):
    response = bot.webhook(customer_message(id="c-1"))

    assert response.status_code == 202
    assert response.json() == {"status": "accepted", "ref": "ACME-1"}
    parent = bot.parent()
    text = shown(parent)
    assert "*ACME-1*" in text
    assert "Comment on Facebook" in text
    assert "Kim Minji" in text and "@minji" in text
    assert "주문한 제품이 아직 도착하지 않았어요" in text
    assert "<https://facebook.com/acme/posts/1?comment_id=1001|View original>" in text
    assert "Open" in text and "_unassigned_" in text and "Reply due" in text
    assert button_labels(parent) == ["Assign", "Reply", "Escalate", "Resolve"]
    assert "ACME-1" in parent.text


def test_references_count_per_brand(bot):
    assert bot.webhook(customer_message(id="a1")).json()["ref"] == "ACME-1"
    assert bot.webhook(customer_message(id="a2")).json()["ref"] == "ACME-2"
    haneul = bot.webhook(customer_message(id="h1", kind="review", rating=4), source="haneul-hook", secret="haneul-secret")
    assert haneul.json()["ref"] == "HNL-1"
    review = bot.parent("C0HANEUL1")
    assert "Review on Instagram" in shown(review) and "★★★★☆" in shown(review)


def test_the_same_message_twice_is_stored_and_posted_once(bot):
    body = customer_message(id="dup-1")
    assert bot.webhook(body).status_code == 202
    again = bot.webhook(body)

    assert again.status_code == 202
    assert again.json() == {"status": "duplicate", "ref": "ACME-1"}
    bot.wait_idle()
    assert len(bot.api.calls_to("chat.postMessage")) == 1


def test_later_messages_of_a_conversation_go_into_its_thread(bot):
    bot.webhook(customer_message(id="dm-1", kind="dm", conversation_id="thread-9", text="Hello?"))
    parent = bot.parent()
    bot.webhook(customer_message(id="dm-2", kind="dm", conversation_id="thread-9", text="Anyone there?"))

    bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))
    assert len(bot.api.messages("C0ACME01")) == 1
    [follow_up] = bot.api.thread("C0ACME01", parent.ts)
    assert "Anyone there?" in shown(follow_up)
    assert "Direct message on Facebook" in shown(bot.parent())


def test_assign_opens_a_people_picker_and_notes_who_assigned_whom(bot):
    bot.webhook(customer_message())
    parent = bot.parent()

    assert bot.slack.click(ALICE, parent, "assign").status_code == 200
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    assert modal["blocks"][0]["element"]["type"] == "users_select"
    assert modal["blocks"][0]["element"]["initial_user"] == ALICE
    assert bot.slack.submit(ALICE, modal, {"user": BOB}).status_code == 200

    bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))
    assert bot.api.thread("C0ACME01", parent.ts)[0].text == f"<@{ALICE}> assigned <@{BOB}>"
    bot.api.wait_for(lambda: f"<@{BOB}>" in shown(bot.parent()))
    assert bot.api.calls_to("chat.update")[-1].args["ts"] == parent.ts


def test_taking_it_yourself_is_one_submit(bot):
    bot.webhook(customer_message())
    bot.slack.click(BOB, bot.parent(), "assign")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(BOB))
    bot.slack.submit(BOB, modal, {"user": BOB})

    parent = bot.parent()
    bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))
    assert bot.api.thread("C0ACME01", parent.ts)[0].text == f"<@{BOB}> took this"


def test_reply_reaches_the_platform_signed_and_marks_the_conversation_replied(bot, receiver):
    body = customer_message(id="c-77", conversation_id="post-1")
    bot.webhook(body)
    parent = bot.parent()

    bot.slack.click(ALICE, parent, "reply")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    assert modal["blocks"][-1]["element"]["multiline"] is True
    assert "주문한 제품이" in json.dumps(modal, ensure_ascii=False)
    assert bot.slack.submit(ALICE, modal, {"text": "죄송합니다! 오늘 발송되었어요."}).status_code == 200

    delivery = receiver.wait_for(lambda: receiver.deliveries)[0]
    assert delivery.signature_ok
    assert delivery.headers[SIGNATURE_HEADER.lower()] == sign(HOOK_SECRET, delivery.raw)
    assert set(delivery.body) == {"reply_id", "conversation_id", "in_reply_to", "text", "agent"}
    assert delivery.body["conversation_id"] == "post-1"
    assert delivery.body["in_reply_to"] == "c-77"
    assert delivery.body["text"] == "죄송합니다! 오늘 발송되었어요."

    bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))
    note = bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))[0]
    assert note.text.startswith(f"<@{ALICE}> replied:")
    assert "오늘 발송되었어요" in note.text


def test_a_new_customer_message_reopens_a_replied_conversation(bot, receiver):
    bot.webhook(customer_message(id="x1", conversation_id="conv"))
    bot.slack.click(ALICE, bot.parent(), "reply")
    bot.slack.submit(ALICE, bot.api.wait_for(lambda: bot.api.view_for_user(ALICE)), {"text": "On it!"})
    bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))

    bot.webhook(customer_message(id="x2", conversation_id="conv", text="Still nothing."))

    bot.api.wait_for(lambda: "Open" in shown(bot.parent()))
    assert "Reply due" in shown(bot.parent())


def test_escalate_posts_to_the_tier_channel_with_reason_ping_and_permalink(bot):
    bot.webhook(customer_message(text="I will post this everywhere unless you answer"))
    parent = bot.parent()

    bot.slack.click(ALICE, parent, "escalate")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    bot.slack.submit(ALICE, modal, {"tier": "pr", "text": "Threatens a public campaign"})

    post = bot.api.wait_for(lambda: bot.api.messages("C0PR0001"))[0]
    assert "<!subteam^S0PR0001>" in shown(post)
    assert "Threatens a public campaign" in shown(post)
    assert "ACME-1" in shown(post)
    permalink = f"https://socialdesk-demo.slack.com/archives/C0ACME01/p{parent.ts.replace('.', '')}"
    assert f"<{permalink}|Open the thread>" in shown(post)
    bot.api.wait_for(lambda: "Escalated to PR team" in shown(bot.parent()))
    note = bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))[0]
    assert note.text == f"<@{ALICE}> escalated to *PR team*: Threatens a public campaign"


def test_resolve_closes_and_offers_reopen(bot):
    bot.webhook(customer_message())
    parent = bot.parent()

    bot.slack.click(ALICE, parent, "resolve")

    bot.api.wait_for(lambda: "Resolved" in shown(bot.parent()))
    assert button_labels(bot.parent()) == ["Assign", "Reply", "Escalate", "Reopen"]
    assert bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))[0].text == f"<@{ALICE}> resolved this"
    bot.slack.click(BOB, bot.parent(), "reopen")
    bot.api.wait_for(lambda: "Open" in shown(bot.parent()))


def test_double_click_on_resolve_makes_one_note_and_tells_the_second_clicker(bot):
    bot.webhook(customer_message())
    parent = bot.parent()

    bot.slack.click(ALICE, parent, "resolve")
    bot.slack.click(ALICE, parent, "resolve")
    bot.wait_idle()

    notes = bot.api.thread("C0ACME01", parent.ts)
    assert [note.text for note in notes] == [f"<@{ALICE}> resolved this"]
    # the second clicker is told through response_url, after the ack: wait for it like for a post
    assert bot.api.wait_for(lambda: any("already resolved" in response.get("text", "")
                                        for response in bot.api.responses))


def test_thread_chatter_never_reaches_the_customer(bot, receiver):
    bot.webhook(customer_message())
    parent = bot.parent()
    event = {
        "type": "message",
        "user": ALICE,
        "text": "I think this is the third time they ask, let's call them",
        "ts": "1763883000.000900",
        "thread_ts": parent.ts,
        "channel": "C0ACME01",
        "channel_type": "channel",
        "event_ts": "1763883000.000900",
    }

    assert bot.slack.event(event).status_code == 200
    bot.wait_idle()
    assert receiver.requests == []
