"""The Slack stand-in refuses what Slack refuses, with Slack's error names, and pages like Slack."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.offline.slack_web import SlackStandIn


@pytest.fixture
def api():
    with SlackStandIn(token="xoxb-t", channels={"C1"}) as stand_in:
        yield stand_in


@pytest.fixture
def client(api):
    web = WebClient(token="xoxb-t", base_url=api.base_url)
    web.retry_handlers = []
    return web


def refusal(call) -> dict:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value.response.data


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(**extra) -> dict:
    return {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "b"}, "value": "v", **extra}


@pytest.mark.parametrize(
    ("blocks", "fragment"),
    [
        ([{"type": "actions", "elements": [button(text={"type": "plain_text", "text": "b" * 76})]}], "less than 76"),
        ([{"type": "actions", "elements": [{"type": "overflow", "action_id": "o", "options": [
            {"text": {"type": "plain_text", "text": "o"}, "value": str(n)} for n in range(6)]}]}], "no more than 5"),
        ([{"type": "actions", "elements": [{"type": "static_select", "action_id": "s", "options": [
            {"text": {"type": "plain_text", "text": "o" * 76}, "value": "1"}]}]}], "less than 76"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c" * 3001}]}], "less than 3001"),
        ([section("😀" * 1501)], "less than 3001"),  # an emoji counts twice
        ([{"type": "section", "block_id": "b" * 256, "text": {"type": "mrkdwn", "text": "x"}}], "less than 256"),
    ],
)
def test_more_block_kit_limits_are_refused_with_invalid_blocks(client, blocks, fragment):
    answer = refusal(lambda: client.chat_postMessage(channel="C1", text="t", blocks=blocks))
    assert answer["error"] == "invalid_blocks"
    assert any(fragment in message for message in answer["errors"])


def test_blocks_holding_too_much_text_in_all_are_refused_as_too_long(client):
    blocks = [section("x" * 2900) for _ in range(5)]
    assert refusal(lambda: client.chat_postMessage(channel="C1", text="t", blocks=blocks))["error"] == "msg_blocks_too_long"
    posted = client.chat_postMessage(channel="C1", text="t", blocks=blocks[:4])
    assert refusal(lambda: client.chat_update(channel="C1", ts=posted["ts"], text="t", blocks=blocks))["error"] == \
        "msg_blocks_too_long"
    assert refusal(lambda: client.chat_postMessage(channel="C1", text="x" * 40_001))["error"] == "msg_too_long"


def test_a_view_over_a_limit_is_refused_as_invalid_arguments(api, client):
    view = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": [section("x" * 3001)]}
    answer = refusal(lambda: client.views_open(trigger_id=api.issue_trigger("U1"), view=view))
    assert answer["error"] == "invalid_arguments"
    assert any("less than 3001" in message for message in answer["response_metadata"]["messages"])
    metadata = {**view, "blocks": [section("ok")], "private_metadata": "m" * 3001}
    assert refusal(lambda: client.views_open(trigger_id=api.issue_trigger("U1"), view=metadata))["error"] == \
        "invalid_arguments"
    home = {"type": "home", "blocks": [section("x")] * 101}
    assert refusal(lambda: client.views_publish(user_id="U1", view=home))["error"] == "invalid_arguments"


def test_history_comes_in_pages_newest_first_with_a_cursor(api, client):
    stamps = [client.chat_postMessage(channel="C1", text=f"m{n}")["ts"] for n in range(250)]
    first = client.conversations_history(channel="C1", limit=200)
    assert len(first["messages"]) == 200 and first["has_more"]
    assert first["messages"][0]["text"] == "m249"
    second = client.conversations_history(channel="C1", limit=200, cursor=first["response_metadata"]["next_cursor"])
    assert [m["text"] for m in second["messages"]] == [f"m{n}" for n in range(49, -1, -1)]
    assert not second["has_more"] and second["response_metadata"]["next_cursor"] == ""
    after = client.conversations_history(channel="C1", oldest=stamps[247])  # oldest itself is left out
    assert [m["text"] for m in after["messages"]] == ["m249", "m248"]
    assert refusal(lambda: client.conversations_history(channel="C1", cursor="not-a-cursor"))["error"] == "invalid_cursor"
