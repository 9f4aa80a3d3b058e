"""The batching behind the webhook intake and the replay ledger."""

from __future__ import annotations

import threading
import time

import pytest

from bot.domain.batching import Batcher, Gathering


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


def test_an_ask_while_nothing_is_under_way_is_handled_on_the_asking_thread():
    threads: list[str] = []

    def handle(items: list[int]) -> list[int]:
        threads.append(threading.current_thread().name)
        return [item * 10 for item in items]

    batcher: Batcher[int, int] = Batcher(handle, "test-batcher")
    assert batcher.ask(1) == 10 and batcher.ask(2) == 20
    assert threads == [threading.current_thread().name] * 2
    batcher.stop()


def test_an_ask_while_a_batch_is_handled_waits_for_the_next_batch_with_what_arrived_meanwhile():
    handler = Recorder()
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher")
    asked: list[int] = []
    asking = threading.Thread(target=lambda: asked.append(batcher.ask(1)))
    asking.start()
    assert handler.busy.wait(5)  # the first ask is handled on its own thread, and holds the handler
    later = [batcher.submit(2)]
    behind = threading.Thread(target=lambda: asked.append(batcher.ask(3)))
    behind.start()
    deadline = time.monotonic() + 5
    while len(batcher._waiting) < 2 and time.monotonic() < deadline:  # the ask waits behind the submit
        time.sleep(0.001)
    handler.release.set()
    asking.join(5)
    behind.join(5)

    assert later[0].result(5) == 20 and sorted(asked) == [10, 30]
    assert handler.batches == [[1], [2, 3]]
    batcher.stop()


def test_an_ask_gets_the_error_of_its_own_handling():
    def handle(items: list[int]) -> list[int | Exception]:
        if items == [0]:
            raise RuntimeError("database away")
        return [ValueError("refused") if item < 0 else item for item in items]

    batcher: Batcher[int, int] = Batcher(handle, "test-batcher")
    with pytest.raises(RuntimeError, match="database away"):
        batcher.ask(0)
    with pytest.raises(ValueError, match="refused"):
        batcher.ask(-1)
    assert batcher.ask(4) == 4  # nothing stuck behind the failures
    batcher.stop()


def loaded(handler: Recorder, gathering: Gathering) -> Batcher[int, int]:
    """A batcher whose previous batch held two items: it is under load."""
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher", gathering=gathering)
    first = batcher.submit(1)
    assert handler.busy.wait(5)
    pair = [batcher.submit(2), batcher.submit(3)]
    handler.release.set()
    assert first.result(5) == 10 and [future.result(5) for future in pair] == [20, 30]
    return batcher


def test_under_load_a_batch_fills_while_items_keep_coming():
    handler = Recorder()
    batcher = loaded(handler, Gathering(pause=0.5, longest=10.0))
    trickled = []
    for item in (4, 5, 6):
        trickled.append(batcher.submit(item))
        time.sleep(0.05)  # well within a pause: the worker waits for the next one

    assert [future.result(5) for future in trickled] == [40, 50, 60]
    assert handler.batches == [[1], [2, 3], [4, 5, 6]]
    batcher.stop()


def test_a_batch_fills_for_no_longer_than_its_longest_wait():
    handler = Recorder()
    batcher = loaded(handler, Gathering(pause=0.2, longest=0.3))
    started = time.monotonic()
    futures = [batcher.submit(4)]
    while not futures[0].done() and time.monotonic() - started < 5:
        futures.append(batcher.submit(5))  # items keep coming faster than the pause
        time.sleep(0.02)

    assert futures[0].done() and time.monotonic() - started < 2
    assert len(handler.batches[2]) > 1
    batcher.stop()


def test_an_idle_batcher_answers_a_lone_item_without_waiting_to_gather():
    handler = Recorder()
    handler.release.set()
    slow = Gathering(pause=30.0, longest=30.0)
    batcher: Batcher[int, int] = Batcher(handler, "test-batcher", gathering=slow)
    started = time.monotonic()

    assert batcher.submit(1).result(5) == 10
    assert batcher.submit(2).result(5) == 20
    assert time.monotonic() - started < 5
    assert handler.batches == [[1], [2]]
    batcher.stop()


def test_a_lone_item_after_a_burst_waits_one_pause():
    handler = Recorder()
    batcher = loaded(handler, Gathering(pause=0.2, longest=30.0))
    started = time.monotonic()

    assert batcher.submit(4).result(5) == 40
    assert time.monotonic() - started < 5
    assert handler.batches[-1] == [4]
    batcher.stop()


def test_a_batcher_started_again_after_stop_is_idle():
    handler = Recorder()
    batcher = loaded(handler, Gathering(pause=30.0, longest=30.0))
    batcher.stop()

    assert batcher.submit(4).result(5) == 40  # not held for a pause of 30 s
    batcher.stop()


def test_stop_ends_a_batch_that_is_filling_without_losing_it():
    handler = Recorder()
    batcher = loaded(handler, Gathering(pause=30.0, longest=30.0))
    waiting = batcher.submit(4)
    time.sleep(0.05)  # the worker is most likely waiting for more by now
    started = time.monotonic()
    batcher.stop()

    assert waiting.result(5) == 40
    assert time.monotonic() - started < 5
