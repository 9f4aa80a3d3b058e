"""Ack latency of a button click and of slash commands, against a Bolt app that only acks."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from bench.common import Check, Options, Result, cpu_seconds, percentile, ratio
from bench.harness import RequestRecorder, Stage, customer_message, post_webhook, stage, webhook_request
from bench.load import LoadRun, Request, run_load
from bench.setup import BRANDS, COMMAND, PEOPLE
from bot.offline.slack_web import Message

NAME = "ack"
TITLE = "Ack latency: button click and slash command"
CONVERSATIONS = 20
P99_LIMIT_MS = 250.0
P99_FLOOR_FACTOR = 1.5
SCENARIOS = (
    ("button: Assign", "assign"),
    (f"slash: {COMMAND} help", "help"),
    (f"slash: {COMMAND} queue", "queue"),
)
METHOD = f"""\
The bot runs in its own process exactly as `socialdesk serve` assembles it (uvicorn, Starlette,
Bolt, delivery worker, scheduler) on the benchmark's database; the Slack Web API stand-in runs in
the load generator's process (the bot calls `views.open` on it after acking each Assign click).
{CONVERSATIONS} conversations are ingested first; the clicks are `block_actions` payloads of their
Assign buttons, signed like Slack signs them (FakeSlack), with fresh trigger ids. Each request type
is warmed up, then sent by a closed-loop generator: N keep-alive connections, each sending its next
request when the previous answer arrives. Latency is from the request's first byte to the last byte
of the answer. The floor is the same server stack (uvicorn, Starlette, the bot's /slack/events
route) around a Bolt app whose `assign` and `{COMMAND}` listeners only call `ack()`, sent the same
requests in the same run. The server's CPU time per request (user and system, from `/proc`, counted
until every Assign click has opened its modal) shows how much work each answer costs: under this
closed loop the server is saturated, so latency follows that work."""


@dataclass
class Measured:
    load: LoadRun
    cpu_ms: float
    """The server's CPU time per request, the work after the ack included."""
    modals: int | None = None
    """Assign clicks whose modal Slack opened."""


def run(options: Options) -> Result:
    requests, clients, warmup = (100, 5, 20) if options.quick else (2000, 20, 200)
    kind = "postgresql" if options.postgres_url else "sqlite"
    with stage(kind, options.postgres_url, NAME) as bench_stage:
        bot_runs = _measure("bot", bench_stage, requests, clients, warmup)
        floor_runs = _measure("ack-floor", bench_stage, requests, clients, warmup)
    rows, checks = _table(bot_runs, floor_runs)
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"requests_per_type": requests, "concurrent_clients": clients, "warmup_requests": warmup,
               "database": kind, "conversations": CONVERSATIONS},
        columns=["request", "bot p50 ms", "bot p99 ms", "floor p50 ms", "floor p99 ms", "p99 / floor",
                 "bot req/s", "floor req/s", "bot CPU ms/req", "floor CPU ms/req", "non-200"],
        rows=rows, checks=checks,
    )


def _measure(app_name: str, bench_stage: Stage, requests: int, clients: int, warmup: int) -> dict[str, Measured]:
    with bench_stage.server(app_name) as server:
        slack = bench_stage.slack(server.url)
        parents = _conversations(bench_stage, server.url)
        runs = {}
        for label, action in SCENARIOS:
            build = _request_builder(slack, action, parents)
            opening = action == "assign" and app_name == "bot"
            warmed_up = _modals_opened(bench_stage) + warmup if opening else 0
            run_load(server.url, build, warmup, clients)
            before = _wait_for_modals(bench_stage, warmed_up) if opening else 0
            cpu_before = cpu_seconds(server.pid)
            load = run_load(server.url, build, requests, clients)
            modals = _wait_for_modals(bench_stage, before + requests) - before if opening else None
            runs[label] = Measured(load, (cpu_seconds(server.pid) - cpu_before) * 1000 / requests, modals)
        return runs


def _modals_opened(bench_stage: Stage) -> int:
    return sum(1 for call in bench_stage.api.calls_to("views.open") if call.response.get("ok"))


def _wait_for_modals(bench_stage: Stage, expected: int) -> int:
    """The modals opened once the clicks' work after the ack is done (or has stopped for 10 s)."""
    opened, last_change = _modals_opened(bench_stage), time.monotonic()
    while opened < expected and time.monotonic() - last_change < 10:
        time.sleep(0.05)
        now_opened = _modals_opened(bench_stage)
        if now_opened != opened:
            opened, last_change = now_opened, time.monotonic()
    return opened


def _conversations(bench_stage: Stage, bot_url: str) -> list[Message]:
    """Parent messages to click on: ingested through the bot (or, for the floor, reused)."""
    _brand, (_prefix, channel, source) = next(iter(BRANDS.items()))
    existing = bench_stage.api.messages(channel)
    if len(existing) >= CONVERSATIONS:
        return existing[:CONVERSATIONS]
    with httpx.Client(timeout=10) as http:
        for number in range(CONVERSATIONS):
            request = webhook_request(source, customer_message(f"ack-{number}", f"ack-{number}", number))
            post_webhook(http, bot_url, request).raise_for_status()
    bench_stage.api.wait_for(lambda: len(bench_stage.api.messages(channel)) >= CONVERSATIONS, timeout=30)
    return bench_stage.api.messages(channel)[:CONVERSATIONS]


def _request_builder(slack: RequestRecorder, action: str, parents: list[Message]) -> Callable[[int], Request]:
    users = itertools.cycle(PEOPLE)
    _brand, (_prefix, channel, _source) = next(iter(BRANDS.items()))

    def build(index: int) -> Request:
        user = next(users)
        if action == "assign":
            return slack.click(user, parents[index % len(parents)], "assign")
        return slack.command(user, COMMAND, action, channel)

    return build


def _table(bot_runs: dict[str, Measured], floor_runs: dict[str, Measured]) -> tuple[list[list[object]], list[Check]]:
    rows: list[list[object]] = []
    checks: list[Check] = []
    for label, _action in SCENARIOS:
        bot_run, floor_run = bot_runs[label], floor_runs[label]
        bot, floor = bot_run.load, floor_run.load
        bot_p99, floor_p99 = _ms(percentile(bot.latencies, 0.99)), _ms(percentile(floor.latencies, 0.99))
        rows.append([label, _ms(percentile(bot.latencies, 0.5)), bot_p99, _ms(percentile(floor.latencies, 0.5)),
                     floor_p99, ratio(bot_p99, floor_p99), bot.per_second, floor.per_second,
                     bot_run.cpu_ms, floor_run.cpu_ms, bot.failures(200) + floor.failures(200)])
        met = bot_p99 <= P99_FLOOR_FACTOR * floor_p99 and bot_p99 < P99_LIMIT_MS and bot.failures(200) == 0
        checks.append(Check(f"{label}: p99 ≤ {P99_FLOOR_FACTOR} × floor and < {P99_LIMIT_MS:.0f} ms",
                            f"p99 {bot_p99:.1f} ms = {ratio(bot_p99, floor_p99):.2f} × floor ({floor_p99:.1f} ms)",
                            met))
        if bot_run.modals is not None:
            clicks = len(bot.latencies)
            checks.append(Check(f"{label}: every click opened its modal", f"{bot_run.modals} of {clicks}",
                                bot_run.modals == clicks))
    return rows, checks


def _ms(seconds: float) -> float:
    return seconds * 1000
