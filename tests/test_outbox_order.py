"""The outbox's order under a backlog: a new conversation's parent does not wait behind internal
notes of the same channel, and what waits behind it still gets its turn."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import update

from storage.db import Database
from storage.jobs import due_jobs_query
from storage.models import OutboxJob
from tests.support.bot import customer_message, running_bot
from tests.support.config import ALICE, make_config

PACED = "delivery: {channel_pace: 400ms, poll_interval: 100ms, retry_base: 50ms}\n"


def posts_to(api, channel: str) -> list[str]:
    return [call.args.get("text", "") for call in api.calls_to("chat.postMessage")
            if call.args.get("channel") == channel and call.response.get("ok")]


def add_notes(bot, count: int) -> None:
    for index in range(count):
        response = bot.slack.command(ALICE, "/social", f"note ACME-1 internal note {index}", "C0ACME01")
        assert response.status_code == 200


def test_a_new_conversation_is_posted_before_a_backlog_of_notes_in_its_channel(database_url, slack_api, receiver):
    with running_bot(database_url, slack_api, make_config(receiver.url, PACED)) as bot:
        bot.webhook(customer_message(id="m1", conversation_id="c1", text="first"))
        bot.wait_idle(timeout=10)
        add_notes(bot, 10)
        assert bot.webhook(customer_message(id="m2", conversation_id="c2", text="a new customer")).status_code == 202
        bot.wait_idle(timeout=20)

    posts = posts_to(slack_api, "C0ACME01")[1:]  # after the first conversation's parent
    new_parent = next(index for index, text in enumerate(posts) if "ACME-2" in text)
    assert new_parent <= 2, posts  # at most the one or two notes already under way went first
    assert sum("internal note" in text for text in posts) == 10  # and every note still came


def test_jobs_waiting_long_are_not_starved_by_new_parents(database_url, slack_api, receiver):
    with running_bot(database_url, slack_api, make_config(receiver.url, PACED)) as bot:
        bot.webhook(customer_message(id="m1", conversation_id="c1", text="first"))
        bot.wait_idle(timeout=10)
        worker = bot.runtime.worker
        worker.stop()  # the queue is worked through by hand below, one pass at a time
        add_notes(bot, 1)
        with bot.runtime.db.transaction() as session:  # the note has been waiting for ten minutes
            session.execute(update(OutboxJob).where(OutboxJob.kind == "post_note")
                            .values(created_at=worker.clock.now() - timedelta(minutes=10)))
        for index in range(5):
            bot.webhook(customer_message(id=f"n{index}", conversation_id=f"n{index}", text=f"new {index}"))
        slack_api.wait_for(lambda: worker.pending() == 6, timeout=5)
        slack_api.wait_for(lambda: worker.run_once() == 0 and worker.pending() == 0, timeout=20, interval=0.05)

    posts = posts_to(slack_api, "C0ACME01")[1:]
    assert "internal note 0" in posts[0], posts


def test_every_plan_of_the_due_jobs_query_reads_the_index_of_pending_jobs(database_url):
    """PostgreSQL runs a statement the driver has prepared with one plan for every parameter value once
    it has run a few times. With the status sent as a parameter, that plan could not use the index of
    pending jobs and scanned every pending job once per due job, so a backlog stalled the worker."""
    if not database_url.startswith("postgresql"):
        pytest.skip("plans made once for every parameter value are PostgreSQL's")
    db = Database(database_url)
    db.migrate()
    compiled = due_jobs_query(datetime.now(UTC), "post_parent", timedelta(minutes=1), 20).compile(
        dialect=db.engine.dialect)
    values: list[object] = []

    def numbered(match: re.Match[str]) -> str:
        values.append(compiled.params[match[1]])
        return f"${len(values)}"

    sql = re.sub(r"%\((\w+)\)s", numbered, compiled.string)
    with db.engine.connect() as connection:
        driver = connection.connection.driver_connection
        with psycopg.ClientCursor(driver) as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            cursor.execute(f"PREPARE due AS {sql}")
            cursor.execute(f"EXPLAIN EXECUTE due({', '.join(['%s'] * len(values))})", values)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    db.dispose()
    assert "ix_outbox_pending_conversation" in plan, plan
