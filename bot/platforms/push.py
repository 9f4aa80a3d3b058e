"""Platforms that push messages to ``/webhooks/<source_id>`` themselves, the way Meta does: the web
route talks to any client that has these, without knowing which platform it is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from bot.platforms import InboundMessage


class InvalidDelivery(Exception):
    """The body is not a delivery of the platform that is said to have sent it."""


@runtime_checkable
class PushSource(Protocol):
    sender: str
    """Who pushes, as the log names it."""
    signature_header: str
    """The request header that carries the body's signature."""
    acknowledgement: str
    """The body of the answer to a delivery that was taken (or that must not be sent again)."""

    def handshake(self, params: Mapping[str, str]) -> str | None:
        """The answer to the platform's check of the endpoint (a GET), or None when it fails."""

    def signature_ok(self, body: bytes, header: str | None) -> bool:
        """Whether the raw body was signed by the platform."""

    def parse_delivery(self, body: bytes) -> list[InboundMessage]:
        """The messages a delivery carries; raises InvalidDelivery when it is not one."""
