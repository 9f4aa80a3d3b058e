"""Hostile and odd input: replays, retries, tricky customer text, secrets in logs, and fuzzing."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.slack_limits import text_units
from handlers.web.bodies import escapes_lone_surrogate
from storage.models import Message, SeenRequest
from tests.support.bot import customer_message
from tests.support.config import ALICE, BOT_TOKEN, HOOK_SECRET, SIGNING_SECRET
from tests.support.slack import all_text, shown

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def stored_messages(bot) -> int:
    with bot.runtime.db.transaction() as session:
        return session.scalar(select(func.count()).select_from(Message)) or 0


def resolve_click_body(bot) -> bytes:
    parent = bot.parent()
    payload = {
        "type": "block_actions", "team": {"id": "T0TEAM001", "domain": "demo"},
        "user": {"id": ALICE, "team_id": "T0TEAM001"}, "api_app_id": "A0SOCIAL01", "token": "legacy",
        "trigger_id": bot.api.issue_trigger(ALICE), "response_url": bot.api.new_response_url(),
        "container": {"type": "message", "message_ts": parent.ts, "channel_id": "C0ACME01"},
        "channel": {"id": "C0ACME01"}, "message": parent.to_payload(),
        "actions": [{"action_id": "resolve", "block_id": "actions", "type": "button",
                     "value": "1", "action_ts": f"{time.time():.6f}"}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_a_replayed_slack_request_is_401_and_done_once(bot):
    bot.webhook(customer_message())
    body, stamp = resolve_click_body(bot), int(time.time())

    first = bot.slack.post_signed(body, "application/x-www-form-urlencoded", timestamp=stamp)
    replay = bot.slack.post_signed(body, "application/x-www-form-urlencoded", timestamp=stamp)

    assert first.status_code == 200
    assert replay.status_code == 401
    bot.wait_idle()
    notes = [m for m in bot.api.thread("C0ACME01", bot.parent().ts) if "resolved" in m.text]
    assert len(notes) == 1


def test_an_event_slack_delivers_again_is_handled_once(bot):
    event = {"type": "app_home_opened", "user": ALICE, "channel": "D0ALICE01", "tab": "home",
             "event_ts": f"{time.time():.6f}"}
    assert bot.slack.event(event, event_id="Ev0RETRY01").status_code == 200
    assert bot.slack.event(event, event_id="Ev0RETRY01", retry_num=1).status_code == 200
    assert bot.slack.event(event, event_id="Ev0RETRY01", retry_num=2, retry_reason="http_error").status_code == 200
    bot.api.wait_for(lambda: bot.api.calls_to("views.publish"))
    time.sleep(0.3)
    assert len(bot.api.calls_to("views.publish")) == 1


def test_a_thread_message_the_bot_ignores_is_acked_every_time_without_the_replay_ledger(bot):
    event = {"type": "message", "channel": "C0ACME01", "channel_type": "channel", "user": ALICE,
             "text": "Checking with the courier", "ts": f"{time.time():.6f}", "thread_ts": "1763883000.000100"}
    envelope = json.dumps({"token": "legacy", "team_id": "T0TEAM001", "api_app_id": "A0SOCIAL01", "event": event,
                           "type": "event_callback", "event_id": "Ev0CHAT001", "event_time": int(time.time())}).encode()
    stamp = int(time.time())

    first = bot.slack.post_signed(envelope, "application/json", timestamp=stamp)
    again = bot.slack.post_signed(envelope, "application/json", timestamp=stamp)  # nothing to do twice either
    retried = bot.slack.post_signed(envelope, "application/json", timestamp=stamp,
                                    extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})

    assert [first.status_code, again.status_code, retried.status_code] == [200, 200, 200]
    with bot.runtime.db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(SeenRequest)) == 0
    bot.wait_idle()
    assert bot.api.calls_to("chat.postMessage") == []


HOSTILE_TEXTS = {
    "control sequences": "<!channel> <!here|here> <@U0ALICE01> <#C0ACME01> <https://evil.example|bank login>",
    "markdown": "*bold* _it_ ~strike~ `code` ```block``` > quote\n• bullet",
    "zero width and RTL": "pay\u200bpal \u202egnp.exe\u202c \u2067عربى\u2069 שלום",
    "emoji flood": "😀" * 10_000,
    "Korean": "환불해 주세요. 배송이 2주째 안 와요! " * 200,
    "lone surrogate": "broken \ud800 half \udc00 pair",
}


def test_hostile_customer_text_renders_inert_and_within_slack_limits(bot):
    for index, (name, text) in enumerate(HOSTILE_TEXTS.items()):
        raw = json.dumps(customer_message(id=f"h{index}", text=text, author={"id": f"a{index}", "name": text[:200]}))
        assert bot.webhook(raw.encode()).status_code == 202, name
    bot.wait_idle(timeout=10)

    parents = bot.api.messages("C0ACME01")
    assert len(parents) == len(HOSTILE_TEXTS)  # the stand-in refused nothing as too long or malformed
    for parent in parents:
        text = all_text(parent.blocks)
        assert "<!channel>" not in text and "<!here" not in text and "<@U0ALICE01>" not in text
        assert "<https://evil.example" not in text
        assert "\u202e" not in text and "\ud800" not in text
        assert text_units(parent.text) <= 40_000
    assert "broken \ufffd half \ufffd pair" in shown(parents[-1])
    assert "환불해 주세요" in shown(parents[-2])


def test_secrets_never_reach_the_logs(bot, receiver, caplog):
    caplog.set_level(logging.DEBUG)
    bot.api.fail_next("chat.postMessage", status=500)
    receiver.fail_next(503)
    bot.webhook(customer_message())
    bot.webhook(customer_message(), secret="wrong-secret")
    bot.slack.click(ALICE, bot.parent(), "reply")
    bot.slack.submit(ALICE, bot.api.wait_for(lambda: bot.api.view_for_user(ALICE)), {"text": "On it"})
    receiver.wait_for(lambda: receiver.deliveries)
    bot.wait_idle()

    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    for secret in (BOT_TOKEN, SIGNING_SECRET, HOOK_SECRET):
        assert secret not in logged


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
webhook_bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries(
        {"id": json_values, "kind": st.sampled_from(["comment", "dm", "review", "tweet", 3]),
         "author": json_values, "text": json_values},
        optional={"rating": json_values, "url": json_values, "created_at": json_values, "priority": json_values},
    ).map(lambda value: json.dumps(value).encode()),
)


@FUZZ
@given(body=webhook_bodies, signed=st.booleans())
def test_fuzzed_webhooks_never_get_a_5xx_and_rejected_ones_store_nothing(bot, body, signed):
    before = stored_messages(bot)
    headers = None if signed else {"X-Socialdesk-Signature": "sha256=" + "0" * 64}
    answer = bot.webhook(body, headers=headers)
    assert answer.status_code < 500
    if answer.status_code >= 400:
        assert stored_messages(bot) == before
        assert answer.json()["error"]


interactive_payloads = st.fixed_dictionaries(
    {"type": st.sampled_from(["block_actions", "view_submission", "message_action", "shortcut", "view_closed"])},
    optional={
        "user": st.one_of(json_values, st.fixed_dictionaries({"id": st.sampled_from([ALICE, "", "UX"])})),
        "team": json_values, "trigger_id": json_values, "callback_id": st.sampled_from(["track_conversation", "x"]),
        "actions": st.lists(st.fixed_dictionaries(
            {"action_id": st.sampled_from(["assign", "reply", "resolve", "reopen", "escalate", "reply_template"])},
            optional={"value": json_values, "selected_option": json_values}), max_size=2),
        "view": st.fixed_dictionaries(
            {"callback_id": st.sampled_from(["assign_modal", "reply_modal", "escalate_modal", "track_modal"])},
            optional={"private_metadata": st.one_of(st.text(max_size=30), st.just('{"conversation_id": 99}')),
                      "state": json_values, "id": json_values}),
        "message": json_values, "channel": json_values,
    },
)
slack_bodies = st.one_of(
    interactive_payloads.map(lambda value: urlencode({"payload": json.dumps(value)}).encode()),
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    json_values.map(lambda value: urlencode({"payload": json.dumps(value)}).encode()),
    st.dictionaries(st.sampled_from(["command", "text", "user_id", "team_id", "channel_id", "trigger_id"]),
                    st.text(max_size=40), max_size=6).map(lambda form: urlencode(form).encode()),
)


@FUZZ
@given(body=slack_bodies, content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded"]))
def test_fuzzed_slack_requests_never_get_a_5xx(bot, body, content_type):
    before = stored_messages(bot)
    answer = bot.slack.post_signed(body, content_type)
    assert answer.status_code < 500
    assert stored_messages(bot) == before


def test_slack_bodies_bolt_cannot_read_are_a_4xx(bot):
    unreadable = [
        (b"[" * 5000 + b"]" * 5000, "application/json"),
        (b"[]", "application/json"),
        (b'"just a string"', "application/json"),
        (b"payload=%5B%5D", "application/x-www-form-urlencoded"),
        (b"payload=" + b"%5B" * 3000 + b"%5D" * 3000, "application/x-www-form-urlencoded"),
    ]
    for body, content_type in unreadable:
        answer = bot.slack.post_signed(body, content_type)
        assert 400 <= answer.status_code < 500, body[:20]
    assert stored_messages(bot) == 0


@pytest.mark.parametrize(("body", "lone"), [
    ('{"text": "\\ud83d\\ude00 fine"}', False),
    ('payload=%7B%22text%22%3A%22%5Cud83d%5Cude00+fine%22%7D', False),
    ('{"text": "broken \\ud800 half"}', True),
    ('{"text": "broken \\udc00 half"}', True),
    ('payload=%7B%22text%22%3A%22broken+%5Cud800+half%22%7D', True),
    ('payload=%7B%22text%22%3A%22broken+%5cuDC00%22%7D', True),
    ('payload=%7B%22text%22%3A%22hidden+%5Cu%64800%22%7D', True),
    ('payload=%7B%22text%22%3A%22typed+%255Cud800+literally%22%7D', False),
])
def test_lone_surrogate_escapes_are_found_in_json_and_form_bodies(body, lone):
    assert escapes_lone_surrogate(body) is lone
