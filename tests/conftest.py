"""Fixtures that stand the bot up the way it runs: a real HTTP server, a Slack stand-in, a database.

Storage-touching tests run on SQLite and, when TEST_DATABASE_URL points at a PostgreSQL server,
on PostgreSQL too (each test in its own schema). Without it, the PostgreSQL variants are not
collected at all; the header of the run says so once.

The slow outside-in suites (listed in tests/support/selection.py) are marked ``slow`` and left out
of a plain ``pytest``; ``pytest -m "slow or not slow"`` runs everything (as CI does). The helpers
the tests share live in ``tests/support/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bot.demo.standins import slack_web_api as slack_web
from bot.demo.standins.mastodon_api import MastodonStandIn
from bot.demo.standins.meta_graph_api import GraphStandIn
from bot.demo.standins.reply_receiver import ReplyReceiver
from bot.demo.standins.slack_web_api import SlackStandIn
from storage.db import temporary_schema
from tests.support import selection
from tests.support.bot import Bot, running_bot
from tests.support.config import BOT_TOKEN, CHANNELS, HOOK_SECRET, PEOPLE, make_config
from tests.support.platforms.mastodon import TOKEN as MASTODON_TOKEN
from tests.support.platforms.meta import PAGE_ID, PAGE_TOKEN


# -- which tests this run collects (tests/support/selection.py) ------------------------------------


def pytest_report_header(config: pytest.Config) -> list[str]:
    return selection.header_lines(config.option.markexpr or "")


@pytest.hookimpl(tryfirst=True)  # marked before `-m "not slow"` selects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if selection.is_slow(item):
            item.add_marker(pytest.mark.slow)
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS:
        selection.check_slow_lists(items)
    kept, dropped = [], []
    for item in items:
        (dropped if selection.not_for_this_machine(item) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# -- databases ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'socialdesk.db'}"
        return
    base = selection.postgres_url()
    if base is None:
        pytest.skip(f"PostgreSQL run: {selection.POSTGRES_HINT}")
    with temporary_schema(base, "t") as url:
        yield url


# -- stand-ins ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_missing_scope(request: pytest.FixtureRequest) -> Iterator[None]:
    """The stand-in grants the token exactly the manifest's scopes: any missing_scope answer during a
    test means the manifest lacks a scope the bot uses (unless the test takes scopes away on purpose)."""
    slack_web.REFUSED_SCOPES.clear()
    yield
    if request.node.get_closest_marker("scopes_taken_away") is None:
        assert not slack_web.REFUSED_SCOPES, f"Slack answered missing_scope: {slack_web.REFUSED_SCOPES}"


@pytest.fixture
def slack_api() -> Iterator[SlackStandIn]:
    with SlackStandIn(token=BOT_TOKEN, channels=set(CHANNELS), users=PEOPLE) as api:
        yield api


@pytest.fixture
def receiver() -> Iterator[ReplyReceiver]:
    with ReplyReceiver(secret=HOOK_SECRET) as stand_in:
        yield stand_in


@pytest.fixture
def graph() -> Iterator[GraphStandIn]:
    """Meta's Graph API for the test Page (tests/support/platforms/meta.py starts a bot with it)."""
    with GraphStandIn(PAGE_ID, PAGE_TOKEN) as stand_in:
        yield stand_in


@pytest.fixture
def mastodon() -> Iterator[MastodonStandIn]:
    """A Mastodon instance for the test account (tests/support/platforms/mastodon.py starts a bot with it)."""
    with MastodonStandIn(token=MASTODON_TOKEN) as stand_in:
        yield stand_in


# -- the bot -----------------------------------------------------------------------------------


@pytest.fixture
def bot(database_url: str, slack_api: SlackStandIn, receiver: ReplyReceiver) -> Iterator[Bot]:
    with running_bot(database_url, slack_api, make_config(receiver.url)) as running:
        yield running
