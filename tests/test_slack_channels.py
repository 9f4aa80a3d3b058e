"""Channels as Slack has them: the bot not invited, archived, deleted. Nothing is lost, the admins hear of it."""

from __future__ import annotations

import logging

import pytest

from bot.slack_scopes import bot_scopes
from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.slack import shown


def test_an_escalation_reaches_a_tier_channel_the_bot_never_joined(bot):
    bot.api.set_channel("C0PR0001", name="pr-team", member=False)
    bot.webhook(customer_message(text="I will post this everywhere unless you answer"))
    parent = bot.parent()

    bot.slack.click(ALICE, parent, "escalate")
    modal = bot.api.wait_for(lambda: bot.api.view_for_user(ALICE))
    bot.slack.submit(ALICE, modal, {"tier": "pr", "text": "Threatens a public campaign"})

    post = bot.api.wait_for(lambda: bot.api.messages("C0PR0001"))[0]
    assert "Threatens a public campaign" in shown(post)


def test_the_stand_in_refuses_what_slack_refuses_in_channels(bot):
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=bot.runtime.settings.slack_bot_token, base_url=bot.api.base_url)
    bot.api.set_channel("C0PUBLIC1", member=False)
    bot.api.set_channel("C0SECRET1", private=True, member=False)
    bot.api.set_channel("C0OLD0001", archived=True)

    def error(call):
        with pytest.raises(SlackApiError) as refused:
            call()
        return refused.value.response["error"]

    assert error(lambda: client.conversations_history(channel="C0PUBLIC1")) == "not_in_channel"
    assert error(lambda: client.conversations_replies(channel="C0PUBLIC1", ts="1.1")) == "not_in_channel"
    assert error(lambda: client.conversations_history(channel="C0SECRET1")) == "channel_not_found"
    assert error(lambda: client.chat_postMessage(channel="C0SECRET1", text="x")) == "channel_not_found"
    assert error(lambda: client.chat_postMessage(channel="C0OLD0001", text="x")) == "is_archived"
    assert client.chat_postMessage(channel="C0PUBLIC1", text="x")["ok"]  # chat:write.public
    bot.api.scopes = [scope for scope in bot.api.scopes if scope != "chat:write.public"]
    assert error(lambda: client.chat_postMessage(channel="C0PUBLIC1", text="x")) == "not_in_channel"
    bot.api.scopes = bot_scopes()


@pytest.mark.parametrize("why", ["not a member", pytest.param("no history scope", marks=pytest.mark.scopes_taken_away)])
def test_a_lookup_the_bot_may_not_make_is_skipped_with_a_warning_and_the_post_still_goes_out(bot, caplog, why):
    if why == "not a member":
        bot.api.set_channel("C0ACME01", name="acme-social", member=False)  # posts with chat:write.public
    else:
        bot.api.scopes = [scope for scope in bot_scopes() if scope != "channels:history"]
    bot.api.fail_next("chat.postMessage", status=500, lose_response=True)
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        bot.webhook(customer_message(text="where is my parcel"))
        bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 2, timeout=10)
        bot.wait_idle()
    assert [call.response["error"] for call in bot.api.calls_to("conversations.history")] == \
        ["not_in_channel" if why == "not a member" else "missing_scope"]
    assert any("posting it, so it may show twice" in record.getMessage() for record in caplog.records)
    assert not any(record.levelno >= logging.ERROR for record in caplog.records if record.name.startswith("bot"))


@pytest.mark.parametrize("gone", ["archived", "deleted"])
def test_posts_to_an_archived_or_deleted_brand_channel_wait_and_the_admins_are_told(bot, caplog, gone):
    if gone == "archived":
        bot.api.set_channel("C0ACME01", name="acme-social", archived=True)
    else:
        bot.api.delete_channel("C0ACME01")
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        bot.webhook(customer_message(id="m1", conversation_id="c1", text="first"))
        bot.webhook(customer_message(id="m2", conversation_id="c2", text="second"))
        bot.api.wait_for(lambda: len(bot.api.calls_to("chat.postMessage")) >= 2, timeout=10)
    error = "is_archived" if gone == "archived" else "channel_not_found"
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("bot")]
    assert len(errors) == 1, errors  # once, not once per post or per attempt
    assert "C0ACME01 (brands.acme.slack_channel)" in errors[0] and "App Home" in errors[0]
    assert bot.runtime.worker.pending() == 2  # nothing dropped

    bot.slack.event({"type": "app_home_opened", "user": ALICE, "tab": "home", "event_ts": "1.1"})
    home = bot.api.wait_for(lambda: bot.api.home_view(ALICE))
    alert = next(block for block in home["blocks"] if block.get("block_id") == "home_channel_alerts")
    assert "<#C0ACME01>" in alert["text"]["text"] and "2 post(s) wait" in alert["text"]["text"]
    assert bot.api.calls_to("chat.postMessage")[0].response["error"] == error

    bot.api.set_channel("C0ACME01", name="acme-social")  # unarchived, or the bot invited back
    bot.api.wait_for(lambda: len(bot.api.messages("C0ACME01")) == 2, timeout=15)
    bot.wait_idle(timeout=10)
    assert sorted(m.text.split(" ")[0] for m in bot.api.messages("C0ACME01")) == ["ACME-1", "ACME-2"]


@pytest.mark.scopes_taken_away
def test_a_call_refused_for_a_missing_scope_is_logged_with_the_scope_and_what_to_do(bot, caplog):
    bot.api.scopes = [scope for scope in bot_scopes() if scope != "chat:write"]
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        bot.webhook(customer_message(text="where is my parcel"))
        bot.api.wait_for(lambda: bot.api.calls_to("chat.postMessage"), timeout=10)
        bot.wait_idle()
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("bot")]
    assert errors and "lacks chat:write" in errors[0] and "socialdesk check" in errors[0], errors
