"""The batcher's rules that need no waiting: how big a batch gets, and who hears about a failure.

Each test holds the worker on its first batch with an event, so what is submitted meanwhile piles
up deterministically; nothing sleeps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import pytest

from bot.domain.batching import Batcher


class Held:
    """A handler whose first call waits until released; later calls answer with ``answer``."""

    def __init__(self, answer: Callable[[list[int]], Sequence[int | Exception]]) -> None:
        self.answer = answer
        self.batches: list[list[int]] = []
        self.busy = threading.Event()
        self.release = threading.Event()

    def __call__(self, items: list[int]) -> Sequence[int | Exception]:
        if not self.batches:
            self.busy.set()
            self.release.wait(5)
        self.batches.append(items)
        return self.answer(items)


def doubled(items: list[int]) -> list[int | Exception]:
    return [item * 2 for item in items]


def started(handler: Held, largest: int = 200) -> Batcher[int, int]:
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher", largest=largest)
    batcher.submit(0)
    assert handler.busy.wait(5)
    return batcher


def test_a_batch_never_holds_more_than_the_largest_number_of_items():
    handler = Held(doubled)
    batcher = started(handler, largest=2)
    futures = batcher.submit_all([1, 2, 3, 4, 5])
    handler.release.set()
    assert [future.result(5) for future in futures] == [2, 4, 6, 8, 10]
    assert handler.batches == [[0], [1, 2], [3, 4], [5]]
    batcher.stop()


def test_when_the_handler_fails_every_caller_of_that_batch_gets_the_error():
    def fail_on_three(items: list[int]) -> list[int | Exception]:
        if 3 in items:
            raise RuntimeError("database down")
        return doubled(items)

    handler = Held(fail_on_three)
    batcher = started(handler)
    together = batcher.submit_all([2, 3])
    handler.release.set()
    for future in together:
        with pytest.raises(RuntimeError, match="database down"):
            future.result(5)
    assert batcher.ask(4) == 8  # the next batch is unaffected
    batcher.stop()


def test_a_handler_that_answers_the_wrong_number_of_items_fails_the_batch():
    handler = Held(lambda items: [1])
    handler.release.set()
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher")
    futures = batcher.submit_all([1, 2])
    for future in futures:
        with pytest.raises(RuntimeError, match="1 answers to 2 items"):
            future.result(5)
    batcher.stop()


def test_ask_waits_for_the_answer_and_raises_an_exception_answer():
    handler = Held(lambda items: [ValueError("no") if item < 0 else item for item in items])
    handler.release.set()
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher")
    assert batcher.ask(7) == 7
    with pytest.raises(ValueError, match="no"):
        batcher.ask(-1)
    batcher.stop()


def test_a_submit_after_stop_starts_the_worker_again():
    handler = Held(doubled)
    handler.release.set()
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher")
    assert batcher.ask(1) == 2
    batcher.stop()
    assert batcher.ask(2) == 4
    batcher.stop()
