"""Triage of one message (risk categories, sentiment, a brand's rules), against sentiment alone."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Check, Options, Result, median, percentile, ratio

NAME = "triage"
TITLE = "Triage per message, English and Korean"
LIMIT_MS = 5.0
DEV_SET = Path(__file__).parent.parent / "tests" / "data" / "triage_dev.jsonl"
METHOD = f"""\
In-process, one thread. The messages are the {DEV_SET.name} development set (half English, half
Korean, 4-300 characters) plus the same set joined into 1,000-character messages. Each round times
every message once by the CPU time of the thread (`time.thread_time_ns`, so that other processes
taking the CPU away do not count); the first round is a warm-up. "triage" is
`bot.triage.rules.triage` as intake calls it, with the example app.yaml's first brand (no rules of
its own: the built-in risk categories, the star-rating rules and sentiment). The floor is the
sentiment scorer alone, which is what intake computed per message before the risk categories."""


def run(options: Options) -> Result:
    from bot.config import load_config
    from bot.inbound import Author, InboundMessage
    from bot.triage.rules import triage
    from bot.triage.sentiment import score

    config = load_config(Path(__file__).parent.parent / "app.yaml")
    texts = [json.loads(line)["text"] for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    long_texts = [" ".join(texts[start:start + 20])[:1000] for start in range(0, len(texts), 20)]
    rounds = 3 if options.quick else 30
    author = Author("bench", "Customer")
    now = datetime.now(UTC)

    def triaged(text: str) -> None:
        triage(config, "acme", InboundMessage("acme-hook", "-", "-", "comment", author, text, None, now))

    rows, checks = [], []
    for label, sample in (("messages as written", texts), ("1,000-character messages", long_texts)):
        full = _timings(triaged, sample, rounds)
        floor = _timings(score, sample, rounds)
        rows.append([label, len(sample), median(full), percentile(full, 0.99), max(full), median(floor),
                     ratio(median(full), median(floor))])
        checks.append(Check(f"{label}: p99 < {LIMIT_MS:g} ms", f"p99 {percentile(full, 0.99):.2f} ms",
                            percentile(full, 0.99) < LIMIT_MS))
    return Result(
        name=NAME, title=TITLE, method=METHOD, sizes={"messages": len(texts), "rounds": rounds},
        columns=["messages", "n", "triage median ms", "triage p99 ms", "triage max ms", "sentiment median ms",
                 "× sentiment"],
        rows=rows, checks=checks,
    )


def _timings(work: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    for text in texts:
        work(text)
    timings = []
    for _ in range(rounds):
        for text in texts:
            started = time.thread_time_ns()
            work(text)
            timings.append((time.thread_time_ns() - started) / 1e6)
    return timings
