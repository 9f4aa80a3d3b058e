"""Stands in for a tool that receives replies from a generic webhook source."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Delivery:
    body: dict[str, Any]
    raw: bytes
    headers: dict[str, str]
    signature_ok: bool
    status: int


class ReplyReceiver:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.requests: list[Delivery] = []
        self._failures: list[tuple[int, str | None]] = []
        self._delay = 0.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/replies"

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
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for a reply delivery")
            time.sleep(0.02)

    def __enter__(self) -> ReplyReceiver:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

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


def _handler_for(receiver: ReplyReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {key.lower(): value for key, value in self.headers.items()}
            status, text = receiver.answer(raw, headers)
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler
