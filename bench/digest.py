"""The weekly digest over a week of 1M messages, against loading that week's rows into Python.

Both are measured in a child process of their own (``python -m bench.digest probe ...``) so the peak
RSS belongs to that work alone.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.bulk import CONVERSATION_COLUMNS, conversation_row, copy_rows, finish_load
from bench.common import Check, Options, Result, Skipped, median, ratio, rss_mb
from bench.databases import scratch_database
from bench.setup import BRANDS, bench_config

NAME = "digest"
TITLE = "Weekly digest over a week of messages (PostgreSQL)"
BRAND = "acme"
MESSAGES_PER_CONVERSATION = 4
UNTIL = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)  # Monday 00:00 in Seoul
SINCE = UNTIL - timedelta(days=7)
REPETITIONS = 3
LIMIT_SECONDS = 2.0
LIMIT_RSS_MB = 200.0
MESSAGE_COLUMNS = ("id", "conversation_id", "brand_id", "platform", "kind", "source_id", "external_id",
                   "author_external_id", "author_name", "author_handle", "text", "url", "rating", "sent_at",
                   "received_at", "slack_ts")
REPLY_COLUMNS = ("id", "conversation_id", "brand_id", "reply_key", "author_slack_id", "text", "in_reply_to", "status",
                 "external_id", "created_at", "sent_at")
ACTIVITY_COLUMNS = ("id", "conversation_id", "brand_id", "actor_slack_id", "action", "detail", "created_at",
                    "slack_ts")
NUDGE_COLUMNS = ("id", "conversation_id", "deadline", "due_at", "level", "sent", "created_at")
METHOD = f"""\
PostgreSQL only. One brand gets the reported week (Mon-Mon in Asia/Seoul) with the given number of
messages, {MESSAGES_PER_CONVERSATION} per conversation, and the week before it with a quarter as
many (so week-over-week figures have something to compare); every conversation has one reply sent,
70% a resolution, 1% an escalation and 5% a breach nudge. All rows are loaded with COPY, then
VACUUM ANALYZE. The digest is what the delivery worker does for a POST_DIGEST job, minus the
Slack call: `DigestComposer.report()` (both weeks' figures aggregated in SQL), `.text()` and
`.chart()` (the PNG). The floor is loading the reported week's message rows of the brand (all
columns, joined to their conversation for the brand) into Python with SQLAlchemy Core. Each runs
in a fresh child process {REPETITIONS} times; the figure is the median time, and the child's
peak RSS (VmHWM) over the runs, next to its RSS before the work."""


def run(options: Options) -> Result:
    if not options.postgres_url:
        raise Skipped("needs PostgreSQL: pass --database-url or set TEST_DATABASE_URL")
    messages = 4_000 if options.quick else 1_000_000
    with scratch_database("postgresql", options.postgres_url, NAME) as url:
        load_seconds = _load(url, messages)
        digest = _probe("digest", url)
        rows = _probe("rows", url)
    checks = [
        Check(f"digest ≤ {LIMIT_SECONDS:.0f} s", f"{digest['seconds']:.2f} s ({ratio(digest['seconds'], rows['seconds']):.2f} × loading the rows)",
              digest["seconds"] <= LIMIT_SECONDS),
        Check(f"peak RSS ≤ {LIMIT_RSS_MB:.0f} MB", f"{digest['peak_rss_mb']:.0f} MB (loading the rows: {rows['peak_rss_mb']:.0f} MB)",
              digest["peak_rss_mb"] <= LIMIT_RSS_MB),
    ]
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"messages_in_week": messages, "messages_in_previous_week": messages // 4,
               "conversations": (messages + messages // 4) // MESSAGES_PER_CONVERSATION},
        columns=["work", "median s", "peak RSS MB", "RSS before MB", "vs floor (time)"],
        rows=[
            ["digest: report + text + chart", digest["seconds"], digest["peak_rss_mb"], digest["start_rss_mb"],
             ratio(digest["seconds"], rows["seconds"])],
            ["  of which report (SQL)", digest["report_seconds"], None, None, None],
            ["floor: load the week's rows", rows["seconds"], rows["peak_rss_mb"], rows["start_rss_mb"], 1.0],
        ],
        checks=checks,
        details={"digest": digest, "rows": rows, "load_seconds": load_seconds, "rows_loaded": rows.get("rows")},
    )


# -- the dataset -----------------------------------------------------------------------------


def _load(url: str, messages: int) -> float:
    from storage.db import Database

    started = time.perf_counter()
    db = Database(url)
    try:
        plan = _plan(messages)
        copy_rows(db.engine, "conversations", CONVERSATION_COLUMNS, (c["row"] for c in plan))
        copy_rows(db.engine, "messages", MESSAGE_COLUMNS, _messages(plan))
        copy_rows(db.engine, "replies", REPLY_COLUMNS, _replies(plan))
        copy_rows(db.engine, "activities", ACTIVITY_COLUMNS, _activities(plan))
        copy_rows(db.engine, "nudges", NUDGE_COLUMNS, _nudges(plan))
        finish_load(db.engine, ["conversations", "messages", "replies", "activities", "nudges"])
    finally:
        db.dispose()
    return time.perf_counter() - started


def _plan(messages: int) -> list[dict[str, Any]]:
    """The conversations of both weeks, with when each was created."""
    randomness = random.Random(messages)
    prefix, channel, source = BRANDS[BRAND]
    weeks = [(SINCE, messages // MESSAGES_PER_CONVERSATION),
             (SINCE - timedelta(days=7), messages // 4 // MESSAGES_PER_CONVERSATION)]
    plan: list[dict[str, Any]] = []
    for start, count in weeks:
        for _ in range(count):
            conversation_id = len(plan) + 1
            created = start + timedelta(seconds=randomness.uniform(0, 7 * 86400 - 7200))
            first_response = randomness.lognormvariate(7.5, 1.0)
            row = conversation_row(conversation_id, (BRAND, prefix, channel, source), conversation_id, created,
                                   resolved=conversation_id % 10 < 7, next_nudge_at=None,
                                   resolution_due_at=created + timedelta(days=3),
                                   first_response_seconds=first_response)
            plan.append({"id": conversation_id, "created": created, "first_response": first_response, "row": row,
                         "week_end": start + timedelta(days=7), "source": source})
    return plan


def _copied(conversation: dict[str, Any], *columns: str) -> tuple[Any, ...]:
    """The conversation's values of columns its messages, replies and activities carry too."""
    return tuple(conversation["row"][CONVERSATION_COLUMNS.index(column)] for column in columns)


