"""Work per signed webhook message (server CPU time) and sustained ingest, against the same HTTP stack
doing the HMAC check and one INSERT."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

from sqlalchemy import func, select

from bench.common import Check, Options, Result, Spread, load_average, ratio
from bench.harness import customer_message, stage, webhook_request
from bench.load import LoadRun, Request, run_load
from bench.pair import CpuRun, interleaved, measure_cpu
from bench.setup import BRANDS
from storage.db import Database
from storage.models import JobStatus, OutboxJob

NAME = "ingest"
TITLE = "Work per signed webhook message, and sustained messages/s"
CPU_FACTOR = 1.25
MESSAGES_PER_CONVERSATION = 4
FULL_SIZES = (4, 2500, 20, 200)
"""Repetitions, messages per repetition, concurrent clients, warm-up messages."""
QUICK_SIZES = (3, 40, 4, 10)
METHOD = f"""\
The bot runs in its own process as `socialdesk serve` assembles it; the floor runs beside it in
another process: the same uvicorn + Starlette stack with a route that reads the body, checks the
HMAC and runs one INSERT of the raw body (same engine settings) — the least a durable webhook can
do. A closed-loop generator (N keep-alive connections) posts signed webhooks to `/webhooks/<source>`
over the three benchmark sources. One message in {MESSAGES_PER_CONVERSATION} opens a new
conversation, the others join an existing one (messages of one conversation are far apart in the
sequence, so they do not race). Every answer must be 202. The primary figure is the server's CPU
time per message (user + system of its process, from `/proc`; the database server's own work is not
in it, for either); the delivery worker runs as in production and posts to the Slack stand-in while
ingest goes on, and what it does meanwhile counts as the bot's work. Each repetition sends the bot
and the floor the same number of messages, one after the other, bot first in one repetition and
floor first in the next, so a change in the machine's load falls on both alike; the ratio is taken
within each repetition and reported as the median and range. The same runs give the capacity,
accepted messages per second of wall time (no target); the outbox backlog the bot has left when the
load stops is reported too."""


def run(options: Options) -> Result:
    repetitions, total, clients, warmup = QUICK_SIZES if options.quick else FULL_SIZES
    kinds = ["sqlite"] + (["postgresql"] if options.postgres_url else [])
    rows: list[list[object]] = []
    checks: list[Check] = []
    details: dict[str, dict[str, object]] = {}
    for kind in kinds:
        with stage(kind, options.postgres_url, f"{NAME}_{kind[:2]}") as bench_stage, ExitStack() as stack:
            servers = {"bot": bench_stage.server("bot"), "floor": bench_stage.server("ingest-floor")}
            for server in servers.values():
                server.start()
            for server in servers.values():
                stack.enter_context(server)
            for app, server in servers.items():
                run_load(server.url, message_builder(f"{app}-warm", warmup), warmup, clients)
            runs: dict[str, list[CpuRun]] = {"bot": [], "floor": []}
            loads = []
            for repetition, order in interleaved(repetitions):
                loads.append(load_average()[0])
                for app in order:
                    build = message_builder(f"{app}-r{repetition}", total)
                    server = servers[app]
                    def send(url: str = server.url, build: Callable[[int], Request] = build) -> LoadRun:
                        return run_load(url, build, total, clients)

                    runs[app].append(measure_cpu(server, total, send, label=f"ingest-{kind}-{app}"))
            backlog = pending_jobs(bench_stage.database_url)
        ratios = [ratio(bot.cpu_ms, floor.cpu_ms) for bot, floor in zip(runs["bot"], runs["floor"], strict=True)]
        details[kind] = {"ratios": ratios, "outbox_backlog_at_end": backlog, "load_average_1min_per_repetition": loads}
        rows.append(_row(kind, runs, ratios, backlog))
        checks.append(_check(kind, runs, ratios))
    if not options.postgres_url:
        checks.append(Check("PostgreSQL", "skipped: no PostgreSQL URL (--database-url or TEST_DATABASE_URL)", False))
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"repetitions": repetitions, "messages_per_repetition": total, "concurrent_clients": clients,
               "warmup_messages": warmup, "new_conversation_share": 1 / MESSAGES_PER_CONVERSATION,
               "databases": kinds},
        columns=["database", "bot CPU ms/msg", "floor CPU ms/msg", "bot / floor", "target", "bot msg/s",
                 "floor msg/s", "non-202", "outbox backlog at end"],
        rows=rows, checks=checks, details=details,
    )


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


def _row(kind: str, runs: dict[str, list[CpuRun]], ratios: list[float], backlog: int) -> list[object]:
    bot, floor = runs["bot"], runs["floor"]
    return [kind, Spread.of([run.cpu_ms for run in bot]).text(), Spread.of([run.cpu_ms for run in floor]).text(),
            Spread.of(ratios).text(), f"≤ {CPU_FACTOR}", Spread.of([run.result.per_second for run in bot]).text(),
            Spread.of([run.result.per_second for run in floor]).text(), _failures(bot) + _failures(floor), backlog]


def _check(kind: str, runs: dict[str, list[CpuRun]], ratios: list[float]) -> Check:
    spread = Spread.of(ratios)
    return Check(f"{kind}: CPU per message ≤ {CPU_FACTOR} × floor, every answer 202",
                 f"{spread.text()} × over {len(ratios)} repetitions; "
                 f"bot {Spread.of([run.cpu_ms for run in runs['bot']]).text()} ms, "
                 f"floor {Spread.of([run.cpu_ms for run in runs['floor']]).text()} ms; "
                 f"{_failures(runs['bot'])} not 202",
                 spread.median <= CPU_FACTOR and _failures(runs["bot"]) == 0)


def _failures(runs: list[CpuRun]) -> int:
    return sum(run.result.failures(202) for run in runs)
