"""Webhook messages stored together while the server is busy, each request still answered only
once its message is committed."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future

from bot.domain.batching import Batcher, Gathering
from bot.domain.desk import Desk
from bot.domain.outcomes import IngestResult
from bot.inbound import InboundMessage


GATHERING = Gathering(pause=0.001, longest=0.005)
"""Under load, a batch fills for up to 5 ms while messages keep coming (each 1 ms wait brings more). The
request thread and the writer share one interpreter lock, so without it a batch holds only what the
requests could hand in while the previous one was stored (8 to 12 messages with 20 clients), and its
fixed cost is shared by few: see bench/notes/ingest.md."""


class Intake:
    """Messages handed in by concurrent requests are stored in one transaction
    (``Desk.ingest_many``). When a batch fails, each of its messages is stored on its own, so that
    a bad message fails only its own request."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._batcher: Batcher[InboundMessage, IngestResult] = Batcher(self._store, "socialdesk-intake",
                                                                       gathering=GATHERING)

    def submit(self, inbound: InboundMessage) -> Future[IngestResult]:
        return self._batcher.submit(inbound)

    def submit_all(self, inbounds: Sequence[InboundMessage]) -> list[Future[IngestResult]]:
        """The messages of one delivery, stored in one transaction when they can be."""
        return self._batcher.submit_all(inbounds)

    def stop(self) -> None:
        self._batcher.stop()

    def _store(self, inbounds: list[InboundMessage]) -> list[IngestResult | Exception]:
        try:
            return list(self.desk.ingest_many(inbounds))
        except Exception as error:
            if len(inbounds) == 1:
                return [error]
        return [self._store_alone(inbound) for inbound in inbounds]

    def _store_alone(self, inbound: InboundMessage) -> IngestResult | Exception:
        try:
            return self.desk.ingest(inbound)
        except Exception as error:
            return error
