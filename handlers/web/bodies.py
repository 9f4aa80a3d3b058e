"""Reading a request body safely: a size cap, a time limit, and no escaped half surrogate pairs."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import unquote_plus

from starlette.requests import Request

# An escaped high surrogate not followed by a low one, or a low one without a high one before it;
# the backslash as such (JSON bodies) or form-encoded (%5C, in the payload of interactive requests).
_HIGH = r"u[dD][89abAB][0-9a-fA-F]{2}"
_LOW = r"u[dD][c-fC-F][0-9a-fA-F]{2}"
_BACKSLASH = r"(?:\\|%5[cC])"
_LONE_SURROGATE_ESCAPE = re.compile(
    rf"{_BACKSLASH}{_HIGH}(?!{_BACKSLASH}{_LOW})"
    rf"|(?<!\\{_HIGH})(?<!%5[cC]{_HIGH}){_BACKSLASH}{_LOW}"
)
# Slack encodes only what form encoding must; a letter or digit sent as %XX could hide an escape.
_ENCODED_ALPHANUMERIC = re.compile(r"%(?:3[0-9]|[46][1-9a-fA-F]|[57][0-9aA])")


BODY_READ_TIMEOUT = 10.0
"""Seconds a client has to send the whole body once its headers are in (Slack and Meta send at once)."""


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


async def read_limited(request: Request, limit: int, timeout: float = BODY_READ_TIMEOUT) -> bytes:
    """The raw body, refusing to read past ``limit`` bytes whatever Content-Length claims, or to wait
    longer than ``timeout`` seconds for it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0

    async def read() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)

    try:
        await asyncio.wait_for(read(), timeout)
    except TimeoutError:
        raise BodyTooSlow from None
    return b"".join(chunks)


def escapes_lone_surrogate(text: str) -> bool:
    """Whether the body (JSON or form-encoded) escapes half of a UTF-16 surrogate pair, which no
    UTF-8 text can hold; read without decoding the body unless it percent-encodes a letter or digit."""
    if _ENCODED_ALPHANUMERIC.search(text):
        text = unquote_plus(text)
    return _LONE_SURROGATE_ESCAPE.search(text) is not None
