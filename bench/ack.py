"""Work per Slack request (server CPU time) for a button click and slash commands, against a floor
that gives Slack the same answers without the bot's work; with the closed-loop capacity of each."""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.common import Check, Options, Result, Spread, load_average, ratio
from bench.harness import Stage, stage
from bench.load import LoadRun, run_load
from bench.pair import (CONVERSATIONS, QUICK_PACE, Pair, bot_and_floor, interleaved, measure_cpu,
                         modals_opened, slack_request_builder, wait_for_modals)
from bench.setup import COMMAND

NAME = "ack"
TITLE = "Work per Slack request: button click and slash commands"
SCENARIOS = (  # label, request kind, target for bot CPU / floor CPU
    ("button: Assign", "assign", 1.5),
    (f"slash: {COMMAND} queue", "queue", 2.0),
    (f"slash: {COMMAND} help", "help", 1.2),
)
FULL_SIZES = (4, 800, 20, 80)
"""Repetitions, requests per type and repetition, concurrent clients, warm-up requests."""
QUICK_SIZES = (3, 20, 4, 4)
METHOD = f"""\
The bot runs in its own process exactly as `socialdesk serve` assembles it (uvicorn, Starlette,
Bolt, delivery worker, scheduler); the floor runs beside it in another process, on the same server
stack and the bot's own /slack/events route, around a Bolt app that gives Slack the same answers
with none of the bot's work: it acks `{COMMAND} help` and `{COMMAND} queue` with the bot's answer
as a fixed text (taken from the bot in the same run: the help text, and the queue's 20 lines), and
acks an Assign click and then opens the bot's Assign modal as a fixed view with `views.open` on the
same Slack stand-in (so the floor pays for the Slack call the bot must make, but no database read or
rendering). {CONVERSATIONS} conversations are ingested first; the clicks are `block_actions`
payloads of their Assign buttons, signed like Slack signs them, with fresh trigger ids. The primary
figure is the server's CPU time per request (user + system of its process, from `/proc`), counted
until every click's modal is open: the work each answer costs, which depends far less on what else
the machine is doing than a latency does. Each repetition runs every request type on the bot and on
the floor, one after the other, bot first in one repetition and floor first in the next, so a change
in the machine's load falls on both alike; the ratio bot/floor is taken within each repetition and
reported as the median and range over the repetitions. The same runs give the capacity: a
closed-loop generator (N keep-alive connections, each sending its next request when the previous
answer arrives) saturates the server, so requests/s is the most either can answer here (no target)."""


@dataclass
class Scenario:
    bot_cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    bot_rate: list[float] = field(default_factory=list)
    floor_rate: list[float] = field(default_factory=list)
    failures: int = 0
    clicks: int = 0
    modals: int = 0


def run(options: Options) -> Result:
    repetitions, requests, clients, warmup = QUICK_SIZES if options.quick else FULL_SIZES
    kind = "postgresql" if options.postgres_url else "sqlite"
    scenarios = {label: Scenario() for label, _kind, _target in SCENARIOS}
    loads = []
    with (stage(kind, options.postgres_url, NAME, QUICK_PACE) as bench_stage,
          bot_and_floor(bench_stage, "ack-floor") as pair):
        for _repetition, order in interleaved(repetitions):
            loads.append(load_average()[0])
            for label, request_kind, _target in SCENARIOS:
                runs = {app: _measure(bench_stage, pair, app, request_kind, requests, clients, warmup)
                        for app in order}
                _record(scenarios[label], runs, request_kind == "assign")
    rows, checks = _table(scenarios)
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"repetitions": repetitions, "requests_per_type_and_repetition": requests,
               "concurrent_clients": clients, "warmup_requests": warmup, "database": kind,
               "conversations": CONVERSATIONS},
        columns=["request", "bot CPU ms/req", "floor CPU ms/req", "bot / floor", "target",
                 "bot req/s", "floor req/s", "non-200"],
        rows=rows, checks=checks,
        details={"ratios": {label: scenario.ratios for label, scenario in scenarios.items()},
                 "load_average_1min_per_repetition": loads},
    )


@dataclass
class _Run:
    cpu_ms: float
    load: LoadRun
    modals: int


def _measure(bench_stage: Stage, pair: Pair, app: str, request_kind: str, requests: int, clients: int,
             warmup: int) -> _Run:
    server = pair.server(app)
    build = slack_request_builder(bench_stage.slack(server.url), request_kind, pair.parents)
    opening = request_kind == "assign"
    warmed_up = modals_opened(bench_stage) + warmup
    run_load(server.url, build, warmup, clients)
    if opening:
        wait_for_modals(bench_stage, warmed_up)  # the warm-up's modals are not counted
    before = modals_opened(bench_stage)
    measured = measure_cpu(server, requests, lambda: run_load(server.url, build, requests, clients),
                           lambda: wait_for_modals(bench_stage, before + requests) if opening else None,
                           label=f"ack-{request_kind}-{app}")
    return _Run(measured.cpu_ms, measured.result, modals_opened(bench_stage) - before if opening else 0)


def _record(scenario: Scenario, runs: dict[str, _Run], opening: bool) -> None:
    bot, floor = runs["bot"], runs["floor"]
    scenario.bot_cpu.append(bot.cpu_ms)
    scenario.floor_cpu.append(floor.cpu_ms)
    scenario.ratios.append(ratio(bot.cpu_ms, floor.cpu_ms))
    scenario.bot_rate.append(bot.load.per_second)
    scenario.floor_rate.append(floor.load.per_second)
    scenario.failures += bot.load.failures(200) + floor.load.failures(200)
    if opening:
        scenario.clicks += len(bot.load.latencies) + len(floor.load.latencies)
        scenario.modals += bot.modals + floor.modals


def _table(scenarios: dict[str, Scenario]) -> tuple[list[list[object]], list[Check]]:
    rows: list[list[object]] = []
    checks: list[Check] = []
    for label, request_kind, target in SCENARIOS:
        scenario = scenarios[label]
        ratios = Spread.of(scenario.ratios)
        rows.append([label, Spread.of(scenario.bot_cpu).text(), Spread.of(scenario.floor_cpu).text(),
                     ratios.text(), f"≤ {target}", Spread.of(scenario.bot_rate).text(),
                     Spread.of(scenario.floor_rate).text(), scenario.failures])
        checks.append(Check(f"{label}: CPU per request ≤ {target} × floor",
                            f"{ratios.text()} × over {len(scenario.ratios)} repetitions; "
                            f"bot {Spread.of(scenario.bot_cpu).text()} ms, "
                            f"floor {Spread.of(scenario.floor_cpu).text()} ms",
                            ratios.median <= target and scenario.failures == 0))
        if request_kind == "assign":
            checks.append(Check(f"{label}: every click opened its modal (bot and floor)",
                                f"{scenario.modals} of {scenario.clicks}", scenario.modals == scenario.clicks))
    return rows, checks
