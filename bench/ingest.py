"""Sustained signed-webhook ingest, against the same HTTP stack doing the HMAC check and one INSERT."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from bench.common import Check, Options, Result, percentile, ratio
from bench.harness import Stage, customer_message, stage, webhook_request
from bench.load import LoadRun, Request, run_load
from bench.setup import BRANDS
from storage.db import Database
from storage.models import JobStatus, OutboxJob

NAME = "ingest"
TITLE = "Signed webhook ingest, sustained messages/s"
FLOOR_FACTOR = 0.5
POSTGRES_MINIMUM = 1000.0
MESSAGES_PER_CONVERSATION = 4
METHOD = f"""\
The bot runs in its own process as `socialdesk serve` assembles it; a closed-loop generator (N
keep-alive connections) posts signed webhooks to `/webhooks/<source>` over the three benchmark
sources. One message in {MESSAGES_PER_CONVERSATION} opens a new conversation, the others join an
existing one (messages of one conversation are far apart in the sequence, so they do not race).
Every answer must be 202; the figure is accepted messages divided by wall time, after a warm-up.
The delivery worker runs as in production and posts to the Slack stand-in (no rate limit) while
ingest goes on; the backlog it has left when the load stops is reported. The floor is the same
uvicorn + Starlette stack with a route that reads the body, checks the HMAC and runs one INSERT of
the raw body (same engine settings), sent the same requests in the same run."""


def run(options: Options) -> Result:
    total, clients, warmup = (300, 4, 40) if options.quick else (20_000, 20, 500)
    kinds = ["sqlite"] + (["postgresql"] if options.postgres_url else [])
    rows: list[list[object]] = []
    checks: list[Check] = []
    backlog: dict[str, int] = {}
    for kind in kinds:
        with stage(kind, options.postgres_url, f"{NAME}_{kind[:2]}") as bench_stage:
            bot, backlog[kind] = _bot_run(bench_stage, total, clients, warmup)
            floor = _floor_run(bench_stage, total, clients, warmup)
        rows.append(_row(kind, bot, floor, backlog[kind]))
        checks += _checks(kind, bot, floor)
    if not options.postgres_url:
        checks.append(Check("PostgreSQL", "skipped: no PostgreSQL URL (--database-url or TEST_DATABASE_URL)", False))
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"messages": total, "concurrent_clients": clients, "warmup_messages": warmup,
               "new_conversation_share": 1 / MESSAGES_PER_CONVERSATION, "databases": kinds},
        columns=["database", "bot msg/s", "floor msg/s", "bot / floor", "bot p99 ms", "floor p99 ms",
                 "non-202", "outbox backlog at end"],
        rows=rows, checks=checks, details={"outbox_backlog_at_end": backlog},
    )


def _bot_run(bench_stage: Stage, total: int, clients: int, warmup: int) -> tuple[LoadRun, int]:
    with bench_stage.server("bot") as server:
        run_load(server.url, message_builder("warm", warmup), warmup, clients)
        measured = run_load(server.url, message_builder("run", total), total, clients)
        return measured, pending_jobs(bench_stage.database_url)


def _floor_run(bench_stage: Stage, total: int, clients: int, warmup: int) -> LoadRun:
    with bench_stage.server("ingest-floor") as server:
        run_load(server.url, message_builder("floor-warm", warmup), warmup, clients)
        return run_load(server.url, message_builder("floor-run", total), total, clients)


def message_builder(prefix: str, total: int) -> Callable[[int], Request]:
    """The i-th webhook: sources in turn; a new conversation for one message in four."""
    sources = [source for _prefix, _channel, source in BRANDS.values()]
    conversations = max(1, total // MESSAGES_PER_CONVERSATION)

    def build(index: int) -> Request:
        conversation = index % conversations
        body = customer_message(f"{prefix}-m{index}", f"{prefix}-c{conversation}", conversation)
        return webhook_request(sources[conversation % len(sources)], body)

    return build


def pending_jobs(database_url: str) -> int:
    db = Database(database_url)
    try:
        with db.transaction() as session:
            return session.scalar(
                select(func.count()).select_from(OutboxJob).where(OutboxJob.status == JobStatus.PENDING)
            ) or 0
    finally:
        db.dispose()


def _row(kind: str, bot: LoadRun, floor: LoadRun, backlog: int) -> list[object]:
    return [kind, bot.per_second, floor.per_second, ratio(bot.per_second, floor.per_second),
            percentile(bot.latencies, 0.99) * 1000, percentile(floor.latencies, 0.99) * 1000,
            bot.failures(202) + floor.failures(202), backlog]


def _checks(kind: str, bot: LoadRun, floor: LoadRun) -> list[Check]:
    measured = f"{bot.per_second:.0f} msg/s = {ratio(bot.per_second, floor.per_second):.2f} × floor ({floor.per_second:.0f} msg/s)"
    checks = [Check(f"{kind}: ≥ {FLOOR_FACTOR} × floor, every answer 202",
                    measured + f", {bot.failures(202)} not 202",
                    bot.per_second >= FLOOR_FACTOR * floor.per_second and bot.failures(202) == 0)]
    if kind == "postgresql":
        checks.append(Check(f"postgresql: ≥ {POSTGRES_MINIMUM:.0f} msg/s", f"{bot.per_second:.0f} msg/s",
                            bot.per_second >= POSTGRES_MINIMUM))
    return checks
