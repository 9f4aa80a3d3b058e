"""Meta and YouTube take no idempotency key: a reply whose answer was lost is looked for, not sent again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import exists, select

from bot.clock import ManualClock

from tests.support.config import ALICE
from tests.support.platforms.meta import (
    delivery, entry, feed_comment, instagram_comment, message_event, IG_ID, PAGE_ID, PAGE_TOKEN, post,
    start as start_meta,
)
from tests.support.platforms.youtube import API_KEY, CHANNEL, CLIENT_ID, CLIENT_SECRET, REFRESH, start as start_youtube
from tests.support.slack import open_reply_modal, reply_in_slack, shown
from tests.support.store import last_reply
from bot.demo.standins.meta_graph_api import GraphStandIn
from bot.demo.standins.youtube_data_api import YouTubeStandIn
from storage.models import OutboxJob, ReplyStatus


def delivered(bot):
    bot.api.wait_for(lambda: last_reply(bot).status == ReplyStatus.SENT, timeout=10)
    return last_reply(bot)


def retry_scheduled(bot):
    """The worker has heard that the send's answer was lost and set, by its clock, when to try again."""
    with bot.runtime.db.transaction() as session:
        return session.scalar(select(exists().where(OutboxJob.attempts > 0)))


def reply_twice_losing_the_second_answer(bot, graph, path, text):
    """Reply ``text``, then the same text again (confirmed when asked) with Meta's answer lost."""
    reply_in_slack(bot, text)
    first = delivered(bot)
    bot.wait_idle()

    graph.lose_next_answer(path=path)
    modal = open_reply_modal(bot)
    asked = bot.slack.submit(ALICE, modal, {"text": text}).json()  # the same text: asked first
    assert bot.slack.submit(ALICE, {**modal, **asked["view"], "id": modal["id"]}, {"text": text}).status_code == 200
    bot.api.wait_for(lambda: last_reply(bot).id != first.id and last_reply(bot).status == ReplyStatus.SENT,
                     timeout=10)


@pytest.fixture
def graph():
    with GraphStandIn(PAGE_ID, PAGE_TOKEN, instagram_id=IG_ID) as stand_in:
        yield stand_in


def test_a_facebook_reply_whose_answer_was_lost_is_published_once(database_url, slack_api, graph):
    top = feed_comment(PAGE_ID, "1213590066982748", "Where is my order?")
    target = top["value"]["comment_id"]
    with start_meta(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, changes=[top])))
        graph.lose_next_answer(path=f"/v21.0/{target}/comments")

        reply_in_slack(bot, "It ships today.")

        reply = delivered(bot)
        assert [c["message"] for c in graph.comments[target]] == ["It ships today."]
        assert reply.external_id == graph.comments[target][0]["id"]
        assert len(graph.requests_to("POST", f"/v21.0/{target}/comments")) == 1
        assert graph.requests_to("GET", f"/v21.0/{target}/comments")
        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))


def test_the_same_text_sent_earlier_and_recorded_is_not_taken_for_the_lost_one(database_url, slack_api, graph):
    top = feed_comment(PAGE_ID, "1213590066982749", "Thanks?")
    target = top["value"]["comment_id"]
    with start_meta(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, changes=[top])))
        reply_twice_losing_the_second_answer(bot, graph, f"/v21.0/{target}/comments", "Thank you!")
        assert [c["message"] for c in graph.comments[target]] == ["Thank you!", "Thank you!"]
        assert last_reply(bot).external_id == graph.comments[target][1]["id"]


def test_an_instagram_reply_whose_answer_was_lost_is_published_once(database_url, slack_api, graph):
    comment = instagram_comment("17865799348089039", "Is it vegan?")
    with start_meta(database_url, slack_api, graph) as bot:
        post(bot, delivery("instagram", entry(IG_ID, changes=[comment])))
        graph.lose_next_answer(path="/v21.0/17865799348089039/replies")

        reply_in_slack(bot, "It is!")

        reply = delivered(bot)
        assert [c["text"] for c in graph.comments["17865799348089039"]] == ["It is!"]
        assert reply.external_id == graph.comments["17865799348089039"][0]["id"]


