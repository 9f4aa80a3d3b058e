"""A lean load generator: N keep-alive HTTP/1.1 connections on asyncio, each sending its next request
as soon as the previous answer is in (closed loop), timing every request.

A hand-rolled client costs the generator far less CPU per request than a full HTTP library, which
matters on a small machine where the generator and the server share the cores.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Request:
    path: str
    body: bytes
    headers: dict[str, str]


@dataclass
class LoadRun:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def failures(self, expected: int) -> int:
        return sum(count for status, count in self.statuses.items() if status != expected)


def run_load(base_url: str, make_request: Callable[[int], Request], total: int, concurrency: int) -> LoadRun:
    """Send ``total`` requests (``make_request(i)`` builds the i-th) over ``concurrency`` connections."""
    return asyncio.run(_run(base_url, make_request, total, concurrency))


async def _run(base_url: str, make_request: Callable[[int], Request], total: int, concurrency: int) -> LoadRun:
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    numbers = itertools.count()
    run = LoadRun()

    async def client() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (index := next(numbers)) < total:
                raw = _encode(make_request(index), host, port)
                started = time.perf_counter()
                writer.write(raw)
                status = await _read_response(reader)
                run.latencies.append(time.perf_counter() - started)
                run.statuses[status] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    run.elapsed = time.perf_counter() - started
    return run


def _encode(request: Request, host: str, port: int) -> bytes:
    headers = {"Host": f"{host}:{port}", "Content-Length": str(len(request.body)), **request.headers}
    head = f"POST {request.path} HTTP/1.1\r\n" + "".join(f"{key}: {value}\r\n" for key, value in headers.items())
    return head.encode("latin-1") + b"\r\n" + request.body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
        elif name.strip().lower() == "transfer-encoding":
            raise RuntimeError("chunked answers are not expected from the bot")
    if length:
        await reader.readexactly(length)
    return status


IDLE_LIMIT = 2.0
"""Seconds a kept-alive connection may stay idle before the open-loop generator stops reusing it."""


@dataclass
class Sent:
    """One request of an open-loop run: when it was due, how long until its answer, and the answer."""

    index: int
    due: float
    """``time.monotonic()`` at which the schedule said to send it."""
    latency: float
    """From ``due`` to the last byte of the answer (so a late send counts against the answer)."""
    status: int


def run_open_loop(base_url: str, make_request: Callable[[int], Request], rate: float, duration: float,
                  first_index: int = 0) -> list[Sent]:
    """Send ``rate`` requests a second for ``duration`` seconds on a fixed schedule, whatever the answers.

    Each request goes out at its time on an idle keep-alive connection, or on a new one if every
    connection is waiting for an answer; a slow answer never delays the next request (no
    coordinated omission), and its latency is counted from the time it was due.
    """
    return asyncio.run(_open_loop(base_url, make_request, rate, duration, first_index))


async def _open_loop(base_url: str, make_request: Callable[[int], Request], rate: float, duration: float,
                     first_index: int) -> list[Sent]:
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
    sent: list[Sent] = []

    async def connection() -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
        while idle:
            reader, writer, since = idle.pop()
            if time.monotonic() - since < IDLE_LIMIT:
                return reader, writer, True
            writer.close()  # the server may close it any moment now (uvicorn: after 5 s)
        return (*await asyncio.open_connection(host, port), False)

    async def send(index: int, due: float) -> None:
        raw = _encode(make_request(index), host, port)
        reader, writer, reused = await connection()
        writer.write(raw)
        try:
            status = await _read_response(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            if not reused:
                raise
            writer.close()  # closed by the server while idle, before it read the request: send it anew
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(raw)
            status = await _read_response(reader)
        sent.append(Sent(index, due, time.monotonic() - due, status))
        idle.append((reader, writer, time.monotonic()))

    start = time.monotonic() + 0.05
    tasks = []
    for number in range(round(rate * duration)):
        due = start + number / rate
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        tasks.append(asyncio.create_task(send(first_index + number, due)))
    await asyncio.gather(*tasks)
    for _reader, writer, _since in idle:
        writer.close()
    return sent
