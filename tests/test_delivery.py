"""Slack or the platform failing delays effects; it never loses or doubles them."""

from __future__ import annotations

from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.slack import shown


def send_reply(bot, text: str = "We are on it") -> None:
    bot.slack.click(ALICE, bot.parent(), "reply")
    bot.slack.submit(ALICE, bot.api.wait_for(lambda: bot.api.view_for_user(ALICE)), {"text": text})


def test_slack_rate_limit_is_honoured_and_the_message_posted_once(bot):
    bot.api.fail_next("chat.postMessage", status=429, retry_after=1)
    bot.webhook(customer_message())

    bot.api.wait_for(lambda: bot.api.messages("C0ACME01"), timeout=5)
    posts = bot.api.calls_to("chat.postMessage")
    assert [call.http_status for call in posts] == [429, 200]
    assert posts[1].at - posts[0].at >= 0.9
    assert len(bot.api.messages("C0ACME01")) == 1


def test_a_slack_outage_delays_but_loses_nothing_and_keeps_thread_order(bot):
    bot.api.fail_next("chat.postMessage", status=503, count=3)
    for index in range(3):
        bot.webhook(customer_message(id=f"m{index}", conversation_id="c", text=f"message {index}"))

    bot.wait_idle(timeout=10)
    [parent] = bot.api.messages("C0ACME01")
    assert "message 0" in shown(parent)
    assert [shown(m).split("> ")[-1] for m in bot.api.thread("C0ACME01", parent.ts)] == ["message 1", "message 2"]


def test_a_refused_reply_is_shown_in_the_thread_and_not_reported_as_sent(bot, receiver):
    receiver.fail_next(400, body='{"error": "comment was deleted"}')
    bot.webhook(customer_message())
    parent = bot.parent()

    send_reply(bot)

    note = bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))[0]
    assert "*not delivered*" in note.text and "HTTP 400" in note.text and "comment was deleted" in note.text
    bot.wait_idle()
    assert "Replied" not in shown(bot.parent())
    assert "replied:" not in " ".join(m.text for m in bot.api.thread("C0ACME01", parent.ts))


def test_a_platform_hiccup_is_retried_with_the_same_reply_id(bot, receiver):
    receiver.fail_next(503, count=2)
    bot.webhook(customer_message())

    send_reply(bot)

    bot.api.wait_for(lambda: "Replied" in shown(bot.parent()), timeout=10)
    assert [request.status for request in receiver.requests] == [503, 503, 200]
    assert len({request.body["reply_id"] for request in receiver.requests}) == 1
    assert len(receiver.deliveries) == 1


def test_a_platform_down_for_good_ends_as_a_visible_failure(bot, receiver):
    receiver.fail_next(502, count=10)
    bot.webhook(customer_message())
    parent = bot.parent()

    send_reply(bot)

    note = bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts), timeout=10)[0]
    assert "*not delivered*" in note.text and "HTTP 502" in note.text
    assert len(receiver.requests) == bot.config.delivery.max_attempts


def test_a_double_submitted_reply_modal_sends_one_reply(bot, receiver):
    bot.webhook(customer_message())
    bot.slack.click(ALICE, bot.parent(), "reply")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))

    bot.slack.submit(ALICE, modal, {"text": "Only once"})
    bot.slack.submit(ALICE, modal, {"text": "Only once"})

    bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))
    bot.wait_idle()
    assert len(receiver.deliveries) == 1


def test_empty_and_too_long_replies_are_refused_in_the_modal(bot, receiver):
    bot.webhook(customer_message())
    bot.slack.click(ALICE, bot.parent(), "reply")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))

    empty = bot.slack.submit(ALICE, modal, {"text": "   "})
    too_long = bot.slack.submit(ALICE, modal, {"text": "x" * 501})

    assert empty.json() == {"response_action": "errors", "errors": {"reply": "The reply is empty."}}
    assert too_long.json()["errors"]["reply"] == "Facebook accepts at most 500 characters; this reply has 501."
    bot.wait_idle()
    assert receiver.requests == []


