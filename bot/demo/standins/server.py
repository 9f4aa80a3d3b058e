"""Run an ASGI app under uvicorn on a free loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from bot.http_protocol import UVICORN_OPTIONS


class ServerThread:
    def __init__(self, app: Any, host: str = "127.0.0.1") -> None:
        # IPPROTO_TCP spelled out: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say so,
        # as the ones uvicorn.run binds itself do; otherwise small answers wait ~40 ms for delayed ACKs.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.url = f"http://{host}:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False, **UVICORN_OPTIONS)
        self._server = uvicorn.Server(config)
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
