"""Hostile requests counted: tried, rejected, answered 5xx, and records stored from rejected ones."""

from __future__ import annotations

import json
import random
import time
from urllib.parse import urlencode

from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.reliability import REPORT, Tally
from tests.support.store import counts


def hostile_webhooks(rng: random.Random) -> list[tuple[bytes, bool]]:
    """(body, signed) pairs: malformed JSON, wrong types, huge fields, bad UTF-8, deep nesting, bad signatures."""
    cases: list[tuple[bytes, bool]] = [
        (b"{", True), (b"", True), (b"[]", True), (b"null", True), (b"\xff\xfe\x00", True),
        (b"[" * 5000 + b"]" * 5000, True), (json.dumps({"a": 1}).encode(), True),
        (json.dumps(customer_message(text="x" * 200_000)).encode(), True),
        (json.dumps(customer_message(kind="tweet")).encode(), True),
        (json.dumps(customer_message(author="nobody")).encode(), True),
        (json.dumps(customer_message(rating=11)).encode(), True),
        (json.dumps(customer_message(url="javascript:alert(1)")).encode(), True),
        (json.dumps(customer_message(id="")).encode(), True),
        (json.dumps(customer_message()).encode(), False),
        (b"x" * (1024 * 1024 + 1), True),
    ]
    for _ in range(60):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        cases.append((body, rng.random() < 0.5))
    return cases


def hostile_slack_requests(bot, rng: random.Random) -> list[tuple[bytes, str, dict[str, str] | None]]:
    """Signed garbage, stale timestamps, wrong and missing signatures, a replay."""
    click = urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": ALICE},
                                              "actions": [{"action_id": "resolve", "value": "1"}]})}).encode()
    cases: list[tuple[bytes, str, dict[str, str] | None]] = [
        (click, "signed", None), (click, "replay", None), (click, "stale", None), (click, "unsigned", None),
        (b"payload=%7B", "signed", None), (b"\xff", "signed", None), (b"{}", "wrong", None),
        (b'{"type": "event_callback", "event": 3}', "signed", None),
    ]
    for _ in range(40):
        cases.append((bytes(rng.randrange(256) for _ in range(rng.randrange(1, 120))), "signed", None))
    return cases


def test_hostile_requests_are_refused_without_a_5xx_or_a_stored_record(bot, database_url):
    rng = random.Random(20261123)
    tried = rejected = server_errors = stored_from_rejected = 0
    for body, signed in hostile_webhooks(rng):
        before = counts(bot)
        headers = None if signed else {"X-Socialdesk-Signature": "sha256=" + "0" * 64}
        answer = bot.webhook(body, headers=headers)
        tried += 1
        server_errors += answer.status_code >= 500
        if answer.status_code >= 400:
            rejected += 1
            stored_from_rejected += counts(bot) != before
    replayed_stamp = int(time.time())
    for body, how, _ in hostile_slack_requests(bot, rng):
        before = counts(bot)
        if how == "signed":
            answer = bot.slack.post_signed(body, "application/x-www-form-urlencoded")
        elif how == "replay":
            answer = bot.slack.post_signed(body, "application/x-www-form-urlencoded", timestamp=replayed_stamp)
            answer = bot.slack.post_signed(body, "application/x-www-form-urlencoded", timestamp=replayed_stamp)
        elif how == "stale":
            answer = bot.slack.post_signed(body, "application/x-www-form-urlencoded", timestamp=replayed_stamp - 400)
        elif how == "unsigned":
            answer = bot.slack.post_raw(body, {"Content-Type": "application/x-www-form-urlencoded"})
        else:
            answer = bot.slack.post_raw(body, {"Content-Type": "application/json", "X-Slack-Signature": "v0=00",
                                               "X-Slack-Request-Timestamp": str(int(time.time()))})
        tried += 1
        server_errors += answer.status_code >= 500
        if answer.status_code >= 400:
            rejected += 1
            stored_from_rejected += counts(bot)[:2] != before[:2]
    REPORT.append(Tally("hostile input, webhooks and Slack " + ("(PostgreSQL)" if database_url.startswith("postgresql") else "(SQLite)")).add(
        tried=tried, rejected=rejected, server_errors=server_errors, stored_from_rejected=stored_from_rejected))
    assert server_errors == 0 and stored_from_rejected == 0
    assert rejected >= tried - 2  # the one well-formed click and the replay's first delivery may pass
