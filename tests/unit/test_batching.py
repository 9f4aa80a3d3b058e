"""The batching behind the webhook intake and the replay ledger."""

from __future__ import annotations

import threading

import pytest

from bot.domain.batching import Batcher


class Recorder:
    """A handler that records its batches; the first one waits until released, so that what is
    submitted meanwhile piles up behind it."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.busy = threading.Event()
        self.release = threading.Event()

    def __call__(self, items: list[int]) -> list[int | Exception]:
        if not self.batches:
            self.busy.set()
            self.release.wait(5)
        self.batches.append(items)
        return [ValueError(f"no {item}") if item < 0 else item * 10 for item in items]


def test_what_arrives_while_a_batch_is_handled_is_handled_together_in_order():
    handler = Recorder()
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher")
    first = batcher.submit(1)
    assert handler.busy.wait(5)
    later = [batcher.submit(item) for item in (2, 3, 4)]
    handler.release.set()

    assert first.result(5) == 10 and [future.result(5) for future in later] == [20, 30, 40]
    assert handler.batches == [[1], [2, 3, 4]]
    batcher.stop()


def test_an_exception_answer_goes_to_its_caller_alone():
    handler = Recorder()
    handler.release.set()
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher")
    good, bad = batcher.submit_all([5, -1])

    assert good.result(5) == 50
    with pytest.raises(ValueError, match="no -1"):
        bad.result(5)
    batcher.stop()


def test_a_caller_that_gave_up_before_its_batch_began_is_left_out():
    handler = Recorder()
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher")
    batcher.submit(1)
    assert handler.busy.wait(5)
    kept, dropped = batcher.submit(2), batcher.submit(3)
    assert dropped.cancel()
    handler.release.set()

    assert kept.result(5) == 20 and dropped.cancelled()
    assert handler.batches == [[1], [2]]
    batcher.stop()
