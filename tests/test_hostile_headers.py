"""Hostile headers and the workspace check: answered 4xx, never 5xx, and never logged with the body."""

from __future__ import annotations

import logging
import socket
import time
from urllib.parse import urlencode

from bot.demo.standins.meta_graph_api import GraphStandIn
from bot.platforms.webhook import SIGNATURE_HEADER
from tests.support.bot import customer_message, running_bot
from tests.support.config import ALICE, make_config
from tests.support.platforms.meta import PAGE_ID, PAGE_TOKEN, start


def raw_post(bot, path: str, body: bytes, headers: list[tuple[bytes, bytes]]):
    return bot.http.post(f"{bot.url}{path}", content=body, headers=[(b"Content-Type", b"application/json"), *headers])


def test_non_ascii_bytes_in_a_webhook_signature_are_401(bot):
    body = b'{"id": "m1"}'
    for value in (b"sha256=\xff\xfe", "sha256=é".encode(), b"\xc3\xa9" * 40):
        answer = raw_post(bot, "/webhooks/acme-hook", body, [(SIGNATURE_HEADER.encode(), value)])
        assert answer.status_code == 401, value


def test_a_400_digit_slack_timestamp_and_non_ascii_slack_signatures_are_refused(bot):
    body = urlencode({"command": "/social", "text": "help", "user_id": ALICE}).encode()
    cases = [
        [(b"X-Slack-Request-Timestamp", b"9" * 400), (b"X-Slack-Signature", b"v0=00")],
        [(b"X-Slack-Request-Timestamp", b"-" + b"9" * 400), (b"X-Slack-Signature", b"v0=00")],
        [(b"X-Slack-Request-Timestamp", str(int(time.time())).encode()), (b"X-Slack-Signature", b"v0=\xff\xfe")],
        [(b"X-Slack-Request-Timestamp", "１２３".encode()), (b"X-Slack-Signature", b"v0=00")],
    ]
    for headers in cases:
        answer = bot.http.post(f"{bot.url}/slack/events", content=body,
                               headers=[(b"Content-Type", b"application/x-www-form-urlencoded"), *headers])
        assert answer.status_code in (400, 401), headers


def test_an_unsigned_slack_request_is_logged_in_one_short_line_without_its_body(bot, caplog):
    caplog.set_level(logging.DEBUG)
    body = b"command=%2Fsocial&text=SECRET-BODY-TEXT\nFAKE LOG LINE"
    answer = bot.slack.post_raw(body, {"Content-Type": "application/x-www-form-urlencoded",
                                       "X-Slack-Request-Timestamp": str(int(time.time())),
                                       "X-Slack-Signature": "v0=forged"})
    assert answer.status_code == 401
    assert "SECRET-BODY-TEXT" not in caplog.text and "FAKE" not in caplog.text
    refusals = [r for r in caplog.records if "signature" in r.getMessage().lower()]
    assert refusals and all("\n" not in r.getMessage() and len(r.getMessage()) < 200 for r in refusals)


def test_the_meta_signature_header_with_non_ascii_bytes_is_401(database_url, slack_api):
    with GraphStandIn(PAGE_ID, PAGE_TOKEN) as graph, start(database_url, slack_api, graph) as bot:
        answer = raw_post(bot, "/webhooks/acme-meta", b'{"object": "page", "entry": []}',
                          [(b"X-Hub-Signature-256", b"sha256=\xff")])
        assert answer.status_code == 401


TEAM = "slack: {team_id: T0TEAM001}\n"


def test_a_signed_request_without_a_workspace_is_refused_when_the_workspace_is_configured(database_url, slack_api,
                                                                                         receiver):
    with running_bot(database_url, slack_api, make_config(receiver.url, TEAM)) as bot:
        bot.webhook(customer_message())
        bot.parent()
        body = urlencode({"command": "/social", "text": "resolve ACME-1", "user_id": ALICE,
                          "channel_id": "C0ACME01", "response_url": bot.api.new_response_url(),
                          "trigger_id": bot.api.issue_trigger(ALICE)}).encode()
        answer = bot.slack.post_signed(body, "application/x-www-form-urlencoded")
        assert answer.status_code == 200
        assert answer.json()["text"] == "socialdesk works only in its own workspace; nothing was done."
        assert bot.runtime.desk.find("ACME-1").status == "open"
        assert "challenge-42" in bot.slack.url_verification("challenge-42").text  # names no workspace, answered


def test_a_client_that_sends_its_headers_slowly_is_cut_off(bot):
    host, port = bot.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"POST /webhooks/acme-hook HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        sock.settimeout(30)
        while sock.recv(1024):
            pass
        assert time.monotonic() - started < 12


def test_a_client_that_sends_its_body_slowly_is_answered_408(bot):
    host, port = bot.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"POST /webhooks/acme-hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"id\":")
        started = time.monotonic()
        answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        assert time.monotonic() - started < 15
