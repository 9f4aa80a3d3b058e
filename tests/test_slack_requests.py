"""Requests claiming to come from Slack are verified, and what the bot does with them is safe."""

from __future__ import annotations

import json
import time

from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.slack import shown


def click_body(bot, message) -> bytes:
    return ("payload=" + json.dumps({"type": "block_actions", "user": {"id": ALICE}, "actions": [
        {"action_id": "resolve", "block_id": "conversation_actions", "value": "1", "type": "button"}
    ]})).encode()


def test_unsigned_request_is_401_and_changes_nothing(bot):
    bot.webhook(customer_message())
    parent = bot.parent()
    body = click_body(bot, parent)

    response = bot.slack.post_raw(body, {"Content-Type": "application/x-www-form-urlencoded"})

    assert response.status_code == 401
    bot.wait_idle()
    assert "Open" in shown(bot.parent())


def test_wrong_signature_is_401(bot):
    response = bot.slack.post_raw(
        b"payload=%7B%7D",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": "v0=" + "0" * 64,
        },
    )
    assert response.status_code == 401


def test_request_older_than_five_minutes_is_401(bot):
    bot.webhook(customer_message())
    body = click_body(bot, bot.parent())
    response = bot.slack.post_signed(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60)
    assert response.status_code == 401
    bot.wait_idle()
    assert "Open" in shown(bot.parent())


def test_url_verification_answers_the_challenge(bot):
    response = bot.slack.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text


def test_customer_text_cannot_ping_or_forge_links(bot):
    hostile = "<!channel> <@U0ALICE01> <!subteam^S0PR0001> <https://evil.example|your bank> & *bold*"
    bot.webhook(customer_message(text=hostile, author={"id": "x", "name": "<!here> Mallory"}))

    text = shown(bot.parent())
    for forged in ("<!channel>", "<@U0ALICE01>", "<!subteam^S0PR0001>", "<https://evil.example|", "<!here>"):
        assert forged not in text
    assert "&lt;!channel&gt;" in text and "&amp;" in text
    assert "<!" not in bot.parent().text


def test_long_text_is_cut_with_a_link_to_the_original(bot):
    bot.webhook(customer_message(text="긴 글 " * 2000, url="https://facebook.com/p/1"))

    parent = bot.parent()
    section = parent.blocks[1]["text"]["text"]
    assert len(section) <= 3000
    assert "…" in section
    assert "<https://facebook.com/p/1|Read the rest on the platform>" in section
