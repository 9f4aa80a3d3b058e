"""Ack latency at a stated offered load (open loop): a mix of clicks, slash commands and events."""

from __future__ import annotations

from collections import defaultdict

from bench.common import Check, Options, Result, Spread, load_average, percentile, ratio
from bench.harness import stage
from bench.load import Sent, run_open_loop
from bench.pair import (CONVERSATIONS, QUICK_PACE, bot_and_floor, interleaved, modals_opened, sampled,
                         slack_request_builder, wait_for_modals)
from bench.setup import COMMAND

NAME = "latency"
TITLE = "Ack latency at a stated offered load (open loop)"
RATE = 50.0
MIX = ("event", "assign", "event", "queue", "help")
"""Every fifth request of each kind in turn: events 40 %, clicks, queue and help 20 % each."""
LABELS = {"assign": "button: Assign", "queue": f"slash: {COMMAND} queue", "help": f"slash: {COMMAND} help",
          "event": "event: message in a thread"}
FLOOR_FACTOR = 2.0
LIMIT_MS = 100.0
METHOD = f"""\
The bot and its floor run side by side as in the work-per-request benchmark (`ack`): the floor
acks with the bot's own answers as fixed texts and opens the bot's Assign modal as a fixed view.
An open-loop generator sends {RATE:.0f} requests/s on a fixed schedule, whatever the answers: each
request goes out at its time on an idle keep-alive connection, or a new one if all are waiting, and
its latency runs from the time it was *due* to the last byte of the answer, so a slow answer or a
late send is never hidden (no coordinated omission). The mix repeats {', '.join(MIX)}: Slack events
(a teammate's message in a conversation's thread, which the bot acknowledges and keeps internal)
40 %, Assign clicks, `{COMMAND} queue` and `{COMMAND} help` 20 % each. The run is cut into segments
sent to the bot and to the floor in turn (bot first, then floor first), so both see the same
machine; p50 and p99 are over all of a server's requests, and the spread is the p99 of each
segment."""


def run(options: Options) -> Result:
    segments, seconds, warmup = (2, 1.0, 0.4) if options.quick else (3, 20.0, 2.0)
    kind = "postgresql" if options.postgres_url else "sqlite"
    sent: dict[str, list[list[Sent]]] = {"bot": [], "floor": []}
    loads, modals, clicks = [], 0, 0
    with (stage(kind, options.postgres_url, NAME, QUICK_PACE) as bench_stage,
          bot_and_floor(bench_stage, "ack-floor") as pair):
        builders = {app: slack_request_builder(bench_stage.slack(pair.server(app).url),
                                               lambda index: MIX[index % len(MIX)], pair.parents)
                    for app in ("bot", "floor")}
        for app in ("bot", "floor"):  # warm-up
            run_open_loop(pair.server(app).url, builders[app], RATE, warmup)
        for segment, order in interleaved(segments):
            loads.append(load_average()[0])
            for app in order:
                before = modals_opened(bench_stage)
                with sampled(pair.server(app).pid, f"latency-{app}", waits=True):
                    answered = run_open_loop(pair.server(app).url, builders[app], RATE, seconds,
                                             first_index=segment * 10_000)
                sent[app].append(answered)
                segment_clicks = sum(1 for item in answered if MIX[item.index % len(MIX)] == "assign")
                clicks += segment_clicks
                modals += wait_for_modals(bench_stage, before + segment_clicks) - before
    rows, checks = _table(sent)
    checks.append(Check("every Assign click opened its modal (bot and floor)", f"{modals} of {clicks}",
                        modals == clicks))
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"offered_load_per_second": RATE, "seconds_per_server": segments * seconds,
               "segments_per_server": segments, "mix": "/".join(MIX), "database": kind,
               "conversations": CONVERSATIONS},
        columns=["requests", "bot p50 ms", "bot p99 ms", "floor p50 ms", "floor p99 ms", "p99 / floor",
                 "bot p99 per segment", "floor p99 per segment", "non-200"],
        rows=rows, checks=checks, details={"load_average_1min_per_segment": loads},
    )


def _table(sent: dict[str, list[list[Sent]]]) -> tuple[list[list[object]], list[Check]]:
    by_kind: dict[tuple[str, str], list[list[float]]] = defaultdict(list)
    failures = defaultdict(int)
    for app, segments in sent.items():
        for answered in segments:
            groups: dict[str, list[float]] = defaultdict(list)
            for item in answered:
                kind = MIX[item.index % len(MIX)]
                for key in (kind, "all"):
                    groups[key].append(item.latency * 1000)
                failures[kind] += item.status != 200
                failures["all"] += item.status != 200
            for key, values in groups.items():
                by_kind[(app, key)].append(values)
    rows: list[list[object]] = []
    checks: list[Check] = []
    for key in ("all", *dict.fromkeys(MIX)):
        label = "all (the mix)" if key == "all" else LABELS[key]
        bot_segments, floor_segments = by_kind[("bot", key)], by_kind[("floor", key)]
        bot = [value for values in bot_segments for value in values]
        floor = [value for values in floor_segments for value in values]
        bot_p99, floor_p99 = percentile(bot, 0.99), percentile(floor, 0.99)
        rows.append([label, percentile(bot, 0.5), bot_p99, percentile(floor, 0.5), floor_p99,
                     ratio(bot_p99, floor_p99), _segments(bot_segments), _segments(floor_segments), failures[key]])
        if bot:
            target = f"{label}: p99 ≤ {FLOOR_FACTOR} × floor and < {LIMIT_MS:.0f} ms at {RATE:.0f} requests/s"
            checks.append(Check(target,
                                f"p99 {bot_p99:.1f} ms = {ratio(bot_p99, floor_p99):.2f} × floor ({floor_p99:.1f} ms)",
                                bot_p99 <= FLOOR_FACTOR * floor_p99 and bot_p99 < LIMIT_MS and failures[key] == 0))
    return rows, checks


def _segments(segments: list[list[float]]) -> str:
    return Spread.of([percentile(values, 0.99) for values in segments]).text()
