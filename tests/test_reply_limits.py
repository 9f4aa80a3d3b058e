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
        box = next(b for b in modal["blocks"] if b["type"] == "input")["element"]
        assert box["max_length"] >= len(text)

        assert reply_in_slack(bot, text).status_code == 200

        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))
        [post] = mastodon.requests_to("POST", "/api/v1/statuses")
        assert post.json["status"] == f"@minji@mastodon.social {text}"