def test_reply_button_on_a_source_without_reply_url_explains_why(bot):
    bot.webhook(customer_message(), source="haneul-hook", secret="haneul-secret")
    parent = bot.parent("C0HANEUL1")

    bot.slack.click(ALICE, parent, "reply")

    response = bot.api.wait_for(lambda: bot.api.responses)[0]
    assert "cannot send replies" in response["text"] and "reply_url" in response["text"]
    assert bot.api.view_for_user(ALICE) is None


def test_an_outage_longer_than_max_attempts_still_loses_nothing(bot):
    bot.api.fail_next("chat.postMessage", status=503, count=bot.config.delivery.max_attempts * 2)
    bot.webhook(customer_message())

    parent = bot.api.wait_for(lambda: bot.api.messages("C0ACME01"), timeout=15)
    assert len(parent) == 1


def test_a_post_whose_answer_was_lost_is_found_again_not_posted_twice(bot):
    bot.api.fail_next("chat.postMessage", status=500, lose_response=True)
    bot.webhook(customer_message(id="m1", conversation_id="c1", text="first"))
    bot.api.wait_for(lambda: bot.api.calls_to("conversations.history"), timeout=5)
    bot.wait_idle()
    bot.api.fail_next("chat.postMessage", status=500, lose_response=True)
    bot.webhook(customer_message(id="m2", conversation_id="c1", text="second"))
    bot.wait_idle(timeout=10)

    [parent] = bot.api.messages("C0ACME01")
    assert parent.metadata["event_type"] == "socialdesk_post"
    assert [shown(m).split("> ")[-1] for m in bot.api.thread("C0ACME01", parent.ts)] == ["second"]
    assert len(bot.api.calls_to("conversations.history")) == 1
    assert len(bot.api.calls_to("conversations.replies")) == 1
    assert len(bot.api.calls_to("chat.postMessage")) == 2  # each message once


def test_posts_are_paced_to_one_per_second_per_channel(database_url, slack_api, receiver):
    from tests.support.bot import running_bot
    from tests.support.config import make_config

    slack_api.post_rate_per_channel, slack_api.burst = 1.0, 1
    config = make_config(receiver.url, "delivery: {channel_pace: 1s, poll_interval: 200ms}\n")
    with running_bot(database_url, slack_api, config) as bot:
        for index in range(3):
            bot.webhook(customer_message(id=f"a{index}", conversation_id=f"a{index}"))
            bot.webhook(customer_message(id=f"h{index}", conversation_id=f"h{index}"), source="haneul-hook",
                        secret="haneul-secret")
        bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 3 and len(bot.api.messages("C0HANEUL1")) == 3,
                         timeout=10)

    posts = bot.api.calls_to("chat.postMessage")
    assert all(call.http_status == 200 for call in posts)  # paced ahead of Slack: no 429 at all
    for channel in ("C0ACME01", "C0HANEUL1"):
        times = [call.at for call in posts if call.args["channel"] == channel]
        assert all(later - earlier >= 0.95 for earlier, later in zip(times, times[1:], strict=False))
    # the two channels are served side by side, not one after the other
    assert posts[1].args["channel"] != posts[0].args["channel"]


def test_a_reply_not_delivered_can_be_retried_once_with_the_same_key(bot, receiver):
    receiver.fail_next(400, body='{"error": "comment is being moderated"}')
    bot.webhook(customer_message())
    parent = bot.parent()
    send_reply(bot, "Sorry for the wait")
    note = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", parent.ts) if "not delivered" in m.text])[0]

    bot.slack.click(ALICE, note, "retry_reply")
    bot.api.wait_for(lambda: "Replied" in shown(bot.parent()), timeout=10)
    bot.slack.click(ALICE, note, "retry_reply")

    assert [request.status for request in receiver.requests] == [400, 200]
    assert len({request.body["reply_id"] for request in receiver.requests}) == 1
    answer = bot.api.wait_for(lambda: bot.api.responses)[-1]
    assert answer["text"] == "That reply to ACME-1 was delivered already."


