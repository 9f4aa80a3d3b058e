"""Run an ASGI app under uvicorn on a free loopback port, in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import uvicorn

from bot.http_protocol import UVICORN_OPTIONS


class _Server(uvicorn.Server):
    """uvicorn's server, noticing ``should_exit`` every ``tick`` seconds instead of every 0.1 s."""

    def __init__(self, config: uvicorn.Config, tick: float) -> None:
        super().__init__(config)
        self._tick = tick

    async def main_loop(self) -> None:
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            await asyncio.sleep(self._tick)
            should_exit = await self.on_tick(counter)


class ServerThread:
    """``tick``: how often the server looks whether it was asked to stop; the tests, which start and
    stop a bot hundreds of times, ask for less than uvicorn's 0.1 s."""

    def __init__(self, app: Any, host: str = "127.0.0.1", tick: float = 0.1) -> None:
        # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say so,
        # as the ones uvicorn.run binds itself do; otherwise small answers wait ~40 ms for delayed ACKs.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.url = f"http://{host}:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False, **UVICORN_OPTIONS)
        self._server = _Server(config, tick)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)

    def __enter__(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the bot's HTTP server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()
