"""The Slack stand-in answers like Slack, so that the bot's tests mean something."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.demo.standins.slack_web_api import SlackStandIn


@pytest.fixture
def api():
    with SlackStandIn(token="xoxb-t", channels={"C1"}) as stand_in:
        yield stand_in


@pytest.fixture
def client(api):
    web = WebClient(token="xoxb-t", base_url=api.base_url)
    web.retry_handlers = []
    return web


def error_of(call) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_posts_threads_edits_and_permalinks(api, client):
    parent = client.chat_postMessage(channel="C1", text="hello", blocks=[section("hello")])
    reply = client.chat_postMessage(channel="C1", text="in thread", thread_ts=parent["ts"])
    client.chat_update(channel="C1", ts=parent["ts"], text="edited")

    assert [m.text for m in api.messages("C1")] == ["edited"]
    assert [m.text for m in api.thread("C1", parent["ts"])] == ["in thread"]
    assert api.message("C1", parent["ts"]).edits[0]["text"] == "hello"
    link = client.chat_getPermalink(channel="C1", message_ts=reply["ts"])["permalink"]
    assert link.endswith(f"?thread_ts={parent['ts']}&cid=C1")


@pytest.mark.parametrize(
    ("blocks", "fragment"),
    [
        ([section("x")] * 51, "no more than 50 items"),
        ([section("x" * 3001)], "less than 3001 characters"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "no more than 10 items"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "less than 151"),
        ([{"type": "actions", "elements": [{"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "b"}, "value": "v" * 2001}]}], "less than 2001"),
        ([{"type": "actions", "elements": [{"type": "button", "action_id": "a" * 256, "text": {"type": "plain_text", "text": "b"}}]}], "less than 256"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "no more than 10 items"),
        ([{"type": "section", "block_id": "same", "text": {"type": "mrkdwn", "text": "a"}}] * 2, "duplicate block_id"),
    ],
)
def test_block_kit_limits_are_refused_with_invalid_blocks(client, blocks, fragment):
    error = error_of(lambda: client.chat_postMessage(channel="C1", text="t", blocks=blocks))
    assert error.response["error"] == "invalid_blocks"
    assert any(fragment in message for message in error.response["errors"])


def test_unknown_channel_bad_token_and_missing_text(api, client):
    assert error_of(lambda: client.chat_postMessage(channel="C404", text="x")).response["error"] == "channel_not_found"
    with pytest.warns(UserWarning):
        assert error_of(lambda: client.chat_postMessage(channel="C1")).response["error"] == "no_text"
    bad = WebClient(token="xoxb-wrong", base_url=api.base_url)
    assert error_of(lambda: bad.auth_test()).response["error"] == "invalid_auth"


def test_rate_limit_answers_429_with_retry_after(api, client):
    api.fail_next("chat.postMessage", status=429, retry_after=7)
    error = error_of(lambda: client.chat_postMessage(channel="C1", text="x"))
    assert error.response.status_code == 429
    assert error.response.headers["Retry-After"] in ("7", ["7"])
    assert client.chat_postMessage(channel="C1", text="x")["ok"]


def test_per_channel_pace_is_enforced():
    with SlackStandIn(token="xoxb-t", post_rate_per_channel=1.0, burst=2) as api:
        client = WebClient(token="xoxb-t", base_url=api.base_url)
        client.retry_handlers = []
        client.chat_postMessage(channel="C1", text="1")
        client.chat_postMessage(channel="C1", text="2")
        assert error_of(lambda: client.chat_postMessage(channel="C1", text="3")).response.status_code == 429
        assert client.chat_postMessage(channel="C2", text="other channel")["ok"]


def test_modals_need_a_fresh_single_use_trigger_and_a_short_title(api, client):
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Title"}, "blocks": []}
    assert error_of(lambda: client.views_open(trigger_id="made-up", view=view)).response["error"] == "invalid_trigger_id"
    trigger = api.issue_trigger("U1")
    assert client.views_open(trigger_id=trigger, view=view)["view"]["id"].startswith("V")
    assert error_of(lambda: client.views_open(trigger_id=trigger, view=view)).response["error"] == "exchanged_trigger_id"
    long_title = {**view, "title": {"type": "plain_text", "text": "x" * 25}}
    assert error_of(lambda: client.views_open(trigger_id=api.issue_trigger("U1"), view=long_title)).response["error"] == "invalid_arguments"


def refusal(call) -> dict:
    return error_of(call).response.data


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
