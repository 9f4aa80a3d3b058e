"""A local stand-in for Slack's Socket Mode, for the tests.

A WebSocket server on 127.0.0.1 (RFC 6455, the parts Slack's links use: text frames, ping/pong,
close) that behaves like Slack's end of a link: the Slack Web API stand-in answers
``apps.connections.open`` with a one-use ``ws://`` URL of this server; on connect it sends
``hello``; then it sends envelopes (``events_api``, ``interactive``, ``slash_commands``), reads
the acks (``{envelope_id, payload?}``) and records each with the time it took. It can redeliver
an envelope as Slack does after a missing ack (a new ``envelope_id``, ``retry_attempt`` and
``retry_reason``) and ask for a reconnection with ``disconnect`` (``refresh_requested``).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import secrets
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.demo.standins.common import wait_for

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA
ACK_DEADLINE = 3.0
"""Slack shows the user an error (or retries an event) when an envelope is not acked within 3 s."""


@dataclass
class Envelope:
    envelope_id: str
    type: str
    payload: dict[str, Any]
    accepts_response_payload: bool
    retry_attempt: int | None = None
    retry_reason: str | None = None
    sent_at: float = 0.0

    def to_message(self) -> dict[str, Any]:
        message: dict[str, Any] = {"envelope_id": self.envelope_id, "type": self.type, "payload": self.payload,
                                   "accepts_response_payload": self.accepts_response_payload}
        if self.retry_attempt is not None:
            message["retry_attempt"] = self.retry_attempt
            message["retry_reason"] = self.retry_reason
        return message


@dataclass
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None
    seconds: float
    """From the envelope's sending to its ack."""


@dataclass
class _Link:
    sock: socket.socket
    ticket: str
    open: bool = True
    send_lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, opcode: int, data: bytes) -> None:
        header = bytes([0x80 | opcode])
        if len(data) < 126:
            header += bytes([len(data)])
        elif len(data) < 65536:
            header += bytes([126]) + struct.pack("!H", len(data))
        else:
            header += bytes([127]) + struct.pack("!Q", len(data))
        with self.send_lock:
            self.sock.sendall(header + data)  # a server's frames are not masked

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(_TEXT, json.dumps(message).encode())


