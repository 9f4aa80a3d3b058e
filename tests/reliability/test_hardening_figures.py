"""Hardening figures: bad fields and hostile headers (tried / rejected / 5xx / stored / lost), and
replies whose answer was lost or whose ack would be late (tried / published / duplicated / ghosts)."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from tests.support.bot import customer_message
from tests.support.config import ALICE
from tests.support.platforms.meta import PAGE_ID, PAGE_TOKEN, delivery, entry, feed_comment, post, start as start_meta
from tests.support.reliability import REPORT, Tally
from tests.support.slack import reply_in_slack
from tests.support.store import counts, hold_the_conversation, last_reply, replies
from bot.demo.standins.meta_graph_api import GraphStandIn
from bot.platforms.webhook import SIGNATURE_HEADER
from storage.models import ReplyStatus


def database_name(database_url: str) -> str:
    return "(PostgreSQL)" if database_url.startswith("postgresql") else "(SQLite)"


def bad_fields() -> list[tuple[dict[str, object], bool]]:
    """(webhook body, must be stored): NUL anywhere, names too long to store, ids too long to keep."""
    return [
        (customer_message(id="nul-text", text="hello\u0000"), True),
        (customer_message(id="nul-id\u0000"), True),
        (customer_message(id="nul-author", author={"id": "a\u00001", "name": "K\u0000im", "handle": "@\u0000k"}), True),
        (customer_message(id="nul-url", url="https://facebook.com/a?\u0000"), True),
        (customer_message(id="nul-conv", conversation_id="c\u00001"), True),
        (customer_message(id="long-name", author={"id": "a2", "name": "N" * 5000}), True),
        (customer_message(id="long-handle", author={"id": "a3", "name": "Kim", "handle": "@" + "h" * 900}), True),
        (customer_message(id="lone-surrogate", text="half \ud800 pair"), True),
        (customer_message(id="x" * 300), False),
        (customer_message(id="long-conv", conversation_id="c" * 300), False),
        (customer_message(id="long-author", author={"id": "a" * 300, "name": "Kim"}), False),
    ]


def test_bad_fields_and_hostile_headers_get_no_5xx_and_lose_nothing(bot, database_url):
    tried = rejected = server_errors = stored_from_rejected = lost = 0
    for body, must_store in bad_fields():
        before = counts(bot)
        answer = bot.webhook(json.dumps(body, ensure_ascii=True).encode())
        tried += 1
        server_errors += answer.status_code >= 500
        if answer.status_code >= 400:
            rejected += 1
            stored_from_rejected += counts(bot) != before
        lost += must_store and (answer.status_code != 202 or counts(bot)[0] != before[0] + 1)
    hostile_headers = [
        ("/webhooks/acme-hook", [(SIGNATURE_HEADER.encode(), b"sha256=\xff\xfe")]),
        ("/slack/events", [(b"X-Slack-Request-Timestamp", b"9" * 400), (b"X-Slack-Signature", b"v0=00")]),
        ("/slack/events", [(b"X-Slack-Request-Timestamp", str(int(time.time())).encode()),
                           (b"X-Slack-Signature", b"v0=\xc3\xa9")]),
    ]
    for path, headers in hostile_headers:
        answer = bot.http.post(f"{bot.url}{path}", content=b"command=%2Fsocial&text=help",
                               headers=[(b"Content-Type", b"application/x-www-form-urlencoded"), *headers])
        tried += 1
        server_errors += answer.status_code >= 500
        rejected += answer.status_code >= 400
    for text in ("show ACME-1\u0000", "reply ACME-1 Thanks\u0000", "templates acme\u0000", "drafts acme\u0000"):
        answer = bot.slack.command(ALICE, "/social", text, "C0ACME01")
        tried += 1
        server_errors += answer.status_code >= 500
    bogus = urlencode({"payload": json.dumps({"type": "view_submission", "user": {"id": ALICE},
                                              "view": {"callback_id": "reply_modal", "id": "V0\u0000",
                                                       "private_metadata": "{\"conversation_id\": 1}\u0000"}})})
    answer = bot.slack.post_signed(bogus.encode(), "application/x-www-form-urlencoded")
    tried += 1
    server_errors += answer.status_code >= 500
    REPORT.append(Tally(f"bad fields, hostile headers {database_name(database_url)}").add(
        tried=tried, rejected=rejected, server_errors=server_errors, stored_from_rejected=stored_from_rejected,
        lost=lost))
    assert server_errors == 0 and stored_from_rejected == 0 and lost == 0


def test_replies_with_lost_answers_or_late_acks_are_published_once_and_never_ghosts(database_url, slack_api):
    tried = published = duplicated = ghosts = 0
    with GraphStandIn(PAGE_ID, PAGE_TOKEN) as graph, start_meta(database_url, slack_api, graph) as bot:
        for number in range(3):
            comment = feed_comment(PAGE_ID, f"12135900669827{number:02d}", f"question {number}")
            comment_id = comment["value"]["comment_id"]
            post(bot, delivery("page", entry(PAGE_ID, changes=[comment])))
            parent = bot.api.wait_for(lambda n=number: next((m for m in bot.api.messages("C0ACME01")
                                                             if f"question {n}" in str(m.blocks)), None))
            graph.lose_next_answer(path=f"/v21.0/{comment_id}/comments")
            reply_in_slack(bot, f"answer {number}", parent=parent)
            bot.api.wait_for(lambda: last_reply(bot).status == ReplyStatus.SENT, timeout=10)
            tried += 1
            published += len(graph.comments.get(comment_id, []))
            duplicated += max(0, len(graph.comments.get(comment_id, [])) - 1)
        before = replies(bot)
        hold_the_conversation(bot, 4.0)
        answer = bot.slack.command(ALICE, "/social", "reply ACME-1 while the database stalls", "C0ACME01")
        tried += 1
        time.sleep(4.5)
        bot.wait_idle()
        said_sent = answer.status_code == 200 and "not sent" not in answer.json().get("text", "") and \
            not any("not sent" in r.get("text", "") for r in bot.api.responses)
        stored = replies(bot) - before
        ghosts += stored != int(said_sent)
    REPORT.append(Tally(f"replies: lost answers, late acks {database_name(database_url)}").add(
        tried=tried, published=published, duplicated=duplicated, ghosts=ghosts))
    assert duplicated == 0 and ghosts == 0 and published == 3
