"""What every platform stand-in shares: request recording, scripted failures, JSON answers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bot.demo.standins.common import LocalServer, QuietHandler, wait_for

Answer = tuple[int, Any, dict[str, str]]


@dataclass
class Recorded:
    """One request as the stand-in received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    raw: bytes
    status: int = 0

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def json(self) -> Any:
        return json.loads(self.raw) if self.raw else None

    @property
    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.raw.decode()).items()}

    @property
    def body(self) -> dict[str, Any]:
        """The body as JSON or form fields, whichever the client sent."""
        if self.headers.get("content-type", "").startswith("application/json"):
            return self.json or {}
        return self.form


@dataclass
class _Fault:
    status: int
    body: Any
    headers: dict[str, str]
    path: str | None


class PlatformStandIn(LocalServer):
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._faults: list[_Fault] = []
        self._losses: list[str | None] = []
        self.delay = 0.0
        """Seconds every answer takes (a slow platform)."""
        self._lock = threading.RLock()
        super().__init__(_handler_for(self))

    # -- test controls ---------------------------------------------------------------------

    def fail_next(self, status: int, body: Any = None, *, headers: dict[str, str] | None = None,
                  path: str | None = None, count: int = 1) -> None:
        """Answer the next ``count`` requests (to paths starting with ``path``) with this failure."""
        with self._lock:
            self._faults += [_Fault(status, body, headers or {}, path)] * count

    def lose_next_answer(self, path: str | None = None, count: int = 1) -> None:
        """Act on the next ``count`` requests (to paths starting with ``path``) as usual, then drop the
        connection without answering: the caller cannot know the platform acted (a timeout after the send)."""
        with self._lock:
            self._losses += [path] * count

    def requests_to(self, method: str, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path.startswith(path) and r.status < 400]

    def attempts_to(self, method: str, path: str) -> list[Recorded]:
        """Like requests_to, including the ones that were refused."""
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path.startswith(path)]

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        return wait_for(predicate, timeout)

    # -- answering -------------------------------------------------------------------------

    def route(self, request: Recorded) -> Answer:
        raise NotImplementedError

    def scripted_fault(self, request: Recorded) -> Answer | None:
        for index, fault in enumerate(self._faults):
            if fault.path is None or request.path.startswith(fault.path):
                del self._faults[index]
                return fault.status, fault.body if fault.body is not None else {"error": f"failure {fault.status}"}, \
                    fault.headers
        return None

    def answer(self, request: Recorded) -> Answer | None:
        """What to answer; None: nothing, the connection is dropped after acting."""
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            answer = self.scripted_fault(request) or self.route(request)
            request.status = answer[0]
            self.requests.append(request)
            for index, path in enumerate(self._losses):
                if path is None or request.path.startswith(path):
                    del self._losses[index]
                    return None
            return answer


def _handler_for(stand_in: PlatformStandIn) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            request = Recorded(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers={key.lower(): value for key, value in self.headers.items()},
                raw=self.read_body(),
            )
            answer = stand_in.answer(request)
            if answer is None:
                self.close_connection = True
                return
            status, body, headers = answer
            if isinstance(body, str):
                self.write(status, body.encode(), "text/plain; charset=utf-8", headers)
            else:
                self.write(status, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8",
                           headers)

        do_GET = do_POST = do_DELETE = _serve

    return Handler
