"""The server's resident memory while it ingests 100k messages, against its RSS at start."""

from __future__ import annotations

import time

from bench.common import Check, Options, Result, rss_mb
from bench.harness import stage
from bench.ingest import message_builder, pending_jobs
from bench.load import run_load

NAME = "memory"
TITLE = "Server RSS while ingesting messages"
LIMIT_MB = 150.0
FLAT_GROWTH = 0.10
CLIENTS = 10
METHOD = f"""\
The bot runs in its own process as `socialdesk serve` assembles it; its RSS (VmRSS) is read at start
(after the server is listening), then after each chunk of signed webhooks (the same mix as the
ingest benchmark: one new conversation per four messages, {CLIENTS} connections). The delivery
worker keeps posting to the Slack stand-in meanwhile. The first chunk is the warm-up; "flat" means
the RSS at the end is within {FLAT_GROWTH:.0%} of the RSS after the warm-up. A last reading is taken
after the delivery worker has worked off its backlog (or for at most two minutes)."""


def run(options: Options) -> Result:
    total, chunk = (1_000, 250) if options.quick else (100_000, 10_000)
    kind = "postgresql" if options.postgres_url else "sqlite"
    readings: list[tuple[str, int, float]] = []
    with stage(kind, options.postgres_url, NAME) as bench_stage, bench_stage.server("bot") as server:
        readings.append(("at start", 0, rss_mb(server.pid)))
        build = message_builder("rss", total)
        for sent in range(chunk, total + 1, chunk):
            offset = sent - chunk
            run_load(server.url, lambda index, offset=offset: build(offset + index), chunk, CLIENTS)
            bench_stage.api.reset_calls()
            readings.append(("warm-up" if sent == chunk else "ingesting", sent, rss_mb(server.pid)))
        backlog = _wait_for_delivery(bench_stage.database_url, 2 if options.quick else 120)
        readings.append((f"after delivery ({backlog} jobs left)", total, rss_mb(server.pid)))
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"messages": total, "chunk": chunk, "concurrent_clients": CLIENTS, "database": kind},
        columns=["when", "messages ingested", "RSS MB"],
        rows=[list(reading) for reading in readings],
        checks=_checks(readings),
    )


def _wait_for_delivery(database_url: str, limit: float) -> int:
    deadline = time.monotonic() + limit
    while (backlog := pending_jobs(database_url)) and time.monotonic() < deadline:
        time.sleep(1)
    return backlog


def _checks(readings: list[tuple[str, int, float]]) -> list[Check]:
    start, warm, peak = readings[0][2], readings[1][2], max(rss for _when, _sent, rss in readings)
    end = readings[-2][2]
    growth = (end - warm) / warm
    return [
        Check(f"RSS ≤ {LIMIT_MB:.0f} MB", f"peak {peak:.0f} MB (at start {start:.0f} MB)", peak <= LIMIT_MB),
        Check("flat after warm-up", f"{warm:.0f} MB after warm-up, {end:.0f} MB at the end ({growth:+.0%})",
              growth <= FLAT_GROWTH),
    ]
