"""Public or private, chosen in the Reply modal where the platform allows both."""

from __future__ import annotations

import time

import httpx

from bot.demo.standins.meta_graph_api import GraphStandIn
from bot.config.replying import Replying
from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.platforms.mastodon import start as start_mastodon
from tests.support.platforms.meta import PAGE_ID, PAGE_TOKEN, delivery, entry, feed_comment, post, start
from tests.support.slack import open_reply_modal
from tests.support.store import last_reply

COMMENT = "122131676912594941_1213590066982748"
DAY = 24 * 3600


def audience_choice(modal) -> dict | None:
    for block in modal["blocks"]:
        if block.get("block_id") == "audience_choice":
            return block["element"]
    return None


def send(bot, modal, text: str, audience: str | None = None):
    values = {"text": text}
    if audience is not None:
        values["audience"] = audience
    return bot.slack.submit(ALICE, modal, values)


def private_reply(graph: GraphStandIn, comment_id: str, text: str) -> httpx.Response:
    return httpx.post(f"{graph.url}/v21.0/{PAGE_ID}/messages", headers={"Authorization": f"Bearer {PAGE_TOKEN}"},
                      json={"recipient": {"comment_id": comment_id}, "message": {"text": text}})


def test_the_graph_stand_in_allows_one_private_reply_per_comment_within_seven_days(graph):
    graph.comment_created(COMMENT, time.time() - 6 * DAY)
    graph.comment_created("old_1", time.time() - 8 * DAY)

    first = private_reply(graph, COMMENT, "Sent you the details")
    assert first.status_code == 200 and set(first.json()) == {"recipient_id", "message_id"}

    again = private_reply(graph, COMMENT, "And once more")
    assert again.status_code == 400 and again.json()["error"]["code"] == 10900
    assert again.json()["error"]["message"] == "(#10900) Activity already replied to"

    late = private_reply(graph, "old_1", "Too late")
    assert late.status_code == 400 and late.json()["error"]["code"] == 10903

    unknown = private_reply(graph, "nope_1", "Who?")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == 100


def test_a_facebook_comment_is_answered_privately_when_the_teammate_picks_it(database_url, slack_api, graph):
    graph.comment_created(COMMENT, time.time())
    with start(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "1213590066982748", "my order?")])))
        modal = open_reply_modal(bot)
        choice = audience_choice(modal)
        assert [o["value"] for o in choice["options"]] == ["public", "private"]
        assert choice["initial_option"]["value"] == "public"

        assert send(bot, modal, "I sent you a message", "private").status_code == 200

        [sent] = graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{PAGE_ID}/messages"))
        assert sent.json == {"recipient": {"comment_id": COMMENT}, "message": {"text": "I sent you a message"}}
        assert graph.requests_to("POST", f"/v21.0/{COMMENT}/comments") == []
        note = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", bot.parent().ts)
                                         if "replied privately" in m.text])
        assert "I sent you a message" in note[0].text
        assert last_reply(bot).private is True


def test_a_second_private_reply_is_shown_as_not_delivered_with_metas_reason(database_url, slack_api, graph):
    graph.comment_created(COMMENT, time.time())
    with start(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "1213590066982748", "my order?")])))
        send(bot, open_reply_modal(bot), "first", "private")
        graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{PAGE_ID}/messages"))
        send(bot, open_reply_modal(bot), "second", "private")

        failed = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", bot.parent().ts)
                                           if "not delivered" in m.text])
        assert "one private reply per comment" in failed[0].text


def test_the_brands_default_picks_private_for_comments(database_url, slack_api, graph):
    graph.comment_created(COMMENT, time.time())
    with start(database_url, slack_api, graph) as bot:
        brand = bot.runtime.config.brands["acme"]
        bot.runtime.config.brands["acme"] = brand.model_copy(update={"replying": Replying(
            private_by_default=("comment",))})
        post(bot, delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "1213590066982748", "my order?")])))
        modal = open_reply_modal(bot)
        assert audience_choice(modal)["initial_option"]["value"] == "private"

        send(bot, modal, "Details sent privately")  # the default, left as it was

        graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{PAGE_ID}/messages"))


def test_a_mastodon_mention_answered_privately_goes_as_a_direct_message(database_url, slack_api, mastodon):
    mastodon.mention("my card was charged twice")
    with start_mastodon(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        modal = open_reply_modal(bot)
        assert audience_choice(modal) is not None

        send(bot, modal, "Let's sort it out here", "private")

        [status] = mastodon.wait_for(lambda: mastodon.requests_to("POST", "/api/v1/statuses"))
        assert status.json["visibility"] == "direct"
        bot.api.wait_for(lambda: any("replied privately" in m.text
                                     for m in bot.api.thread("C0ACME01", bot.parent().ts)))


def test_where_the_platform_allows_one_way_the_modal_offers_no_choice(bot):
    bot.webhook(customer_message())
    assert audience_choice(open_reply_modal(bot)) is None


def test_a_mastodon_direct_message_offers_no_choice(database_url, slack_api, mastodon):
    mastodon.mention("private question", visibility="direct")
    with start_mastodon(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        assert audience_choice(open_reply_modal(bot)) is None


def test_a_private_reply_after_seven_days_is_refused_in_slack_before_anything_is_sent(database_url, slack_api, graph):
    from datetime import UTC, datetime, timedelta

    from bot.clock import ManualClock

    clock = ManualClock(datetime.now(UTC))
    graph.comment_created(COMMENT, time.time())
    with start(database_url, slack_api, graph, clock) as bot:
        post(bot, delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "1213590066982748", "my order?")])))
        clock.advance(timedelta(days=7, hours=1))
        modal = open_reply_modal(bot)

        refused = send(bot, modal, "too late for a private one", "private").json()["errors"]

        [message] = refused.values()
        assert "within 7 days of the comment" in message and "answer publicly" in message
        assert graph.attempts_to("POST", f"/v21.0/{PAGE_ID}/messages") == []
        assert send(bot, modal, "answered publicly", "public").status_code == 200
        graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{COMMENT}/comments"))
