"""Fixtures that stand the bot up the way it runs: a real HTTP server, a Slack stand-in, a database.

Storage-touching tests run on SQLite and, when TEST_DATABASE_URL points at a PostgreSQL server,
on PostgreSQL too (each test in its own schema). Without it, the PostgreSQL variants are not
collected at all; the header of the run says so once.

The slow outside-in suites are marked ``slow`` and left out of a plain ``pytest``;
``pytest -m "slow or not slow"`` runs everything (as CI does). The helpers the tests share live in
``tests/support/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.demo.standins import slack_web_api as slack_web
from bot.demo.standins.mastodon_api import MastodonStandIn
from bot.demo.standins.meta_graph_api import GraphStandIn
from bot.demo.standins.reply_receiver import ReplyReceiver
from bot.demo.standins.slack_web_api import SlackStandIn
from storage.db import temporary_schema
from tests.support.bot import Bot, running_bot
from tests.support.config import BOT_TOKEN, CHANNELS, HOOK_SECRET, PEOPLE, make_config
from tests.support.platforms.mastodon import TOKEN as MASTODON_TOKEN
from tests.support.platforms.meta import PAGE_ID, PAGE_TOKEN

POSTGRES_HINT = "set TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"
SLACK_SCHEMA_HINT = "set SLACK_MANIFEST_SCHEMA to manifest.schema.1.0.0.json from slackapi/manifest-schema"
SHARED_SLACK_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "manifest.schema.1.0.0.json"

# The outside-in suites that take the longest (real processes, many seconds of scheduled scans,
# the benchmarks): left out of a plain `pytest`, run by `pytest -m "slow or not slow"`.
SLOW_MODULES: tuple[str, ...] = ()


# -- which tests this machine runs -------------------------------------------------------------


def _postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


def slack_manifest_schema() -> Path | None:
    """Slack's published manifest schema, when this machine has it (SLACK_MANIFEST_SCHEMA or the shared folder)."""
    path = Path(os.environ.get("SLACK_MANIFEST_SCHEMA") or SHARED_SLACK_SCHEMA)
    return path if path.is_file() else None


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = []
    if _postgres_url() is None:
        lines.append(f"PostgreSQL runs: off (storage tests run on SQLite only); to run them on PostgreSQL too, {POSTGRES_HINT}")
    if slack_manifest_schema() is None:
        lines.append(f"Slack's manifest schema: not on this machine, its checks are not collected; {SLACK_SCHEMA_HINT}")
    if "not slow" in (config.option.markexpr or "").replace("(", "").replace(")", ""):
        lines.append('slow suites: left out; run everything with: pytest -m "slow or not slow"')
    return lines


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.removeprefix("tests.") in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
    kept, dropped = [], []
    for item in items:
        (dropped if _not_for_this_machine(item) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _not_for_this_machine(item: pytest.Item) -> bool:
    backend = item.callspec.params.get("database_url") if hasattr(item, "callspec") else None
    postgresql_only = item.get_closest_marker("postgresql_only") is not None
    if (backend == "postgresql" or (postgresql_only and backend is None)) and _postgres_url() is None:
        return True
    if backend == "sqlite" and postgresql_only:
        return True
    return item.get_closest_marker("slack_manifest_schema") is not None and slack_manifest_schema() is None


# -- databases ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'socialdesk.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip(f"PostgreSQL run: {POSTGRES_HINT}")
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