def _messages(plan: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    message_id = 0
    for conversation in plan:
        copied = _copied(conversation, "brand_id", "platform", "kind")
        for number in range(MESSAGES_PER_CONVERSATION):
            message_id += 1
            received = min(conversation["created"] + timedelta(minutes=25 * number),
                           conversation["week_end"] - timedelta(seconds=1))
            author = f"fb-{conversation['id'] % 50_000}"
            yield (message_id, conversation["id"], *copied, conversation["source"], f"m{message_id}", author,
                   f"Customer {conversation['id'] % 50_000}", None,
                   "주문한 제품이 아직 도착하지 않았어요. Where is my order? It has been a week.",
                   f"https://facebook.com/acme/posts/1?comment_id={message_id}", None, received, received,
                   f"1700000000.{message_id:07d}")


def _replies(plan: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    for conversation in plan:
        row = conversation["row"]
        sent_at = row[CONVERSATION_COLUMNS.index("first_response_at")]
        yield (conversation["id"], conversation["id"], *_copied(conversation, "brand_id"),
               f"reply-{conversation['id']}",
               row[CONVERSATION_COLUMNS.index("first_responder_slack_id")], "Thanks, it ships today!", None,
               "sent", f"r{conversation['id']}", sent_at, sent_at)


def _activities(plan: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    activity_id = 0
    for conversation in plan:
        row = conversation["row"]
        brand = _copied(conversation, "brand_id")
        actor = row[CONVERSATION_COLUMNS.index("first_responder_slack_id")]
        resolved_at = row[CONVERSATION_COLUMNS.index("resolved_at")]
        if resolved_at is not None:
            activity_id += 1
            yield (activity_id, conversation["id"], *brand, actor, "resolved", "{}", resolved_at, None)
        if conversation["id"] % 100 == 0:
            activity_id += 1
            detail = json.dumps({"tier": "pr", "reason": "Threatens a public campaign"})
            yield (activity_id, conversation["id"], *brand, actor, "escalated", detail,
                   conversation["created"] + timedelta(minutes=30), None)


def _nudges(plan: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    for conversation in plan:
        if conversation["id"] % 20 == 0:
            due = conversation["created"] + timedelta(hours=1)
            yield (conversation["id"] // 20, conversation["id"], "response", due, "breach", True, due)


# -- the probes (child processes) --------------------------------------------------------------


def _probe(kind: str, url: str) -> dict[str, Any]:
    completed = subprocess.run([sys.executable, "-m", "bench.digest", "probe", kind, url],
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"digest probe {kind} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _probe_digest(url: str) -> dict[str, Any]:
    from bot.clock import ManualClock
    from bot.digest import DigestComposer
    from storage.db import Database

    db = Database(url)
    composer = DigestComposer(db, bench_config(), ManualClock(UNTIL + timedelta(hours=1)), Path("."))
    start_rss = rss_mb_self()
    totals, reports = [], []
    for _ in range(REPETITIONS):
        started = time.perf_counter()
        report = composer.report(BRAND, SINCE, UNTIL)
        reports.append(time.perf_counter() - started)
        composer.text(report)
        composer.chart(report)
        totals.append(time.perf_counter() - started)
    db.dispose()
    return {"seconds": median(totals), "report_seconds": median(reports), "all_seconds": totals,
            "messages_counted": report.current.messages, "start_rss_mb": start_rss, "peak_rss_mb": peak_rss_mb()}


def _probe_rows(url: str) -> dict[str, Any]:
    from sqlalchemy import select

    import bot.digest  # noqa: F401  (the same imports as the digest probe, for a comparable baseline)
    from storage.db import Database
    from storage.models import Conversation, Message

    db = Database(url)
    query = (select(*Message.__table__.columns).join(Conversation, Message.conversation_id == Conversation.id)
             .where(Conversation.brand_id == BRAND, Message.received_at >= SINCE, Message.received_at < UNTIL))
    start_rss = rss_mb_self()
    totals, count = [], 0
    for _ in range(REPETITIONS):
        started = time.perf_counter()
        with db.transaction() as session:
            rows = session.execute(query).all()
        count = len(rows)
        del rows
        totals.append(time.perf_counter() - started)
    db.dispose()
    return {"seconds": median(totals), "all_seconds": totals, "rows": count, "start_rss_mb": start_rss,
            "peak_rss_mb": peak_rss_mb()}


def rss_mb_self() -> float:
    import os

    return rss_mb(os.getpid())


def peak_rss_mb() -> float:
    """This process's own high-water RSS. Not ru_maxrss: Linux carries that over from the parent
    across fork and exec, so a child of a big parent would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__" and sys.argv[1:2] == ["probe"]:
    probe = {"digest": _probe_digest, "rows": _probe_rows}[sys.argv[2]]
    print(json.dumps(probe(sys.argv[3])))
