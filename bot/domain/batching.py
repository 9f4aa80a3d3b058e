"""One thread that handles together what concurrent callers hand in while it is busy."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

_Item = TypeVar("_Item")
_Answer = TypeVar("_Answer")


class Batcher(Generic[_Item, _Answer]):
    """Callers submit items and get a future; a worker thread takes everything submitted while it
    was handling the previous batch and hands it to ``handle`` in one call, which returns one answer
    per item, in order. A busy server thus pays the fixed cost of a batch (a round trip, a
    transaction) once for many callers, and an idle one answers a lone item at once. If ``handle``
    raises, every caller of that batch gets the error; an answer that is an exception is raised to
    its caller alone."""

    def __init__(self, handle: Callable[[list[_Item]], Sequence[_Answer | Exception]], name: str,
                 largest: int = 200) -> None:
        self._handle = handle
        self._name = name
        self._largest = largest
        self._waiting: list[tuple[_Item, Future[_Answer]]] = []
        self._wake = threading.Condition()
        self._worker: threading.Thread | None = None
        self._stopping = False

    def submit(self, item: _Item) -> Future[_Answer]:
        return self.submit_all([item])[0]

    def submit_all(self, items: Sequence[_Item]) -> list[Future[_Answer]]:
        """Submit items that belong together: they are handled in one batch (up to ``largest``)."""
        futures: list[Future[_Answer]] = [Future() for _item in items]
        with self._wake:
            self._waiting.extend(zip(items, futures, strict=True))
            self._start_worker()
            self._wake.notify()
        return futures

    def ask(self, item: _Item) -> _Answer:
        """Submit and wait for the answer (an error of ``handle`` is raised here)."""
        return self.submit(item).result()

    def stop(self) -> None:
        """End the worker thread once what was submitted is answered (a later submit starts it again)."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
            worker = self._worker
        if worker is not None:
            worker.join(timeout=5)

    def _start_worker(self) -> None:  # called holding self._wake
        self._stopping = False
        if self._worker is None:
            self._worker = threading.Thread(target=self._work_forever, name=self._name, daemon=True)
            self._worker.start()

    def _work_forever(self) -> None:
        while True:
            with self._wake:
                while not self._waiting and not self._stopping:
                    self._wake.wait()
                if not self._waiting:
                    self._worker = None
                    return
                batch, self._waiting = self._waiting[:self._largest], self._waiting[self._largest:]
            # A caller that gave up (its request was cancelled) is left out; the others can no
            # longer cancel, so each of them gets its answer.
            batch = [(item, future) for item, future in batch if future.set_running_or_notify_cancel()]
            if batch:
                self._answer(batch)

    def _answer(self, batch: list[tuple[_Item, Future[_Answer]]]) -> None:
        try:
            answers = list(self._handle([item for item, _future in batch]))
            if len(answers) != len(batch):
                raise RuntimeError(f"{self._name}: {len(answers)} answers to {len(batch)} items")
        except Exception as error:  # every caller gets the error, as if it had asked alone
            for _item, future in batch:
                future.set_exception(error)
            return
        for (_item, future), answer in zip(batch, answers, strict=True):
            if isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer)
