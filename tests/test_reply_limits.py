"""A reply is counted the way its platform counts it, with what socialdesk adds, before it is queued."""

from __future__ import annotations

import httpx

from tests.support.platforms.mastodon import TOKEN, start
from tests.support.slack import all_text, open_reply_modal, reply_in_slack, shown

OVER_LIMIT = "Validation failed: Text character limit of 500 exceeded"


def post_status(mastodon, text: str) -> httpx.Response:
    return httpx.post(f"{mastodon.url}/api/v1/statuses", json={"status": text},
                      headers={"Authorization": f"Bearer {TOKEN}"})


def test_the_instance_counts_a_remote_mention_by_its_username_and_a_link_as_23(mastodon):
    # @minji@mastodon.social counts as "@minji" (6); the link as 23: 6 + 1 + 23 + 1 + 469 = 500.
    link = "https://shop.example/orders/" + "7" * 60
    fits = f"@minji@mastodon.social {link} " + "a" * 469
    assert post_status(mastodon, fits).status_code == 200

    too_long = post_status(mastodon, fits + "a")
    assert too_long.status_code == 422
    assert too_long.json() == {"error": OVER_LIMIT}


def test_the_instance_counts_graphemes(mastodon):
    assert post_status(mastodon, "👍🏽" * 500).status_code == 200  # one grapheme each, four code points
    assert post_status(mastodon, "👍🏽" * 501).status_code == 422


def test_a_reply_that_fills_the_box_is_refused_in_slack_counting_the_mention_socialdesk_adds(
        database_url, slack_api, mastodon):
    mastodon.mention("Where is my order?", acct="minji@mastodon.social")
    with start(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        modal = open_reply_modal(bot)
        stated = all_text(modal["blocks"])  # the modal says the real limit
        assert "Mastodon takes up to 500 characters: the @minji mention socialdesk adds counts too" in stated

        answer = reply_in_slack(bot, "a" * 500)

        errors = answer.json()["errors"]
        [message] = errors.values()
        assert message == ("Mastodon accepts at most 500 characters; this reply has 507 "
                           "(with the @minji mention socialdesk adds; each link counts as 23).")
        assert mastodon.attempts_to("POST", "/api/v1/statuses") == []


def test_a_reply_with_a_long_link_fits_as_mastodon_counts_it(database_url, slack_api, mastodon):
    mastodon.mention("Where is my order?", acct="minji@mastodon.social")
    link = "https://shop.example/track?order=" + "9" * 100
    text = f"Track it here: {link} " + "a" * (500 - 7 - 16 - 23 - 1)
    assert len(text) > 500
    with start(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        modal = open_reply_modal(bot)
        box = next(b["element"] for b in modal["blocks"] if b.get("element", {}).get("type") == "plain_text_input")
        assert box["max_length"] >= len(text)

        assert reply_in_slack(bot, text).status_code == 200

        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))
        [post] = mastodon.requests_to("POST", "/api/v1/statuses")
        assert post.json["status"] == f"@minji@mastodon.social {text}"


def test_an_instagram_dm_is_counted_in_utf8_bytes_as_meta_counts_it(database_url, slack_api, graph):
    from tests.support.platforms.meta import IG_ID, delivery, entry, message_event, post
    from tests.support.platforms.meta import start as start_meta

    dms = delivery("instagram", entry(IG_ID, messaging=[message_event("5310000001", IG_ID, "aWdfZG1fbWlk", "size?")]))
    with start_meta(database_url, slack_api, graph) as bot:
        post(bot, dms)
        modal = open_reply_modal(bot)
        assert "Instagram takes up to 1000 bytes" in all_text(modal["blocks"])

        refused = reply_in_slack(bot, "가" * 334).json()["errors"]

        assert list(refused.values()) == ["Instagram accepts at most 1000 bytes; this reply has 1002 "
                                          "(Korean and other non-Latin letters take 2-4 bytes each)."]
        assert reply_in_slack(bot, "가" * 333).status_code == 200
        graph.wait_for(lambda: graph.requests_to("POST", "/v21.0/"))


def test_the_graph_stand_in_refuses_an_instagram_message_over_1000_bytes(graph):
    graph.instagram_users.add("5310000001")
    from tests.support.platforms.meta import PAGE_ID, PAGE_TOKEN

    answer = httpx.post(f"{graph.url}/v21.0/{PAGE_ID}/messages", headers={"Authorization": f"Bearer {PAGE_TOKEN}"},
                        json={"recipient": {"id": "5310000001"}, "messaging_type": "RESPONSE",
                              "message": {"text": "가" * 334}})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 100
