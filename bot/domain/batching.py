"""One thread that handles together what concurrent callers hand in while it is busy."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Generic, TypeVar

_Item = TypeVar("_Item")
_Answer = TypeVar("_Answer")


@dataclass(frozen=True)
class Gathering:
    """Under load, the worker lets a batch fill before it takes it: it waits ``pause`` seconds at a
    time for as long as each wait brings more items, ``longest`` in all at most. Each item then waits
    up to ``longest`` more for its answer, and the fixed cost of a batch is shared by more of them.
    Under load means the previous batch held more than one item: a lone item on an idle server is
    taken at once, or after one ``pause`` when the batch before it held more."""

    pause: float
    longest: float


class Batcher(Generic[_Item, _Answer]):
    """Callers submit items and get a future; a worker thread takes everything submitted while it
    was handling the previous batch and hands it to ``handle`` in one call, which returns one answer
    per item, in order. A busy server thus pays the fixed cost of a batch (a round trip, a
    transaction) once for many callers, and an idle one answers a lone item at once. If ``handle``
    raises, every caller of that batch gets the error; an answer that is an exception is raised to
    its caller alone.

    ``handle`` runs for one batch at a time: on the worker thread, or, for ``ask`` when no batch is
    under way or waiting, on the asking thread itself (without the hand-off to the worker and back).
    What is submitted meanwhile waits for the worker's next batch. With ``gathering``, the worker
    under load lets the batch fill first (see ``Gathering``)."""

    def __init__(self, handle: Callable[[list[_Item]], Sequence[_Answer | Exception]], name: str,
                 largest: int = 200, gathering: Gathering | None = None) -> None:
        self._handle = handle
        self._name = name
        self._largest = largest
        self._gathering = gathering
        self._under_load = False
        """The worker's previous batch held more than one item."""
        self._waiting: list[tuple[_Item, Future[_Answer]]] = []
        self._wake = threading.Condition()
        self._worker: threading.Thread | None = None
        self._stopping = threading.Event()
        """Set by ``stop`` (changed holding ``_wake``); an Event, so that a worker letting a batch fill
        takes it at once on ``stop`` while submitting does not wake it."""
        self._busy = False
        """A batch is being handled (by the worker or by an asking thread)."""

    def submit(self, item: _Item) -> Future[_Answer]:
        return self.submit_all([item])[0]

    def submit_all(self, items: Sequence[_Item]) -> list[Future[_Answer]]:
        """Submit items that belong together: they are handled in one batch (up to ``largest``)."""
        futures: list[Future[_Answer]] = [Future() for _item in items]
        with self._wake:
            self._waiting.extend(zip(items, futures, strict=True))
            self._start_worker()
            self._wake.notify_all()
        return futures

    def ask(self, item: _Item) -> _Answer:
        """The item's answer (an error of ``handle`` is raised here): handled on this thread when no
        batch is under way or waiting, else in the worker's next batch."""
        with self._wake:
            alone = not self._busy and not self._waiting
            self._busy = self._busy or alone
        if not alone:
            return self.submit(item).result()
        try:
            answers = list(self._handle([item]))
        finally:
            with self._wake:
                self._busy = False
                self._wake.notify_all()  # the worker, for what was submitted meanwhile; stop()
        if len(answers) != 1:
            raise RuntimeError(f"{self._name}: {len(answers)} answers to 1 item")
        if isinstance(answers[0], Exception):
            raise answers[0]
        return answers[0]

    def stop(self) -> None:
        """End the worker thread once what was submitted is answered (a later submit starts it again)."""
        with self._wake:
            self._stopping.set()
            self._wake.notify_all()
            worker = self._worker
        if worker is not None:
            worker.join(timeout=5)
        with self._wake:
            self._wake.wait_for(lambda: not self._busy, timeout=5)

    def _start_worker(self) -> None:  # called holding self._wake
        self._stopping.clear()
        if self._worker is None:
            self._worker = threading.Thread(target=self._work_forever, name=self._name, daemon=True)
            self._worker.start()

    def _work_forever(self) -> None:
        while True:
            with self._wake:
                while self._busy or (not self._waiting and not self._stopping.is_set()):
                    self._wake.wait()
                if not self._waiting:
                    self._worker = None
                    self._under_load = False
                    return
            if self._under_load and self._gathering is not None:
                self._let_fill(self._gathering)
            with self._wake:
                # Only this thread takes items out, so they still wait here, and no ask() has made _busy true.
                batch, self._waiting = self._waiting[:self._largest], self._waiting[self._largest:]
                self._busy = True
                self._under_load = len(batch) > 1
            try:
                # A caller that gave up (its request was cancelled) is left out; the others can no
                # longer cancel, so each of them gets its answer.
                batch = [(item, future) for item, future in batch if future.set_running_or_notify_cancel()]
                if batch:
                    self._answer(batch)
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()

    def _let_fill(self, gathering: Gathering) -> None:
        """Wait while each pause brings more items (see ``Gathering``); the lock is not held, so submitting goes on."""
        deadline = time.monotonic() + gathering.longest
        waiting = len(self._waiting)
        while waiting < self._largest:
            pause = min(gathering.pause, deadline - time.monotonic())
            if pause <= 0 or self._stopping.wait(pause) or len(self._waiting) == waiting:
                return
            waiting = len(self._waiting)

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
