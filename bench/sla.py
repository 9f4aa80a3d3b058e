"""The response-window scan tick on large tables, against a full-table scan of the same table."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, text

from bench.bulk import CONVERSATION_COLUMNS, brand_of, conversation_row, copy_rows, finish_load
from bench.common import Check, Options, Result, Skipped, median, percentile, ratio
from bench.databases import scratch_database
from bench.setup import bench_config
from bot.clock import ManualClock
from bot.domain.sla import SlaScanner
from storage.db import Database
from storage.models import Conversation

NAME = "sla"
TITLE = "Response-window scan tick (PostgreSQL)"
OPEN_SHARE = 0.10
IDLE_TICKS = 30
FLOOR_SCANS = 7
BUSY_TICKS = 3
NUDGES_PER_BUSY_TICK = 100
LIMIT_MS_AT_LARGEST = 50.0
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
METHOD = f"""\
PostgreSQL only. For each size a fresh schema is migrated and the conversations table is filled
with COPY: {OPEN_SHARE:.0%} open (created in the last 3 days; their next nudge, the warning before
the resolution deadline, still ahead), the rest resolved over the last 180 days (no next nudge);
then VACUUM ANALYZE. The tick is `SlaScanner.scan()` as the scheduler calls it, on a fixed clock:
the idle tick (nothing due, the usual case every 30 s) is timed {IDLE_TICKS} times; the busy tick
moves the clock to the instant the next {NUDGES_PER_BUSY_TICK} nudges are due and sends them
(each nudge a row, an activity and an outbox job in its own transaction), {BUSY_TICKS} times. The
floor is the scan's own query (`next_nudge_at <= now ORDER BY next_nudge_at LIMIT 500`) with index
scans disabled, i.e. what a full-table scan of the same table costs, timed {FLOOR_SCANS} times."""


def run(options: Options) -> Result:
    if not options.postgres_url:
        raise Skipped("needs PostgreSQL: pass --database-url or set TEST_DATABASE_URL")
    sizes = [1_000, 5_000] if options.quick else [10_000, 100_000, 1_000_000]
    measured = [_measure(options.postgres_url, size) for size in sizes]
    rows = [[m["conversations"], m["open"], m["idle_tick_ms"], m["idle_tick_p95_ms"], m["full_scan_ms"],
             ratio(m["idle_tick_ms"], m["full_scan_ms"]), m["busy_tick_ms"], m["nudges_per_busy_tick"],
             m["load_seconds"]] for m in measured]
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"conversations": sizes, "open_share": OPEN_SHARE},
        columns=["conversations", "open", "idle tick ms (median)", "idle tick p95 ms", "full scan ms",
                 "tick / full scan", "busy tick ms", "nudges sent per busy tick", "COPY load s"],
        rows=rows, checks=_checks(measured), details={"measurements": measured},
    )


def _measure(postgres_url: str, size: int) -> dict[str, Any]:
    with scratch_database("postgresql", postgres_url, f"{NAME}_{size}") as url:
        db = Database(url)
        try:
            started = time.perf_counter()
            _load(db, size)
            load_seconds = time.perf_counter() - started
            clock = ManualClock(NOW)
            scanner = SlaScanner(db, bench_config(), clock)
            idle = _idle_ticks(scanner)
            floor = _full_scans(db)
            busy, sent = _busy_ticks(db, scanner, clock)
        finally:
            db.dispose()
    return {
        "conversations": size, "open": int(size * OPEN_SHARE), "load_seconds": load_seconds,
        "idle_tick_ms": median(idle), "idle_tick_p95_ms": percentile(idle, 0.95),
        "full_scan_ms": median(floor), "busy_tick_ms": median(busy), "nudges_per_busy_tick": median(sent),
    }


def _load(db: Database, size: int) -> None:
    copy_rows(db.engine, "conversations", CONVERSATION_COLUMNS, _conversations(size))
    finish_load(db.engine, ["conversations"])


def _conversations(size: int) -> Iterator[tuple[Any, ...]]:
    randomness = random.Random(size)
    open_every = round(1 / OPEN_SHARE)
    for index in range(size):
        conversation_id = index + 1
        brand = brand_of(index)
        number = index // 3 + 1
        if index % open_every == 0:
            created = NOW - timedelta(seconds=randomness.uniform(0, 3 * 86400 - 1800))
            due = created + timedelta(days=3)
            yield conversation_row(conversation_id, brand, number, created, resolved=False,
                                   next_nudge_at=due - timedelta(minutes=15), resolution_due_at=due,
                                   first_response_seconds=randomness.uniform(60, 7200))
        else:
            created = NOW - timedelta(seconds=randomness.uniform(3 * 86400, 180 * 86400))
            yield conversation_row(conversation_id, brand, number, created, resolved=True, next_nudge_at=None,
                                   resolution_due_at=created + timedelta(days=3),
                                   first_response_seconds=randomness.uniform(60, 7200))


def _idle_ticks(scanner: SlaScanner) -> list[float]:
    scanner.scan()  # warm the connection pool and the statement cache
    timings = []
    for _ in range(IDLE_TICKS):
        started = time.perf_counter()
        sent = scanner.scan()
        timings.append((time.perf_counter() - started) * 1000)
        if sent:
            raise RuntimeError("the idle tick sent nudges: the dataset has nudges due at the start")
    return timings


def _full_scans(db: Database) -> list[float]:
    query = text("SELECT id FROM conversations WHERE next_nudge_at <= :now ORDER BY next_nudge_at LIMIT 500")
    timings = []
    for _ in range(FLOOR_SCANS):
        with db.engine.begin() as connection:
            for setting in ("enable_indexscan", "enable_bitmapscan", "enable_indexonlyscan"):
                connection.execute(text(f"SET LOCAL {setting} = off"))
            started = time.perf_counter()
            connection.execute(query, {"now": NOW}).all()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _busy_ticks(db: Database, scanner: SlaScanner, clock: ManualClock) -> tuple[list[float], list[int]]:
    timings, sent = [], []
    for _ in range(BUSY_TICKS):
        with db.transaction() as session:
            due = session.scalar(
                select(Conversation.next_nudge_at).where(Conversation.next_nudge_at.is_not(None))
                .order_by(Conversation.next_nudge_at).offset(NUDGES_PER_BUSY_TICK - 1).limit(1)
            )
        if due is None:
            break
        clock.advance(due - clock.now())
        started = time.perf_counter()
        sent.append(scanner.scan())
        timings.append((time.perf_counter() - started) * 1000)
    return timings, sent


def _checks(measured: list[dict[str, Any]]) -> list[Check]:
    smallest, largest = measured[0], measured[-1]
    growth = ratio(largest["idle_tick_ms"], smallest["idle_tick_ms"])
    size_growth = largest["conversations"] / smallest["conversations"]
    return [
        Check(f"idle tick ≤ {LIMIT_MS_AT_LARGEST:.0f} ms at {largest['conversations']:,} conversations",
              f"{largest['idle_tick_ms']:.2f} ms (full scan {largest['full_scan_ms']:.1f} ms)",
              largest["idle_tick_ms"] <= LIMIT_MS_AT_LARGEST),
        Check("sublinear growth", f"× {growth:.2f} for × {size_growth:.0f} conversations", growth < size_growth ** 0.5),
    ]
