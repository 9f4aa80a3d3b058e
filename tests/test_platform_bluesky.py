"""Bluesky: mentions and replies polled from notifications; replies posted with root and parent refs."""

from __future__ import annotations

import pytest

from bot.demo.standins.bluesky_xrpc import BlueskyStandIn
from tests.support.config import ALICE, BOB
from tests.support.platforms.bluesky import APP_PASSWORD, HANDLE, start
from tests.support.slack import open_reply_modal, reply_in_slack, shown
from tests.support.store import stored_messages


@pytest.fixture
def bluesky():
    with BlueskyStandIn(HANDLE, APP_PASSWORD) as stand_in:
        yield stand_in


def created_records(bluesky):
    return [r.json for r in bluesky.requests_to("POST", "/xrpc/com.atproto.repo.createRecord")]


def test_a_mention_becomes_a_thread_and_the_reply_names_it_as_root_and_parent(database_url, slack_api, bluesky):
    post = bluesky.customer_post("is the store open on Sunday?")
    with start(database_url, slack_api, bluesky) as bot:
        assert bot.runtime.pollers["acme-bsky"].tick() == 1
        text = shown(bot.parent())
        assert "Mention on Bluesky" in text and "@minji.bsky.social" in text
        assert f"@{HANDLE} is the store open on Sunday?" in text

        reply_in_slack(bot, "Yes, 10 to 4!")

        [sent] = bluesky.wait_for(lambda: created_records(bluesky))
        record = sent["record"]
        assert sent["repo"] == bluesky.did and sent["collection"] == "app.bsky.feed.post"
        assert record["$type"] == "app.bsky.feed.post" and record["text"] == "Yes, 10 to 4!"
        assert record["createdAt"].endswith("Z")
        ref = {"uri": post["uri"], "cid": post["cid"]}
        assert record["reply"] == {"root": ref, "parent": ref}
        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))


def test_a_reply_deep_in_a_thread_keeps_the_thread_root(database_url, slack_api, bluesky):
    ours = bluesky.own_post("New autumn menu is out!")
    theirs = bluesky.customer_post("Any vegan options?", reply_to=ours)
    with start(database_url, slack_api, bluesky) as bot:
        bot.runtime.pollers["acme-bsky"].tick()
        assert "Comment on Bluesky" in shown(bot.parent())

        reply_in_slack(bot, "Three of them!")

        [sent] = bluesky.wait_for(lambda: created_records(bluesky))
        assert sent["record"]["reply"] == {"root": {"uri": ours["uri"], "cid": ours["cid"]},
                                           "parent": {"uri": theirs["uri"], "cid": theirs["cid"]}}


def test_an_expired_access_token_is_refreshed_not_replaced_by_a_new_session(database_url, slack_api, bluesky):
    with start(database_url, slack_api, bluesky) as bot:
        poller = bot.runtime.pollers["acme-bsky"]
        poller.tick()
        bluesky.expire_access_tokens()
        bluesky.customer_post("hello after expiry")

        assert poller.tick() == 1

        assert len(bluesky.requests_to("POST", "/xrpc/com.atproto.server.createSession")) == 1
        assert len(bluesky.requests_to("POST", "/xrpc/com.atproto.server.refreshSession")) == 1
        reply_in_slack(bot, "Hi!")
        assert bluesky.wait_for(lambda: created_records(bluesky))
        assert len(bluesky.requests_to("POST", "/xrpc/com.atproto.server.createSession")) == 1


def test_the_limit_is_300_graphemes_not_characters(database_url, slack_api, bluesky):
    bluesky.customer_post("thumbs?")
    with start(database_url, slack_api, bluesky) as bot:
        bot.runtime.pollers["acme-bsky"].tick()
        thumbs = "👍🏽" * 300  # 600 code points, 300 graphemes

        modal = open_reply_modal(bot)
        too_long = bot.slack.submit(ALICE, modal, {"text": thumbs + "!"})
        assert "Bluesky accepts at most 300 graphemes; this reply has 301." in too_long.text
        assert bot.slack.submit(ALICE, modal, {"text": thumbs}).status_code == 200

        [sent] = bluesky.wait_for(lambda: created_records(bluesky))
        assert sent["record"]["text"] == thumbs



def test_the_reply_box_rebuilt_after_a_crossed_reply_still_takes_300_graphemes(database_url, slack_api, bluesky):
    bluesky.customer_post("thumbs?")
    with start(database_url, slack_api, bluesky) as bot:
        bot.runtime.pollers["acme-bsky"].tick()
        alice_form, bob_form = open_reply_modal(bot), open_reply_modal(bot, user=BOB)
        assert bot.slack.submit(BOB, bob_form, {"text": "Bob was first"}).status_code == 200

        crossed = bot.slack.submit(ALICE, alice_form, {"text": "👍🏽" * 300}).json()

        assert crossed["response_action"] == "update"
        [box] = [block for block in crossed["view"]["blocks"] if block["type"] == "input"]
        [opened] = [block for block in alice_form["blocks"] if block["type"] == "input"]
        assert box["element"]["max_length"] == opened["element"]["max_length"] > 600

def test_polls_page_back_to_what_is_stored_and_never_store_twice(database_url, slack_api, bluesky):
    bluesky.customer_post("first")
    with start(database_url, slack_api, bluesky) as bot:
        poller = bot.runtime.pollers["acme-bsky"]
        assert poller.tick() == 1
        assert poller.tick() == 0
        for n in range(70):
            bluesky.customer_post(f"burst {n}", handle=f"fan{n}.bsky.social")
        bluesky.requests.clear()

        assert poller.tick() == 70

        pages = bluesky.requests_to("GET", "/xrpc/app.bsky.notification.listNotifications")
        assert [page.param("cursor") is None for page in pages] == [True, False]
        assert all(page.query["reasons"] == ["mention", "reply"] for page in pages)
        assert stored_messages(bot) == 71
        assert poller.tick() == 0


def test_a_wrong_app_password_is_shown_once(database_url, slack_api, bluesky):
    bluesky.password = "changed-elsewhere"
    with start(database_url, slack_api, bluesky) as bot:
        poller = bot.runtime.pollers["acme-bsky"]
        poller.tick()
        poller.tick()  # during its backoff: nothing is asked, nothing new is shown
        bot.wait_idle()
        assert len(bluesky.attempts_to("POST", "/xrpc/com.atproto.server.createSession")) == 1
        [notice] = bot.api.messages("C0ACME01")
        assert "Bluesky" in shown(notice) and "app password" in shown(notice)
        assert APP_PASSWORD not in shown(notice)


def test_a_reply_sent_again_after_a_lost_answer_is_not_posted_twice(database_url, slack_api, bluesky):
    from datetime import UTC, datetime

    from bot.platforms import OutgoingReply

    post = bluesky.customer_post("do you ship to Jeju?")
    with start(database_url, slack_api, bluesky) as bot:
        client = bot.runtime.desk.platforms["acme-bsky"]
        reply = OutgoingReply("reply-key-1", post["uri"], post["uri"], "Yes, we do!", datetime(2026, 11, 23, 9, tzinfo=UTC))
        first = client.send_reply(reply)
        again = client.send_reply(reply)  # the worker never heard the first answer and tries again

    assert first.external_id == again.external_id
    assert first.external_id.startswith(f"at://{bluesky.did}/app.bsky.feed.post/")
    [sent] = created_records(bluesky)
    assert sent["rkey"] == first.external_id.rsplit("/", 1)[1]