def test_parent_updates_queued_behind_an_outage_collapse_into_one(bot):
    bot.webhook(customer_message(id="m0", conversation_id="c", text="first"))
    bot.wait_idle(timeout=10)
    updates_before = len(bot.api.calls_to("chat.update"))
    bot.api.fail_next("chat.postMessage", status=503, count=2)
    for index in range(1, 5):
        bot.webhook(customer_message(id=f"m{index}", conversation_id="c", text=f"message {index}"))

    bot.wait_idle(timeout=15)
    [parent] = bot.api.messages("C0ACME01")
    assert [shown(m).split("> ")[-1] for m in bot.api.thread("C0ACME01", parent.ts)] == [
        f"message {index}" for index in range(1, 5)
    ]
    # Four follow-ups each asked for the parent to be refreshed; it is rendered from the latest
    # state when the update runs, so the updates still waiting behind the outage are done once.
    assert len(bot.api.calls_to("chat.update")[updates_before:]) == 1


def test_a_lost_post_is_found_behind_more_than_a_page_of_newer_messages(bot):
    chatter_posted = []

    def chatter(call) -> None:
        # Right after the post whose answer is lost, the channel gets busy: 250 newer top-level messages.
        if call.method == "chat.postMessage" and call.http_status >= 500 and not chatter_posted:
            chatter_posted.append(True)
            for index in range(250):
                bot.api.handle("chat.postMessage", {"channel": "C0ACME01", "text": f"chatter {index}",
                                                    "token": bot.api.token}, None)

    bot.api.on_call(chatter)
    bot.api.fail_next("chat.postMessage", status=500, lose_response=True)
    bot.webhook(customer_message(id="m1", conversation_id="c1", text="first"))
    bot.api.wait_for(lambda: bot.api.calls_to("conversations.history"), timeout=5)
    bot.wait_idle(timeout=10)

    ours = [m for m in bot.api.messages("C0ACME01") if m.metadata]
    assert len(ours) == 1  # found on the second page, not posted again
    pages = bot.api.calls_to("conversations.history")
    assert len(pages) >= 2 and pages[-1].args.get("cursor")
    assert all(call.response["ok"] for call in pages)


def test_a_job_slower_than_the_configured_lease_is_not_taken_over_while_it_runs(database_url, slack_api, receiver):
    from tests.support.bot import running_bot
    from tests.support.config import make_config

    config = make_config(receiver.url, "delivery: {http_timeout: 2s, lease: 4s, retry_base: 50ms, poll_interval: 100ms}\n")
    with running_bot(database_url, slack_api, config) as first, running_bot(database_url, slack_api, config):
        chatter = [f"chatter {index}" for index in range(450)]
        slack_api.fail_next("chat.postMessage", status=500, lose_response=True)
        first.webhook(customer_message(id="m1", conversation_id="c1", text="first"))
        slack_api.wait_for(lambda: slack_api.calls_to("chat.postMessage"), timeout=5)
        for text in chatter:  # the channel is busy: the lookup after the lost answer reads three pages
            slack_api.handle("chat.postMessage", {"channel": "C0ACME01", "text": text, "token": slack_api.token}, None)
        slack_api.set_delay("conversations.history", 1.5)  # three pages take longer than the 4 s lease
        first.wait_idle(timeout=30)

    first_pages = [call for call in slack_api.calls_to("conversations.history") if not call.args.get("cursor")]
    assert len(first_pages) == 1  # one worker looked; no second worker took the job over meanwhile
    assert len([m for m in slack_api.messages("C0ACME01") if m.metadata]) == 1


def test_messages_arriving_while_the_worker_is_busy_are_posted_without_waiting_for_the_poll(database_url, slack_api,
                                                                                            receiver):
    from tests.support.bot import running_bot
    from tests.support.config import make_config

    config = make_config(receiver.url, "delivery: {poll_interval: 60s}\n")
    with running_bot(database_url, slack_api, config) as bot:
        for index in range(4):  # each arrives while the worker's pass for the previous one runs or has just run
            bot.webhook(customer_message(id=f"b{index}", conversation_id=f"b{index}"))
            bot.webhook(customer_message(id=f"h{index}", conversation_id=f"h{index}"), source="haneul-hook",
                        secret="haneul-secret")
        bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 4 and len(bot.api.messages("C0HANEUL1")) == 4,
                         timeout=15)