def test_a_youtube_reply_whose_answer_was_lost_is_published_once(database_url, slack_api):
    with YouTubeStandIn(CHANNEL, API_KEY, CLIENT_ID, CLIENT_SECRET, REFRESH) as youtube:
        thread = youtube.comment("Hope to go next time.")
        with start_youtube(database_url, slack_api, youtube) as bot:
            bot.runtime.pollers["acme-yt"].tick()
            youtube.lose_next_answer(path="/youtube/v3/comments")

            reply_in_slack(bot, "See you there!")

            reply = delivered(bot)
            replies = thread["replies"]["comments"]
            assert [c["snippet"]["textOriginal"] for c in replies] == ["See you there!"]
            assert reply.external_id == replies[0]["id"]
            assert youtube.requests_to("GET", "/youtube/v3/comments")


@pytest.mark.parametrize(("platform", "user_id", "receiver"), [
    ("messenger", "24000001", PAGE_ID),
    ("instagram", "5310000001", IG_ID),
], ids=["messenger", "instagram"])
def test_a_direct_message_reply_whose_answer_was_lost_is_sent_once(database_url, slack_api, graph,
                                                                    platform, user_id, receiver):
    if platform == "instagram":
        graph.instagram_users.add(user_id)
    dm = message_event(user_id, receiver, "mid.1457764197618", "Is my order on its way?")
    with start_meta(database_url, slack_api, graph) as bot:
        post(bot, delivery("page" if platform == "messenger" else "instagram", entry(receiver, messaging=[dm])))
        graph.lose_next_answer(path=f"/v21.0/{PAGE_ID}/messages")

        reply_in_slack(bot, "It ships today.")

        reply = delivered(bot)
        sent = graph.sent_messages(user_id)
        assert [m["message"] for m in sent] == ["It ships today."]
        assert reply.external_id == sent[0]["id"]
        assert len(graph.requests_to("POST", f"/v21.0/{PAGE_ID}/messages")) == 1
        looked = graph.requests_to("GET", f"/v21.0/{PAGE_ID}/conversations")
        assert looked and looked[0].param("platform") == platform and looked[0].param("user_id") == user_id


def test_a_dm_reply_is_found_beyond_the_first_page_of_the_conversation(database_url, slack_api, graph):
    clock = ManualClock(datetime.now(UTC))
    dm = message_event("24000002", PAGE_ID, "mid.1457764197619", "Hello?")
    with start_meta(database_url, slack_api, graph, clock) as bot:
        post(bot, delivery("page", entry(PAGE_ID, messaging=[dm])))
        graph.lose_next_answer(path=f"/v21.0/{PAGE_ID}/messages")
        reply_in_slack(bot, "Hi there!")
        graph.wait_for(lambda: graph.sent_messages("24000002"))
        # The stand-in holds the message before the worker learns the answer was lost: were the clock
        # moved first, the retry would be set after the advance and never come due.
        bot.api.wait_for(lambda: retry_scheduled(bot))
        for number in range(30):  # the customer writes on before the retry comes due
            graph.customer_message("24000002", f"one more thing {number}")
        clock.advance(timedelta(seconds=5))

        reply = delivered(bot)
        sent = graph.sent_messages("24000002")
        assert [m["message"] for m in sent] == ["Hi there!"]
        assert reply.external_id == sent[0]["id"]
        assert graph.requests_to("GET", "/v21.0/t_")


def test_the_same_dm_text_sent_earlier_and_recorded_is_not_taken_for_the_lost_one(database_url, slack_api, graph):
    dm = message_event("24000003", PAGE_ID, "mid.1457764197620", "Thanks?")
    with start_meta(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, messaging=[dm])))
        reply_twice_losing_the_second_answer(bot, graph, f"/v21.0/{PAGE_ID}/messages", "Thank you!")
        sent = graph.sent_messages("24000003")
        assert [m["message"] for m in sent] == ["Thank you!", "Thank you!"]
        assert last_reply(bot).external_id == sent[1]["id"]
