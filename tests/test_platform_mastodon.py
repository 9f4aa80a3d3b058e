"""Mastodon: mentions polled with a stored cursor become threads; replies go back in the same visibility."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.domain.polling import SourcePoller
from tests.support.platforms.mastodon import TOKEN, start
from tests.support.slack import reply_in_slack, shown
from tests.support.store import last_reply, stored_messages


def test_a_mention_becomes_a_thread_and_the_reply_goes_back_as_a_reply(database_url, slack_api, mastodon):
    mention = mastodon.mention("Where is my order? &lt;3", acct="minji@mastodon.social")
    with start(database_url, slack_api, mastodon) as bot:
        assert bot.runtime.pollers["acme-masto"].tick() == 1

        parent = bot.parent()
        text = shown(parent)
        assert "Mention on Mastodon" in text
        assert "> @acme Where is my order? &lt;3" in text  # tags gone, "<3" decoded (and escaped for Slack)
        assert "@minji@mastodon.social" in text

        assert reply_in_slack(bot, "Sorry! It ships today.").status_code == 200
        post = mastodon.wait_for(lambda: mastodon.requests_to("POST", "/api/v1/statuses"))[0]
        assert post.json == {
            "status": "@minji@mastodon.social Sorry! It ships today.",
            "in_reply_to_id": mention["status"]["id"],
            "visibility": "public",
        }
        assert post.headers["authorization"] == f"Bearer {TOKEN}"
        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))
        assert post.headers["idempotency-key"] == last_reply(bot).reply_key


def test_a_direct_message_is_answered_directly(database_url, slack_api, mastodon):
    mastodon.mention("private question", visibility="direct")
    with start(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        assert "Direct message on Mastodon" in shown(bot.parent())

        reply_in_slack(bot, "@minji@mastodon.social answered privately")

        post = mastodon.wait_for(lambda: mastodon.requests_to("POST", "/api/v1/statuses"))[0]
        assert post.json["visibility"] == "direct"
        assert post.json["status"] == "@minji@mastodon.social answered privately"


def test_a_burst_larger_than_a_page_is_read_whole_through_the_link_header(database_url, slack_api, mastodon):
    first = mastodon.mention("first")
    with start(database_url, slack_api, mastodon) as bot:
        poller = bot.runtime.pollers["acme-masto"]
        poller.tick()
        burst = [mastodon.mention(f"burst {n}") for n in range(45)]
        mastodon.requests.clear()

        assert poller.tick() == 45

        pages = mastodon.requests_to("GET", "/api/v1/notifications")
        assert [page.param("min_id") for page in pages] == [first["id"], burst[39]["id"], burst[44]["id"]]
        assert all(page.query["types[]"] == ["mention", "update"] for page in pages)
        assert stored_messages(bot) == 46


def test_a_restart_neither_loses_nor_reposts(database_url, slack_api, mastodon):
    mastodon.mention("before the restart")
    with start(database_url, slack_api, mastodon) as bot:
        bot.runtime.pollers["acme-masto"].tick()
        bot.wait_idle()
    newest = mastodon.mention("while the bot was down")
    with start(database_url, slack_api, mastodon) as bot:
        assert bot.runtime.pollers["acme-masto"].tick() == 1
        bot.wait_idle()
        parents = bot.api.messages("C0ACME01")
        assert len(parents) == 2
        assert "while the bot was down" in shown(parents[-1])
        assert mastodon.requests_to("GET", "/api/v1/notifications")[-1].param("min_id") == newest["id"]


def test_the_customer_answering_our_reply_continues_the_thread(database_url, slack_api, mastodon):
    mastodon.mention("Is it in stock?")
    with start(database_url, slack_api, mastodon) as bot:
        poller = bot.runtime.pollers["acme-masto"]
        poller.tick()
        parent = bot.parent()
        reply_in_slack(bot, "Yes!")
        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))
        ours = mastodon.requests_to("POST", "/api/v1/statuses")[0]
        our_status = next(s for s in mastodon.statuses.values() if s["content"] == f"<p>{ours.json['status']}</p>")

        mastodon.mention("Great, ordering now", in_reply_to_id=our_status["id"])
        poller.tick()

        bot.api.wait_for(lambda: any("ordering now" in shown(m) for m in bot.api.thread("C0ACME01", parent.ts)))
        assert len(bot.api.messages("C0ACME01")) == 1


def test_a_rate_limit_is_waited_out_until_its_reset_time(database_url, slack_api, mastodon):
    clock = ManualClock(datetime.now(UTC))
    mastodon.mention("hello")
    reset = (datetime.now(UTC) + timedelta(seconds=30)).isoformat()  # Mastodon sends an ISO-8601 reset
    mastodon.fail_next(429, {"error": "Too many requests"}, headers={"X-RateLimit-Remaining": "0",
                                                                     "X-RateLimit-Reset": reset})
    with start(database_url, slack_api, mastodon, clock) as bot:
        poller = bot.runtime.pollers["acme-masto"]
        assert poller.tick() == 0
        assert poller.tick() == 0
        assert len(mastodon.attempts_to("GET", "/api/v1/notifications")) == 1  # no call during the wait

        clock.advance(timedelta(seconds=31))

        assert poller.tick() == 1


def test_an_epoch_rate_limit_reset_is_understood_too(database_url, slack_api, mastodon):
    clock = ManualClock(datetime.now(UTC))
    reset = str(int(datetime.now(UTC).timestamp()) + 120)
    mastodon.fail_next(429, {"error": "Too many requests"}, headers={"X-RateLimit-Reset": reset})
    with start(database_url, slack_api, mastodon, clock) as bot:
        poller = bot.runtime.pollers["acme-masto"]
        poller.tick()
        clock.advance(timedelta(seconds=60))
        poller.tick()
        assert len(mastodon.attempts_to("GET", "/api/v1/notifications")) == 1
        clock.advance(timedelta(seconds=61))
        poller.tick()
        assert len(mastodon.attempts_to("GET", "/api/v1/notifications")) == 2


def test_a_revoked_token_is_shown_once_and_the_recovery_too(database_url, slack_api, mastodon):
    clock = ManualClock(datetime.now(UTC))
    with start(database_url, slack_api, mastodon, clock) as bot:
        poller = bot.runtime.pollers["acme-masto"]
        mastodon.revoke()
        for _ in range(3):
            poller.tick()
            clock.advance(timedelta(hours=1))
        bot.wait_idle()

        [notice] = bot.api.messages("C0ACME01")
        assert "stopped working" in shown(notice)
        assert "acme-masto" in shown(notice) and "access token" in shown(notice)
        assert len(mastodon.attempts_to("GET", "/api/v1/notifications")) == 3

        mastodon.token = TOKEN
        mastodon.mention("back again")
        poller.tick()
        bot.wait_idle()

        texts = [shown(m) for m in bot.api.messages("C0ACME01")]
        assert len(texts) == 3
        assert any("works again" in text for text in texts)
        assert TOKEN not in "".join(texts)


def test_the_scheduler_polls_on_its_own(database_url, slack_api, mastodon):
    mastodon.mention("found by the scheduler")
    with start(database_url, slack_api, mastodon, interval="200ms") as bot:
        assert "found by the scheduler" in shown(bot.parent())


def test_two_processes_never_poll_one_source_at_the_same_time(database_url, slack_api, mastodon):
    mastodon.mention("only once")
    with start(database_url, slack_api, mastodon) as bot:
        ours = bot.runtime.pollers["acme-masto"]
        desk = bot.runtime.desk
        other_process = SourcePoller("acme-masto", ours.client, desk.ingest, desk.db, desk.clock, desk.notify_effects)
        mastodon.delay = 0.5
        results: list[int] = []
        threads = [threading.Thread(target=lambda p=p: results.append(p.tick())) for p in (ours, other_process)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(results) == [0, 1]
        assert len(mastodon.attempts_to("GET", "/api/v1/notifications")) == 1
