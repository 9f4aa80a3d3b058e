"""Time to Slack: from a customer's signed webhook to its conversation's parent message in Slack."""

from __future__ import annotations

import json
import re
import time

from bench.common import Check, Options, Result, Spread, load_average, percentile
from bench.harness import Stage, customer_message, stage, webhook_request
from bench.load import Request, Sent, run_open_loop
from bench.pair import QUICK_PACE, bot_and_floor, interleaved, sampled
from bench.setup import BRANDS

NAME = "to_slack"
TITLE = "Time to Slack: from a customer's webhook to its message in the channel"
RATE = 5.0
MARGIN_MS = 150.0
MARKER = re.compile(r"tts-(?:bot|floor)-\d+")
METHOD = f"""\
What a team feels: how long a customer's message takes to appear in Slack. An open-loop generator
sends {RATE:.0f} signed webhooks a second on a fixed schedule, each a new conversation, to the three
brand sources in turn (so {RATE / len(BRANDS):.2f} a second per channel). The time runs from the
moment a webhook was due to be sent (its first byte) to the moment the Slack stand-in has handled
the `chat.postMessage` of the conversation's parent message (both clocks are the generator
process's monotonic clock; the stand-in runs in that process). The bot stores the message, answers
202, and its delivery worker, woken by the commit, posts the parent from the outbox. The floor
posts from the request itself: it checks the HMAC, stores the body with one INSERT, calls
`chat.postMessage` with the bot's parent layout as a fixed set of blocks, and only then answers.
Slack asks for at most one message per second per channel and the bot paces its posts to that by
default; {RATE / len(BRANDS):.2f} a second per channel is more than that pace lets through, and the
floor keeps no pace at all, so here the stand-in sets no limit and the bot's pace is set to
{QUICK_PACE['channel_pace']}: what is measured is the bot's own delay, not Slack's limit. The run is
cut into segments sent to the bot and the floor in turn (bot first, then floor first); p50 and p99
are over all of a server's messages, the spread is the p99 of each segment. The webhook's own
answer time (to its 202) is shown beside it."""


def run(options: Options) -> Result:
    segments, seconds, warmup = (2, 1.0, 0.6) if options.quick else (3, 20.0, 2.0)
    kind = "postgresql" if options.postgres_url else "sqlite"
    sent: dict[str, list[list[Sent]]] = {"bot": [], "floor": []}
    loads = []
    with (stage(kind, options.postgres_url, NAME, QUICK_PACE) as bench_stage,
          bot_and_floor(bench_stage, "post-floor") as pair):
        arrived = Arrivals(bench_stage)
        for app in ("bot", "floor"):  # warm-up
            _send(pair.server(app).url, 0, app, warmup, 900_000, arrived)
        for segment, order in interleaved(segments):
            loads.append(load_average()[0])
            for app in order:
                server = pair.server(app)
                sent[app].append(_send(server.url, server.pid, app, seconds, segment * 10_000, arrived))
    rows, checks = _table(sent, arrived.at)
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"messages_per_second": RATE, "seconds_per_server": segments * seconds,
               "segments_per_server": segments, "channels": len(BRANDS), "database": kind,
               "bot_channel_pace": QUICK_PACE["channel_pace"]},
        columns=["server", "to Slack p50 ms", "to Slack p99 ms", "p99 per segment", "webhook answer p50 ms",
                 "webhook answer p99 ms", "not posted", "non-202"],
        rows=rows, checks=checks, details={"load_average_1min_per_segment": loads},
    )


def _send(url: str, pid: int, app: str, seconds: float, first: int, arrived: Arrivals) -> list[Sent]:
    """One segment; returns once every message of it is in Slack (or has not come for 30 s)."""
    with sampled(pid, f"to_slack-{app}", waits=True):
        answered = run_open_loop(url, _builder(app), RATE, seconds, first_index=first)
        expected = {f"tts-{app}-{item.index}" for item in answered}
        deadline = time.monotonic() + 30
        while not expected <= arrived.seen() and time.monotonic() < deadline:
            time.sleep(0.1)
    return answered


def _builder(app: str):
    sources = [source for _prefix, _channel, source in BRANDS.values()]

    def build(index: int) -> Request:
        marker = f"tts-{app}-{index}"
        body = customer_message(marker, marker, index)
        body["text"] = f"{marker}: {body['text']}"
        return webhook_request(sources[index % len(sources)], body)

    return build


class Arrivals:
    """When each marked message first reached Slack: the time of the first ``chat.postMessage`` that
    carries its marker (the calls are read once each, as they come)."""

    def __init__(self, bench_stage: Stage) -> None:
        self.api = bench_stage.api
        self.at: dict[str, float] = {}
        self._read = 0

    def seen(self) -> set[str]:
        calls = self.api.calls_to("chat.postMessage")
        for call in calls[self._read:]:
            if call.response.get("ok"):
                for marker in set(MARKER.findall(json.dumps(call.args, ensure_ascii=False))):
                    self.at.setdefault(marker, call.at)
        self._read = len(calls)
        return set(self.at)


def _table(sent: dict[str, list[list[Sent]]], arrived: dict[str, float]) -> tuple[list[list[object]], list[Check]]:
    rows: list[list[object]] = []
    p99: dict[str, float] = {}
    lost: dict[str, int] = {}
    for app, segments in sent.items():
        per_segment = []
        everything: list[float] = []
        lost[app] = 0
        for answered in segments:
            times = []
            for item in answered:
                at = arrived.get(f"tts-{app}-{item.index}")
                if at is None:
                    lost[app] += 1
                else:
                    times.append((at - item.due) * 1000)
            per_segment.append(percentile(times, 0.99))
            everything += times
        answers = [item.latency * 1000 for answered in segments for item in answered]
        p99[app] = percentile(everything, 0.99)
        rows.append([app, percentile(everything, 0.5), p99[app], Spread.of(per_segment).text(),
                     percentile(answers, 0.5), percentile(answers, 0.99), lost[app],
                     sum(item.status != 202 for answered in segments for item in answered)])
    checks = [
        Check(f"to Slack p99 ≤ floor + {MARGIN_MS:.0f} ms at {RATE:.0f} messages/s",
              f"p99 {p99['bot']:.0f} ms, floor {p99['floor']:.0f} ms (+{p99['bot'] - p99['floor']:.0f} ms)",
              p99["bot"] <= p99["floor"] + MARGIN_MS),
        Check("every message posted", f"{lost['bot']} of the bot's not posted", lost["bot"] == 0),
    ]
    return rows, checks
