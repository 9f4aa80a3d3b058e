"""Draining a burst of new conversations into Slack channels limited to 1 message/s each."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from bench.common import Check, Options, Result, ratio
from bench.harness import Stage, customer_message, stage, webhook_request
from bench.load import Request, run_load
from bench.setup import BRANDS
from storage.db import Database
from storage.models import JobStatus, OutboxJob

NAME = "drain"
TITLE = "Draining a burst of new conversations to rate-limited Slack channels"
FLOOR_FACTOR = 1.1
MAX_429_PER_CHANNEL = 3
BURST = 1
METHOD = f"""\
The bot runs in its own process as `socialdesk serve` assembles it, with the default delivery
settings (retry_base 2s, retry_max 5m, max_attempts 8, poll_interval 5s). The Slack stand-in
enforces a per-channel `chat.postMessage` pace with a token bucket (burst {BURST}) and answers 429
with `Retry-After` beyond it, like Slack's "1 message per second per channel". A burst of new
conversations, spread evenly over the three brand channels, is posted as signed webhooks at once
(10 connections); the clock starts before the first webhook and stops at the last parent message
Slack accepted. The floor is the theoretical minimum, conversations per channel ÷ pace (with a
burst of {BURST} the exact minimum is one interval less). Lost = conversations whose parent never
reached Slack (their job failed or was still pending at the time limit); duplicated = parents
posted more than once; 429s are counted per channel by the stand-in."""


@dataclass(frozen=True)
class Outcome:
    seconds: float
    posted: int
    duplicated: int
    rate_limited: dict[str, int]
    failed_jobs: int
    pending_jobs: int
    finished: bool


def run(options: Options) -> Result:
    conversations, pace = (30, 10.0) if options.quick else (600, 1.0)
    kind = "postgresql" if options.postgres_url else "sqlite"
    per_channel = conversations // len(BRANDS)
    floor = per_channel / pace
    time_limit = 60.0 if options.quick else 4 * floor + 60
    with stage(kind, options.postgres_url, NAME, post_rate_per_channel=pace, burst=BURST) as bench_stage:
        outcome = _drain(bench_stage, conversations, time_limit)
    lost = conversations - outcome.posted
    worst_429 = max(outcome.rate_limited.values(), default=0)
    checks = [
        Check(f"drain ≤ {FLOOR_FACTOR} × minimum", f"{outcome.seconds:.1f} s = {ratio(outcome.seconds, floor):.2f} × {floor:.0f} s"
              + ("" if outcome.finished else f" (stopped at the {time_limit:.0f} s limit)"),
              outcome.finished and outcome.seconds <= FLOOR_FACTOR * floor),
        Check("0 lost, 0 duplicated", f"{lost} lost, {outcome.duplicated} duplicated", lost == 0 and outcome.duplicated == 0),
        Check(f"≤ {MAX_429_PER_CHANNEL} 429s per channel", f"up to {worst_429} per channel", worst_429 <= MAX_429_PER_CHANNEL),
    ]
    return Result(
        name=NAME, title=TITLE, method=METHOD,
        sizes={"conversations": conversations, "channels": len(BRANDS), "pace_per_channel_per_second": pace,
               "burst": BURST, "database": kind, "time_limit_seconds": time_limit},
        columns=["conversations", "channels", "pace msg/s/channel", "drain s", "minimum s", "drain / minimum",
                 "lost", "duplicated", "failed jobs", "429s per channel"],
        rows=[[conversations, len(BRANDS), pace, outcome.seconds, floor, ratio(outcome.seconds, floor), lost,
               outcome.duplicated, outcome.failed_jobs, _per_channel(outcome.rate_limited)]],
        checks=checks,
        details={"rate_limited_by_channel": outcome.rate_limited, "pending_jobs_at_end": outcome.pending_jobs,
                 "finished": outcome.finished},
    )


def _drain(bench_stage: Stage, conversations: int, time_limit: float) -> Outcome:
    api = bench_stage.api
    channels = [channel for _prefix, channel, _source in BRANDS.values()]
    with bench_stage.server("bot") as server:
        started = time.monotonic()
        burst = run_load(server.url, _new_conversation, conversations, 10)
        if burst.failures(202):
            raise RuntimeError(f"the burst was not accepted: {dict(burst.statuses)}")
        finished = _wait_for_drain(bench_stage, conversations, started + time_limit)
        parents = [call for call in api.calls_to("chat.postMessage")
                   if call.http_status == 200 and not call.args.get("thread_ts") and call.args.get("channel") in channels]
        refs = Counter(str(call.args.get("text", "")).split(" ")[0] for call in parents)
        rate_limited = Counter(str(call.args.get("channel")) for call in api.calls_to("chat.postMessage")
                               if call.http_status == 429)
        failed, pending = _jobs(bench_stage.database_url)
    last = max((call.at for call in parents), default=started)
    return Outcome(
        seconds=last - started, posted=len(refs), duplicated=sum(count - 1 for count in refs.values()),
        rate_limited={channel: rate_limited.get(channel, 0) for channel in channels},
        failed_jobs=failed, pending_jobs=pending, finished=finished,
    )


def _new_conversation(index: int) -> Request:
    sources = [source for _prefix, _channel, source in BRANDS.values()]
    body = customer_message(f"drain-{index}", f"drain-{index}", index)
    return webhook_request(sources[index % len(sources)], body)


def _wait_for_drain(bench_stage: Stage, conversations: int, deadline: float) -> bool:
    """Until every parent is posted or nothing is left to try; False when the time limit struck."""
    channels = [channel for _prefix, channel, _source in BRANDS.values()]
    while time.monotonic() < deadline:
        if sum(len(bench_stage.api.messages(channel)) for channel in channels) >= conversations:
            return True
        if _jobs(bench_stage.database_url)[1] == 0:
            return True
        time.sleep(0.5)
    return False


def _jobs(database_url: str) -> tuple[int, int]:
    """(failed, pending) outbox jobs."""
    db = Database(database_url)
    try:
        with db.transaction() as session:
            counts = dict(session.execute(
                select(OutboxJob.status, func.count()).group_by(OutboxJob.status)
            ).all())
        return counts.get(JobStatus.FAILED, 0), counts.get(JobStatus.PENDING, 0)
    finally:
        db.dispose()


def _per_channel(counts: dict[str, int]) -> str:
    return " / ".join(str(count) for count in counts.values())
