"""Canned replies that fail or run away: "could not be filled" with the reason, never a 500 or a stall."""

from __future__ import annotations

import time

import pytest

from bot.config import parse_config
from tests.support.bot import customer_message, running_bot
from tests.support.config import ALICE, CONFIG_TEMPLATE

RUNAWAY = {
    "huge_range": "{{ range(10**9) | list | length }}",
    "divide": "{{ 1/0 }}",
    "recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}",
    "big_output": "{% for i in range(99999) %}{{ 'x' * 1000 }}{% endfor %}",
    "big_string": "{{ 'x' * 10**9 }}",
    "big_power": "{{ 10 ** 100000000 }}",
    "slow_loop": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "attribute": "{{ brand.nothing.deeper }}",
}


@pytest.fixture
def bot(database_url, slack_api, receiver):
    quoted = "".join(f"  {name}: '{source.replace(chr(39), chr(39) * 2)}'\n" for name, source in RUNAWAY.items())
    shared = '  shipping: "Generic shipping text"\n'
    yaml = CONFIG_TEMPLATE.replace("{reply_url}", receiver.url).replace(shared, shared + quoted)
    with running_bot(database_url, slack_api, parse_config(yaml)) as running:
        yield running


def test_a_template_that_fails_or_runs_away_is_refused_with_the_reason(bot, receiver):
    bot.webhook(customer_message())
    bot.parent()
    for name in RUNAWAY:
        started = time.monotonic()
        answer = bot.slack.command(ALICE, "/social", f"reply ACME-1 template:{name}", "C0ACME01")
        assert answer.status_code == 200, name
        text = answer.json()["text"]
        assert f"Template {name!r} could not be filled" in text, (name, text)
        assert time.monotonic() - started < 2.5, name
    bot.wait_idle()
    assert receiver.deliveries == []
