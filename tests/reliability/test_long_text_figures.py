"""Long and markup-heavy customer text counted: accepted, posted within Slack's limits, lost, doubled."""

from __future__ import annotations

import re
from collections import Counter

from bot.slack_limits import message_refusal
from tests.support.bot import customer_message
from tests.support.reliability import REPORT, Tally

ZWJ = "👩🏽‍👩🏿‍👧🏻‍👦🏾"
LONG_TEXTS = [
    "<p>Order & refund</p>\n" * 112,  # escaping makes it longer than a section holds
    "<div class=\"x\">" + "a" * 2440 + "</div>",  # a pasted HTML snippet of 2,480 characters
    "ok\n" * 250,  # many short lines, each quoted
    "a\n" * 10_000,
    "&<>" * 3000,
    ZWJ * 2000,
    "e" + "\u0301" * 5000,
    "🧑🏽‍💻 <b>refund</b> & <i>now</i>\n" * 3000,
    "x" * 100_000,
    "see https://example.com/" + "ü" * 1900,
]
LONG_URLS = [None, "https://x.example/?q=" + "한" * 1900, "https://x.example/" + "a" * 1950]


def test_long_and_markup_heavy_customer_text_is_posted_within_limits(bot, database_url):
    cases = [(text, url) for text in LONG_TEXTS for url in LONG_URLS[:1]] + \
            [(LONG_TEXTS[0], url) for url in LONG_URLS[1:]] + [(LONG_TEXTS[3], LONG_URLS[1])]
    tried = accepted = rejected = server_errors = 0
    for index, (text, url) in enumerate(cases):
        if index == len(cases) - 1:  # and once Slack refuses the post as built anyway
            bot.api.fail_next("chat.postMessage", error="invalid_blocks", channel="C0ACME01")
        answer = bot.webhook(customer_message(id=f"long-{index}", conversation_id=f"long-{index}", text=text, url=url))
        tried += 1
        accepted += answer.status_code == 202
        rejected += 400 <= answer.status_code < 500
        server_errors += answer.status_code >= 500
    bot.wait_idle(timeout=60)

    parents = Counter()
    over_limits = 0
    for message in bot.api.messages("C0ACME01"):
        found = re.match(r"(ACME-\d+) ", message.text)
        if found:
            parents[found.group(1)] += 1
            over_limits += message_refusal(message.text, message.blocks) is not None
    posted = len(parents)
    duplicated = sum(count - 1 for count in parents.values())
    lost = accepted - posted
    REPORT.append(Tally("long and markup-heavy customer text " + ("(PostgreSQL)" if database_url.startswith("postgresql") else "(SQLite)")).add(
        tried=tried, accepted=accepted, rejected=rejected, server_errors=server_errors, posted=posted, lost=lost,
        duplicated=duplicated, over_limits=over_limits))
    assert server_errors == 0 and lost == 0 and duplicated == 0 and over_limits == 0
    assert accepted == tried
