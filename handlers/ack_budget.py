"""Slack waits 3 seconds for an acknowledgement, then shows the teammate an error. Work done
before the ack runs in a pool, against a deadline counted from the request's arrival: what is not
committed by then is rolled back, and the teammate is told so."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.domain.cutoff import Cutoff

ACK_BUDGET = 2.3
"""Seconds from the request's arrival; the rest of Slack's 3 s is for the answer's way back."""
RECEIVED_AT = "socialdesk_received_at"
"""Key of the request's arrival time (``time.monotonic()``) in Bolt's context."""

_T = TypeVar("_T")
_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="socialdesk-ack")


@dataclass(frozen=True)
class Bounded(Generic[_T]):
    """The work's result, or ``abandoned`` (nothing was stored); ``late`` when it came after the budget."""

    result: _T | None
    abandoned: bool = False
    late: bool = False


def received_at(context: Any) -> float:
    value = context.get(RECEIVED_AT) if context is not None else None
    return value if isinstance(value, float) else time.monotonic()


def within_ack(work: Callable[[Cutoff], _T], arrived: float) -> Bounded[_T]:
    """Run ``work`` (which calls ``cutoff.commit_allowed()`` before committing) until the budget is
    spent. Its exceptions are raised here when it finished in time."""
    cutoff = Cutoff(arrived + ACK_BUDGET)
    if cutoff.remaining() <= 0:
        return Bounded(None, abandoned=True, late=True)
    future = _pool.submit(work, cutoff)
    try:
        return Bounded(future.result(timeout=max(0.0, cutoff.remaining())))
    except FutureTimeout:
        if cutoff.abandon():
            return Bounded(None, abandoned=True, late=True)
    # It was committing when the budget ran out: its outcome follows in a moment.
    return Bounded(future.result(), late=True)


def before_ack(work: Callable[[], _T], arrived: float, fallback: _T, most: float) -> _T:
    """``work``'s result when it comes within ``most`` seconds and the ack budget, else ``fallback``
    (the work goes on in the background; its result is not used): for lookups the answer can do without."""
    wait = min(most, arrived + ACK_BUDGET - time.monotonic())
    if wait <= 0:
        return fallback
    future = _pool.submit(work)
    try:
        return future.result(timeout=wait)
    except FutureTimeout:
        return fallback
