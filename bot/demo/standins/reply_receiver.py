"""Stands in for a tool that receives replies from a generic webhook source."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.demo.standins.common import LocalServer, QuietHandler, wait_for


@dataclass
class Delivery:
    body: dict[str, Any]
    raw: bytes
    headers: dict[str, str]
    signature_ok: bool
    status: int


class ReplyReceiver(LocalServer):
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.requests: list[Delivery] = []
        self._failures: list[tuple[int, str | None]] = []
        self._delay = 0.0
        self._lock = threading.Lock()
        super().__init__(_handler_for(self))
        self.url += "/replies"

    @property
    def deliveries(self) -> list[Delivery]:
        """Requests that were accepted: signed right and answered 2xx."""
        with self._lock:
            return [request for request in self.requests if request.signature_ok and request.status < 300]

    def fail_next(self, status: int, count: int = 1, body: str | None = None) -> None:
        with self._lock:
            self._failures += [(status, body)] * count

    def set_delay(self, seconds: float) -> None:
        self._delay = seconds

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        return wait_for(predicate, timeout)

    def answer(self, raw: bytes, headers: dict[str, str]) -> tuple[int, str]:
        if self._delay:
            time.sleep(self._delay)
        expected = "sha256=" + hmac.new(self.secret.encode(), raw, hashlib.sha256).hexdigest()
        signature_ok = hmac.compare_digest(expected, headers.get("x-socialdesk-signature", ""))
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        with self._lock:
            if not signature_ok:
                status, text = 401, json.dumps({"error": "bad signature"})
            elif self._failures:
                status, custom = self._failures.pop(0)
                text = custom if custom is not None else json.dumps({"error": f"failure {status}"})
            else:
                status, text = 200, json.dumps({"ok": True, "id": f"r-{len(self.requests) + 1}"})
            self.requests.append(Delivery(body, raw, headers, signature_ok, status))
        return status, text


def _handler_for(receiver: ReplyReceiver) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            raw = self.read_body()
            headers = {key.lower(): value for key, value in self.headers.items()}
            status, text = receiver.answer(raw, headers)
            self.write(status, text.encode(), "application/json")

    return Handler
