"""YouTube: comment threads polled page by page; replies and moderation through OAuth."""

from __future__ import annotations

import pytest

from bot.demo.standins.youtube_data_api import YouTubeStandIn
from tests.support.config import ALICE
from tests.support.platforms.youtube import API_KEY, CHANNEL, CLIENT_ID, CLIENT_SECRET, REFRESH, start
from tests.support.slack import reply_in_slack, shown
from tests.support.store import stored_messages


@pytest.fixture
def youtube():
    with YouTubeStandIn(CHANNEL, API_KEY, CLIENT_ID, CLIENT_SECRET, REFRESH) as stand_in:
        yield stand_in


def test_a_comment_becomes_a_thread_and_the_reply_is_a_comments_insert(database_url, slack_api, youtube):
    thread = youtube.comment("Hope to go next time. yah!", author="@kunliu")
    with start(database_url, slack_api, youtube) as bot:
        assert bot.runtime.pollers["acme-yt"].tick() == 1
        text = shown(bot.parent())
        assert "Comment on YouTube" in text and "Hope to go next time. yah!" in text and "@kunliu" in text
        assert f"https://www.youtube.com/watch?v=JE8xdDp5B8Q&lc={thread['id']}" in text

        reply_in_slack(bot, "See you there!")

        [insert] = youtube.wait_for(lambda: youtube.requests_to("POST", "/youtube/v3/comments"))
        assert insert.query == {"part": ["snippet"]}
        assert insert.json == {"snippet": {"parentId": thread["id"], "textOriginal": "See you there!"}}
        assert insert.headers["authorization"].startswith("Bearer ya29.")
        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))


def test_polling_follows_page_tokens_back_to_what_is_stored(database_url, slack_api, youtube):
    youtube.comment("the first one")
    with start(database_url, slack_api, youtube) as bot:
        poller = bot.runtime.pollers["acme-yt"]
        poller.tick()
        threads = [youtube.comment(f"comment {n}") for n in range(130)]
        youtube.reply(threads[0], "and a reply in a new thread")
        youtube.requests.clear()

        assert poller.tick() == 131

        pages = youtube.requests_to("GET", "/youtube/v3/commentThreads")
        assert [page.param("pageToken") is None for page in pages] == [True, False]
        first = pages[0]
        assert (first.param("part"), first.param("allThreadsRelatedToChannelId"), first.param("order"),
                first.param("maxResults")) == ("snippet,replies", CHANNEL, "time", "100")
        assert stored_messages(bot) == 132
        assert poller.tick() == 0


def test_a_new_reply_joins_its_thread_and_our_own_replies_are_not_ingested(database_url, slack_api, youtube):
    thread = youtube.comment("Is this in stock?")
    with start(database_url, slack_api, youtube) as bot:
        poller = bot.runtime.pollers["acme-yt"]
        poller.tick()
        parent = bot.parent()
        reply_in_slack(bot, "It is!")
        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))
        youtube.reply(thread, "Thanks, ordered")

        assert poller.tick() == 1

        bot.api.wait_for(lambda: any("Thanks, ordered" in shown(m) for m in bot.api.thread("C0ACME01", parent.ts)))
        assert len(bot.api.messages("C0ACME01")) == 1


def test_a_thread_that_does_not_accept_replies_says_so(database_url, slack_api, youtube):
    youtube.comment("comments are limited here", can_reply=False)
    with start(database_url, slack_api, youtube) as bot:
        bot.runtime.pollers["acme-yt"].tick()
        parent = bot.parent()
        reply_in_slack(bot, "Hello")
        note = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", parent.ts) if "not delivered" in m.text])
        assert "canReply is false" in note[0].text
        assert youtube.requests_to("POST", "/youtube/v3/comments") == []


def test_an_expired_access_token_is_refreshed(database_url, slack_api, youtube):
    youtube.comment("hello")
    with start(database_url, slack_api, youtube) as bot:
        poller = bot.runtime.pollers["acme-yt"]
        poller.tick()
        youtube.expire_access_tokens()
        youtube.comment("after expiry")

        assert poller.tick() == 1
        assert len(youtube.requests_to("POST", "/token")) == 2


def test_an_exhausted_quota_is_shown_once_with_what_to_do(database_url, slack_api, youtube):
    youtube.quota_left = 0
    with start(database_url, slack_api, youtube) as bot:
        poller = bot.runtime.pollers["acme-yt"]
        poller.tick()
        poller.tick()
        bot.wait_idle()
        [notice] = bot.api.messages("C0ACME01")
        assert "quota for today is used up" in shown(notice)
        assert len(youtube.attempts_to("GET", "/youtube/v3/commentThreads")) == 1  # waits for the reset


def test_an_api_key_source_reads_but_refuses_to_reply(database_url, slack_api, youtube):
    youtube.comment("read only")
    with start(database_url, slack_api, youtube, oauth=False) as bot:
        assert bot.runtime.pollers["acme-yt"].tick() == 1
        listed = youtube.requests_to("GET", "/youtube/v3/commentThreads")[0]
        assert listed.headers["x-goog-api-key"] == API_KEY and listed.param("key") is None  # kept out of URLs

        bot.slack.click(ALICE, bot.parent(), "reply")

        refusal = bot.api.wait_for(lambda: [r for r in bot.api.responses if "OAuth" in r.get("text", "")])[0]
        assert "only an API key" in refusal["text"]


def test_moderation_sets_the_comment_status(database_url, slack_api, youtube):
    thread = youtube.comment("spam spam")
    with start(database_url, slack_api, youtube) as bot:
        client = bot.runtime.desk.platforms["acme-yt"]
        client.hide(thread["id"])
        client.set_moderation_status([thread["id"]], "rejected", ban_author=True)

        [held, rejected] = youtube.requests_to("POST", "/youtube/v3/comments/setModerationStatus")
        assert (held.param("id"), held.param("moderationStatus")) == (thread["id"], "heldForReview")
        assert (rejected.param("moderationStatus"), rejected.param("banAuthor")) == ("rejected", "true")
