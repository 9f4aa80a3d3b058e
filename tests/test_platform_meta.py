"""Meta: signed webhook deliveries become threads; replies go to the Graph API the documented way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from tests.support.config import ALICE
from tests.support.platforms.meta import (
    IG_ID, PAGE_ID, PAGE_TOKEN, VERIFY_TOKEN, delivery, entry, feed_comment, instagram_comment,
    message_event, post, start,
)
from tests.support.slack import open_reply_modal, reply_in_slack, shown
from tests.support.store import stored_messages


def test_the_verification_handshake_echoes_the_challenge_only_for_our_token(database_url, slack_api, graph):
    with start(database_url, slack_api, graph) as bot:
        url = f"{bot.url}/webhooks/acme-meta"
        ok = bot.http.get(url, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                       "hub.challenge": "1158201444"})
        assert (ok.status_code, ok.text) == (200, "1158201444")
        assert ok.headers["content-type"].startswith("text/plain")
        wrong = bot.http.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "guess",
                                          "hub.challenge": "1158201444"})
        assert wrong.status_code == 403 and "1158201444" not in wrong.text


def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(database_url, slack_api, graph):
    body = delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "9001", "hello")]))
    with start(database_url, slack_api, graph) as bot:
        assert post(bot, body, sign_with="not-the-app-secret").status_code == 401
        assert post(bot, body, sign_with=None).status_code == 401
        assert post(bot, body + b" ", sign_with=None).status_code == 401
        assert stored_messages(bot) == 0
        assert bot.api.messages("C0ACME01") == []


def test_a_facebook_comment_becomes_a_thread_and_the_reply_is_a_graph_comment(database_url, slack_api, graph):
    body = delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "1213590066982748", "배송이 언제 되나요?")]))
    with start(database_url, slack_api, graph) as bot:
        answer = post(bot, body)
        assert answer.status_code == 200

        text = shown(bot.parent())
        assert "Comment on Facebook" in text and "Kim Minji" in text and "배송이 언제 되나요?" in text
        assert "https://www.facebook.com/448242228374517_122131676912594941?comment_id=1213590066982748" in text

        reply_in_slack(bot, "오늘 발송됩니다!")
        sent = graph.wait_for(lambda: graph.requests_to("POST", "/v21.0/122131676912594941_1213590066982748/comments"))
        assert sent[0].form == {"message": "오늘 발송됩니다!"}
        assert sent[0].headers["authorization"] == f"Bearer {PAGE_TOKEN}"
        bot.api.wait_for(lambda: "Replied" in shown(bot.parent()))


def test_one_delivery_with_several_entries_stores_every_customer_item(database_url, slack_api, graph):
    body = delivery(
        "page",
        entry(PAGE_ID, changes=[
            feed_comment(PAGE_ID, "1", "first comment"),
            feed_comment(PAGE_ID, "2", "second comment", author=("6002", "Lee Jun")),
            feed_comment(PAGE_ID, "1", "first comment, edited", verb="edited"),
            feed_comment(PAGE_ID, "404", "never seen", verb="remove"),
            feed_comment(PAGE_ID, "3", "our own answer", author=(PAGE_ID, "Acme")),
            {"field": "feed", "value": {"item": "reaction", "verb": "add", "reaction_type": "like"}},
        ]),
        entry(PAGE_ID, messaging=[
            message_event("24000001", PAGE_ID, "mid.a", "hi from messenger"),
            message_event(PAGE_ID, "24000001", "mid.echo", "our echo", echo=True),
        ]),
    )
    with start(database_url, slack_api, graph) as bot:
        assert post(bot, body).status_code == 200
        assert stored_messages(bot) == 3
        bot.wait_idle()
        texts = " ".join(shown(m) for m in bot.api.messages("C0ACME01"))
        assert "first comment" in texts and "second comment" in texts and "hi from messenger" in texts
        assert "our own answer" not in texts and "our echo" not in texts
        notes = " ".join(shown(m) for m in bot.api.thread("C0ACME01", bot.api.messages("C0ACME01")[0].ts))
        assert "edited:" in notes and "first comment, edited" in notes
        assert post(bot, body).status_code == 200  # Meta retries: nothing new
        assert stored_messages(bot) == 3


def test_a_reply_to_a_comment_reply_joins_its_thread_and_answers_the_top_comment(database_url, slack_api, graph):
    top = feed_comment(PAGE_ID, "10", "Is it vegan?")
    with start(database_url, slack_api, graph) as bot:
        post(bot, delivery("page", entry(PAGE_ID, changes=[top])))
        parent = bot.parent()
        follow = feed_comment(PAGE_ID, "11", "And gluten free?", parent_id=top["value"]["comment_id"])
        post(bot, delivery("page", entry(PAGE_ID, changes=[follow])))
        bot.api.wait_for(lambda: bot.api.thread("C0ACME01", parent.ts))

        reply_in_slack(bot, "Both, yes.", parent=bot.parent())

        assert graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{top['value']['comment_id']}/comments"))
        assert len(bot.api.messages("C0ACME01")) == 1


def test_a_messenger_message_is_answered_with_the_send_api(database_url, slack_api, graph):
    body = delivery("page", entry(PAGE_ID, messaging=[message_event("24000001", PAGE_ID, "mid.1457764197618", "hello")]))
    with start(database_url, slack_api, graph) as bot:
        post(bot, body)
        assert "Direct message on Facebook" in shown(bot.parent())

        reply_in_slack(bot, "Hi! How can we help?")

        sent = graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{PAGE_ID}/messages"))[0]
        assert sent.json == {"recipient": {"id": "24000001"}, "messaging_type": "RESPONSE",
                             "message": {"text": "Hi! How can we help?"}}


def test_instagram_comments_and_dms_use_their_own_endpoints(database_url, slack_api, graph):
    comments = delivery("instagram", entry(IG_ID, changes=[instagram_comment("17865799348089039", "love it")]))
    dms = delivery("instagram", entry(IG_ID, messaging=[message_event("5310000001", IG_ID, "aWdfZG1fbWlk", "size?")]))
    with start(database_url, slack_api, graph) as bot:
        post(bot, comments)
        comment_parent = bot.parent()
        assert "Comment on Instagram" in shown(comment_parent) and "@minji.kim" in shown(comment_parent)
        post(bot, dms)
        bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 2)
        dm_parent = bot.parent()
        assert "Direct message on Instagram" in shown(dm_parent)

        reply_in_slack(bot, "Thank you!", parent=comment_parent)
        reply_in_slack(bot, "Medium fits most.", parent=dm_parent)

        reply = graph.wait_for(lambda: graph.requests_to("POST", "/v21.0/17865799348089039/replies"))[0]
        assert reply.form == {"message": "Thank you!"}
        dm = graph.wait_for(lambda: graph.requests_to("POST", f"/v21.0/{PAGE_ID}/messages"))[0]
        assert dm.json["recipient"] == {"id": "5310000001"}


def test_a_dm_older_than_24_hours_cannot_be_answered_and_slack_says_why(database_url, slack_api, graph):
    clock = ManualClock(datetime.now(UTC))
    body = delivery("page", entry(PAGE_ID, messaging=[message_event("24000001", PAGE_ID, "mid.old", "anyone?")]))
    with start(database_url, slack_api, graph, clock) as bot:
        post(bot, body)
        parent = bot.parent()
        clock.advance(timedelta(hours=25))

        bot.slack.click(ALICE, parent, "reply")

        refusal = bot.api.wait_for(lambda: [r for r in bot.api.responses if "24 hours" in r.get("text", "")])[0]
        assert "ACME-1 cannot be answered on Messenger" in refusal["text"]
        assert bot.api.view_for_user(ALICE) is None
        assert graph.requests_to("POST", f"/v21.0/{PAGE_ID}/messages") == []


def test_a_dm_inside_the_window_opens_the_reply_modal(database_url, slack_api, graph):
    clock = ManualClock(datetime.now(UTC))
    body = delivery("page", entry(PAGE_ID, messaging=[message_event("24000001", PAGE_ID, "mid.new", "anyone?")]))
    with start(database_url, slack_api, graph, clock) as bot:
        post(bot, body)
        clock.advance(timedelta(hours=23))
        assert open_reply_modal(bot)["callback_id"] == "reply_modal"


def test_a_window_closed_answer_from_meta_is_shown_as_not_delivered(database_url, slack_api, graph):
    body = delivery("page", entry(PAGE_ID, messaging=[message_event("24000009", PAGE_ID, "mid.x", "hello")]))
    graph.closed_windows.add("24000009")
    with start(database_url, slack_api, graph) as bot:
        post(bot, body)
        parent = bot.parent()
        reply_in_slack(bot, "Sorry for the wait")
        note = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", parent.ts) if "not delivered" in m.text])
        assert "24-hour window" in note[0].text and "2018278" in note[0].text


def test_an_expired_page_token_is_a_clear_permanent_failure(database_url, slack_api, graph):
    body = delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "77", "hello?")]))
    graph.fail_next(400, {"error": {"message": "Error validating access token: Session has expired", "type": "OAuthException",
                                    "code": 190, "error_subcode": 463, "fbtrace_id": "EJplcsCHuLu"}})
    with start(database_url, slack_api, graph) as bot:
        post(bot, body)
        parent = bot.parent()
        reply_in_slack(bot, "Hello!")
        note = bot.api.wait_for(lambda: [m for m in bot.api.thread("C0ACME01", parent.ts) if "not delivered" in m.text])
        assert "page access token" in note[0].text and "code 190/463" in note[0].text
        assert len(graph.attempts_to("POST", "/v21.0/")) == 1  # not retried


def test_a_rate_limited_reply_is_retried(database_url, slack_api, graph):
    body = delivery("page", entry(PAGE_ID, changes=[feed_comment(PAGE_ID, "78", "hello?")]))
    graph.fail_next(400, {"error": {"message": "(#4) Application request limit reached", "type": "OAuthException",
                                    "code": 4, "fbtrace_id": "x"}})
    with start(database_url, slack_api, graph) as bot:
        post(bot, body)
        reply_in_slack(bot, "Hello!")
        graph.wait_for(lambda: graph.requests_to("POST", "/v21.0/122131676912594941_78/comments"))
        assert len(graph.attempts_to("POST", "/v21.0/122131676912594941_78/comments")) == 2


def test_moderation_hides_unhides_and_deletes_comments(database_url, slack_api, graph):
    with start(database_url, slack_api, graph) as bot:
        client = bot.runtime.desk.platforms["acme-meta"]
        client.hide("122131676912594941_1")
        client.unhide("122131676912594941_1")
        client.hide("17865799348089039", instagram=True)
        client.delete("122131676912594941_2")

        posts = graph.requests_to("POST", "/v21.0/")
        assert [(p.path, p.form) for p in posts] == [
            ("/v21.0/122131676912594941_1", {"is_hidden": "true"}),
            ("/v21.0/122131676912594941_1", {"is_hidden": "false"}),
            ("/v21.0/17865799348089039", {"hide": "true"}),
        ]
        assert graph.requests_to("DELETE", "/v21.0/122131676912594941_2")
