"""The table of Slack methods and scopes (bot/slack_scopes.py) is complete and every scope in it is needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.demo.standins.slack_requests import FakeSlack
from bot.demo.standins.slack_web_api import NEEDED_SCOPES, SlackStandIn
from bot.slack_scopes import APP_TOKEN_METHODS, METHOD_SCOPES, PRIVATE, PUBLIC, SCOPES, bot_scopes, scopes_markdown, scopes_of

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-scopes"
PUBLIC_CHANNEL, PRIVATE_CHANNEL, TIER_CHANNEL = "C0PUBLIC1", "C0PRIVATE", "C0TIER001"
CALL_SITE = re.compile(
    r"\b(?:client|_client|slack)\.(?P<attr>[a-z]+_[A-Za-z0-9_]+)\("  # client.chat_postMessage(...)
    r"|(?:\b_|\battempt\.)call\(\s*\"(?P<call>[a-z]+_\w+)\""  # self._call("chat_update", ...), attempt.call(...)
    r"|\b_slack\([^,()]+,\s*\"(?P<slack>[a-z]+_\w+)\""  # self._slack(key, "conversations_history", ...)
)
SLACK_FAMILIES = {"admin", "apps", "auth", "bookmarks", "bots", "chat", "conversations", "dnd", "emoji", "files",
                  "pins", "reactions", "reminders", "search", "team", "usergroups", "users", "views"}
SDK_METHODS = {"files_upload_v2": ["files.getUploadURLExternal", "files.completeUploadExternal"]}


def slack_methods_called_in_code() -> dict[str, list[str]]:
    """Slack method → where the bot's code calls it."""
    found: dict[str, list[str]] = {}
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "offline" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                for match in CALL_SITE.finditer(line):
                    name = match.group("attr") or match.group("call") or match.group("slack")
                    if name.split("_")[0] not in SLACK_FAMILIES:
                        continue  # a platform client, not Slack's
                    for method in SDK_METHODS.get(name, [name.replace("_", ".")]):
                        found.setdefault(method, []).append(f"{path.relative_to(ROOT)}:{number}")
    return found


def test_every_method_the_code_calls_is_in_the_table_and_nothing_else():
    called = slack_methods_called_in_code()
    assert {"chat.postMessage", "conversations.open", "files.completeUploadExternal", "users.info"} <= set(called)
    unlisted = {method: where for method, where in called.items()
                if method not in METHOD_SCOPES and method not in APP_TOKEN_METHODS}
    assert unlisted == {}
    assert set(APP_TOKEN_METHODS) <= set(called), "app-token methods in the table that no code calls"
    assert set(METHOD_SCOPES) - set(called) == set(), "methods in the table that no code calls"


@pytest.mark.parametrize("method", sorted(METHOD_SCOPES))
def test_the_table_asks_what_slack_asks_for_each_method(method):
    slack_says = NEEDED_SCOPES[method]
    if isinstance(slack_says, dict):
        slack_says = {kind: slack_says[kind] for kind in (PUBLIC, PRIVATE)}
    assert METHOD_SCOPES[method] == slack_says


def _call_needing(client: WebClient, method: str, scope: str) -> None:
    need = METHOD_SCOPES[method]
    channel = PRIVATE_CHANNEL if isinstance(need, dict) and need.get(PRIVATE) == scope else PUBLIC_CHANNEL
    client.api_call(method, json={"channel": channel, "users": "U0ALICE01", "user": "U0ALICE01",
                                  "usergroup": "S0DUTY001", "filename": "chart.png", "length": 1, "text": "hi",
                                  "ts": "1.000001", "files": []})


@pytest.mark.scopes_taken_away
@pytest.mark.parametrize("scope", bot_scopes())
def test_taking_any_scope_out_of_the_table_makes_slack_refuse_the_bot(scope):
    granted = [name for name in bot_scopes() if name != scope]
    with SlackStandIn(token=TOKEN, scopes=granted, channels={PUBLIC_CHANNEL, TIER_CHANNEL}) as api:
        api.set_channel(PRIVATE_CHANNEL, private=True)
        api.set_channel(TIER_CHANNEL, member=False)
        client = WebClient(token=TOKEN, base_url=api.base_url)
        client.retry_handlers = []
        refusals = []
        if scope == "commands":
            with pytest.raises(PermissionError, match="commands"):
                FakeSlack("http://127.0.0.1:9", "secret", api).command("U0ALICE01", "/social", "help", PUBLIC_CHANNEL)
            return
        if scope == "chat:write.public":
            with pytest.raises(SlackApiError) as refused:
                client.chat_postMessage(channel=TIER_CHANNEL, text="escalated")
            assert refused.value.response["error"] == "not_in_channel"
            return
        for method in [m for m in METHOD_SCOPES if scope in scopes_of(m)]:
            with pytest.raises(SlackApiError) as refused:
                _call_needing(client, method, scope)
            refusals.append(refused.value.response.data)
        assert refusals and all(r["error"] == "missing_scope" and r["needed"] == scope for r in refusals)
        assert scope not in refusals[0]["provided"].split(",")


def test_with_every_scope_of_the_table_none_of_those_calls_is_refused_for_scope():
    with SlackStandIn(token=TOKEN, channels={PUBLIC_CHANNEL, TIER_CHANNEL}) as api:
        api.set_channel(PRIVATE_CHANNEL, private=True)
        api.set_channel(TIER_CHANNEL, member=False)
        client = WebClient(token=TOKEN, base_url=api.base_url)
        client.retry_handlers = []
        client.chat_postMessage(channel=TIER_CHANNEL, text="escalated")
        for scope in SCOPES:
            for method in [m for m in METHOD_SCOPES if scope in scopes_of(m)]:
                try:
                    _call_needing(client, method, scope)
                except SlackApiError as error:
                    assert error.response["error"] != "missing_scope", (method, error.response.data)


@pytest.mark.scopes_taken_away
def test_every_answer_to_the_bot_token_carries_its_scopes_in_a_header_as_slack_does():
    with SlackStandIn(token=TOKEN, scopes=["chat:write", "commands"], channels={PUBLIC_CHANNEL}) as api:
        client = WebClient(token=TOKEN, base_url=api.base_url)
        client.retry_handlers = []
        assert client.auth_test().headers["x-oauth-scopes"] == "chat:write,commands"
        assert client.chat_postMessage(channel=PUBLIC_CHANNEL, text="hi").headers["x-oauth-scopes"] == \
            "chat:write,commands"
        with pytest.raises(SlackApiError) as refused:
            client.users_info(user="U0ALICE01")
        assert refused.value.response.headers["x-oauth-scopes"] == "chat:write,commands"


def test_the_docs_list_exactly_the_tables_scopes():
    page = (ROOT / "docs" / "slack.md").read_text()
    block = page.split("<!-- scopes: generated from bot/slack_scopes.py -->\n", 1)[1].split("\n<!-- end of scopes -->", 1)[0]
    assert block == scopes_markdown()
    assert re.findall(r"^\| `([^`]+)` \|", block, re.MULTILINE) == bot_scopes()
