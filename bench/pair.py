"""The bot and its floor side by side on one stage: the floor answers exactly what the bot answered.

The floor's fixed answers (the Assign modal, the `/social help` and `/social queue` texts, the layout
of a conversation's parent message) are taken from the bot in the same run, so the floor's answers
are the same size as the bot's and Slack sees the same traffic from both.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.common import cpu_seconds
from bench.harness import RequestRecorder, Stage, customer_message, post_webhook, webhook_request
from bench.load import Request
from bench.serve import FLOOR_ANSWERS_ENV, ServerProcess
from bench.setup import BRANDS, COMMAND, PEOPLE
from bot.demo.standins.slack_web_api import Message

CONVERSATIONS = 20
"""Conversations to click on; also the length of the `/social queue` answer (20 lines)."""
QUICK_PACE = {"channel_pace": "50ms"}
"""Delivery settings for stages whose Slack stand-in sets no pace: the conversations' parent messages
are posted in a second instead of Slack's 1 per second per channel, which these benchmarks do not
measure."""
FIRST_BRAND_CHANNEL = next(iter(BRANDS.values()))[1]
PROFILE_ENV = "BENCH_PROFILE_DIR"


@dataclass
class Pair:
    bot: ServerProcess
    floor: ServerProcess
    parents: list[Message]
    """Parent messages of the conversations, as Slack holds them (the clicks are on their buttons)."""

    def server(self, app: str) -> ServerProcess:
        return self.bot if app == "bot" else self.floor


@contextmanager
def bot_and_floor(bench_stage: Stage, floor_app: str) -> Iterator[Pair]:
    """Start the bot, give it the conversations, take its answers for the floor, then start the floor."""
    answers = bench_stage.folder / "floor-answers.json"
    with ExitStack() as stack:
        bot = bench_stage.server("bot")
        floor = bench_stage.server(floor_app, env={FLOOR_ANSWERS_ENV: str(answers)})
        bot.start()
        floor.start()  # both start at once; the floor reads the bot's answers when first asked
        stack.enter_context(bot)
        stack.enter_context(floor)
        parents = conversations(bench_stage, bot.url)
        capture_answers(bench_stage, bot.url, parents, answers)
        yield Pair(bot, floor, parents)


def conversations(bench_stage: Stage, bot_url: str) -> list[Message]:
    """The parent messages of CONVERSATIONS new conversations, ingested through the bot."""
    _prefix, channel, source = next(iter(BRANDS.values()))
    with httpx.Client(timeout=10) as http:
        for number in range(CONVERSATIONS):
            request = webhook_request(source, customer_message(f"pair-{number}", f"pair-{number}", number))
            post_webhook(http, bot_url, request).raise_for_status()
    bench_stage.api.wait_for(lambda: len(bench_stage.api.messages(channel)) >= CONVERSATIONS, timeout=30)
    return bench_stage.api.messages(channel)[:CONVERSATIONS]


def capture_answers(bench_stage: Stage, bot_url: str, parents: list[Message], path: Path) -> None:
    """What the bot answered to one Assign click and each slash command, written for the floors."""
    slack = bench_stage.slack(bot_url)
    user = next(iter(PEOPLE))
    answers = {}
    with httpx.Client(timeout=10) as http:
        for subcommand in ("help", "queue"):
            request = slack.command(user, COMMAND, subcommand, FIRST_BRAND_CHANNEL)
            answer = http.post(bot_url + request.path, content=request.body, headers=request.headers)
            answer.raise_for_status()
            answers[subcommand] = answer.json()["text"]
        opened = modals_opened(bench_stage)
        click = slack.click(user, parents[0], "assign")
        http.post(bot_url + click.path, content=click.body, headers=click.headers).raise_for_status()
    if wait_for_modals(bench_stage, opened + 1) < opened + 1:
        raise RuntimeError("the bot did not open the Assign modal; see the bench server log")
    modal = bench_stage.api.calls_to("views.open")[-1].args["view"]
    path.write_text(json.dumps({"answers": answers, "modal": modal, "parent_blocks": parents[0].blocks},
                               ensure_ascii=False), encoding="utf-8")


def modals_opened(bench_stage: Stage) -> int:
    return sum(1 for call in bench_stage.api.calls_to("views.open") if call.response.get("ok"))


def wait_for_modals(bench_stage: Stage, expected: int) -> int:
    """The modals opened once the clicks' work after the ack is done (or has stopped for 10 s)."""
    opened, last_change = modals_opened(bench_stage), time.monotonic()
    while opened < expected and time.monotonic() - last_change < 10:
        time.sleep(0.02)
        now_opened = modals_opened(bench_stage)
        if now_opened != opened:
            opened, last_change = now_opened, time.monotonic()
    return opened