class SocketModeStandIn:
    def __init__(self, app_id: str = "A0APP0001") -> None:
        self.app_id = app_id
        self.envelopes: list[Envelope] = []
        self.acks: list[Ack] = []
        self.stray_acks: list[dict[str, Any]] = []
        """Acks for no envelope that was sent (a client bug)."""
        self.links_opened = 0
        self._links: list[_Link] = []
        self._tickets: set[str] = set()
        self._lock = threading.RLock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.port = self._server.getsockname()[1]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept_forever, name="socket-mode-stand-in", daemon=True)

    def start(self) -> SocketModeStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(5)
        with self._lock:
            links = list(self._links)
        for link in links:
            self._close(link)
        self._server.close()

    def __enter__(self) -> SocketModeStandIn:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- what apps.connections.open hands out ------------------------------------------------

    def new_url(self) -> str:
        """A one-use link URL, as apps.connections.open answers it."""
        ticket = secrets.token_hex(16)
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    # -- what Slack sends ---------------------------------------------------------------------

    def send(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False,
             retry_attempt: int | None = None, retry_reason: str | None = None) -> Envelope:
        envelope = Envelope(str(uuid.uuid4()), kind, payload, accepts_response_payload, retry_attempt, retry_reason)
        return self._send(envelope)

    def deliver(self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False,
                timeout: float = 10.0) -> Ack:
        """Send an envelope and wait for its ack."""
        envelope = self.send(kind, payload, accepts_response_payload=accepts_response_payload)
        return self.ack_for(envelope, timeout)

    def redeliver(self, envelope: Envelope, *, same_envelope_id: bool = False, reason: str = "timeout") -> Envelope:
        """Send an envelope again as Slack does when it had no ack in time: usually in a new envelope."""
        attempts = [e.retry_attempt or 0 for e in self.envelopes if e.payload is envelope.payload]
        again = Envelope(envelope.envelope_id if same_envelope_id else str(uuid.uuid4()), envelope.type,
                         envelope.payload, envelope.accepts_response_payload, max(attempts) + 1, reason)
        return self._send(again)

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client on the newest link to open a new one; the old link stays open until it closes it."""
        link = self._newest_link()
        link.send_json({"type": "disconnect", "reason": reason,
                        "debug_info": {"host": f"applink-{link.ticket[:8]}"}})

    # -- reading state ------------------------------------------------------------------------

    def ack_for(self, envelope: Envelope, timeout: float = 10.0) -> Ack:
        return wait_for(lambda: self._find_ack(envelope.envelope_id), timeout=timeout)

    def acks_for(self, envelope: Envelope) -> list[Ack]:
        with self._lock:
            return [ack for ack in self.acks if ack.envelope_id == envelope.envelope_id]

    def open_links(self) -> int:
        with self._lock:
            return sum(1 for link in self._links if link.open)

    def wait_connected(self, timeout: float = 10.0) -> None:
        wait_for(self.open_links, timeout=timeout)

    wait_for = staticmethod(wait_for)

    # -- the server ---------------------------------------------------------------------------

    def _send(self, envelope: Envelope) -> Envelope:
        link = self._newest_link()
        envelope.sent_at = time.monotonic()
        with self._lock:
            self.envelopes.append(envelope)
        link.send_json(envelope.to_message())
        return envelope

    def _newest_link(self) -> _Link:
        def open_link() -> _Link | None:
            with self._lock:
                return next((link for link in reversed(self._links) if link.open), None)
        return wait_for(open_link, timeout=10)

    def _find_ack(self, envelope_id: str) -> Ack | None:
        with self._lock:
            return next((ack for ack in self.acks if ack.envelope_id == envelope_id), None)

    def _accept_forever(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _address = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve_link, args=(sock,), daemon=True).start()

    def _serve_link(self, sock: socket.socket) -> None:
        sock.settimeout(None)
        reader = sock.makefile("rb")
        link = self._handshake(sock, reader)
        if link is None:
            sock.close()
            return
        link.send_json({"type": "hello", "num_connections": self.open_links(),
                        "debug_info": {"host": f"applink-{link.ticket[:8]}", "build_number": 1,
                                       "approximate_connection_time": 18060},
                        "connection_info": {"app_id": self.app_id}})
        try:
            while link.open:
                frame = _read_frame(reader)
                if frame is None:
                    break
                opcode, data = frame
                if opcode == _PING:
                    link.send(_PONG, data)
                elif opcode == _CLOSE:
                    link.send(_CLOSE, data[:2])
                    break
                elif opcode == _TEXT:
                    self._receive(json.loads(data))
        except (OSError, ValueError):
            pass
        finally:
            self._close(link)

    def _handshake(self, sock: socket.socket, reader: Any) -> _Link | None:
        request_line = reader.readline().decode("latin-1").strip()
        headers: dict[str, str] = {}
        while True:
            line = reader.readline().decode("latin-1").strip()
            if not line:
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts = request_line.split(" ")
        ticket = (parse_qs(urlparse(parts[1]).query).get("ticket") or [""])[0] if len(parts) == 3 else ""
        with self._lock:
            valid = ticket in self._tickets
            self._tickets.discard(ticket)  # a link URL is good for one connection only
        key = headers.get("sec-websocket-key", "")
        if not valid or headers.get("upgrade", "").lower() != "websocket" or not key:
            sock.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return None
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        sock.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        link = _Link(sock, ticket)
        with self._lock:
            self._links.append(link)
            self.links_opened += 1
        return link

    def _receive(self, message: dict[str, Any]) -> None:
        envelope_id = message.get("envelope_id")
        with self._lock:
            sent = next((e for e in self.envelopes if e.envelope_id == envelope_id), None)
            if sent is None:
                self.stray_acks.append(message)
                return
            self.acks.append(Ack(sent.envelope_id, message.get("payload"), time.monotonic() - sent.sent_at))

    def _close(self, link: _Link) -> None:
        with self._lock:
            if not link.open:
                return
            link.open = False
        with contextlib.suppress(OSError):
            link.sock.shutdown(socket.SHUT_RDWR)
        link.sock.close()


def _read_frame(reader: Any) -> tuple[int, bytes] | None:
    """One frame from the client (a client's frames are always masked); None at the end of the stream."""
    head = reader.read(2)
    if len(head) < 2:
        return None
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if not head[1] & 0x80:
        raise ValueError("a client frame is not masked")
    if length == 126:
        length = struct.unpack("!H", reader.read(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", reader.read(8))[0]
    mask = reader.read(4)
    data = reader.read(length)
    if len(data) < length:
        return None
    return opcode, bytes(byte ^ mask[index % 4] for index, byte in enumerate(data))