def slack_request_builder(slack: RequestRecorder, kind: str | Callable[[int], str],
                          parents: list[Message]) -> Callable[[int], Request]:
    """The i-th Slack request of a kind (assign, help, queue or event), or of the kind ``kind(i)`` names."""
    users = itertools.cycle(PEOPLE)
    kind_of = kind if callable(kind) else (lambda _index: kind)

    def build(index: int) -> Request:
        user, chosen = next(users), kind_of(index)
        parent = parents[index % len(parents)]
        if chosen == "assign":
            return slack.click(user, parent, "assign")
        if chosen == "event":
            return slack.event({"type": "message", "channel": parent.channel, "channel_type": "channel",
                                "user": user, "text": "Checking with the courier, back in 5",
                                "ts": f"{time.time():.6f}", "thread_ts": parent.ts})
        return slack.command(user, COMMAND, chosen, FIRST_BRAND_CHANNEL)

    return build


@dataclass
class CpuRun:
    cpu_ms: float
    """The server's CPU time (user + system) per request, its work after the answer included."""
    result: Any


def measure_cpu(server: ServerProcess, requests: int, send: Callable[[], Any],
                settled: Callable[[], object] = lambda: None, label: str = "") -> CpuRun:
    """CPU time of ``server`` per request over ``send()`` and until ``settled()`` returns (sampled by
    py-spy into $BENCH_PROFILE_DIR/<label>.txt when that is set: the figures of such a run are not
    to be kept, as the sampling costs the server CPU too)."""
    with sampled(server.pid, label):
        before = cpu_seconds(server.pid)
        result = send()
        settled()
        return CpuRun((cpu_seconds(server.pid) - before) * 1000 / requests, result)


@contextmanager
def sampled(pid: int, label: str, waits: bool = False) -> Iterator[None]:
    """py-spy samples of ``pid`` into $BENCH_PROFILE_DIR/<label>.txt while the block runs (when that
    is set): of the thread holding the interpreter, or with ``waits`` of every thread, waiting or not."""
    folder = os.environ.get(PROFILE_ENV)
    if not folder or not label or not pid:
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    target = Path(folder) / f"{label}.txt"
    beside = Path(sys.executable).with_name("py-spy")
    # --gil: only the thread holding the interpreter, i.e. Python at work (threads waiting on a lock,
    # a socket or the database are not counted).
    command = [str(beside) if beside.exists() else "py-spy", "record", "--pid", str(pid),
               "--idle" if waits else "--gil", "--format", "raw", "--rate", "250", "--output", str(target)]
    sampler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # attached
    try:
        yield
    finally:
        sampler.send_signal(signal.SIGINT)
        sampler.wait(30)


def interleaved(repetitions: int) -> Iterator[tuple[int, tuple[str, str]]]:
    """Repetition numbers with the order of bot and floor in each: bot first, then floor first, in turn,
    so that a change in the machine's load falls on both alike."""
    for repetition in range(repetitions):
        yield repetition, (("bot", "floor") if repetition % 2 == 0 else ("floor", "bot"))
