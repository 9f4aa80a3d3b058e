"""HTTP plumbing the platform clients share: network errors, error bodies, Retry-After.

Clients use raw httpx against each platform's documented HTTP API. Error messages name the host
and what the platform said, never a token (tokens travel in headers, never in the text we raise).
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from bot.platforms import PlatformError

TRANSIENT_STATUSES = {408, 425, 429}


def send(
    http: httpx.Client,
    method: str,
    url: str,
    describe: Callable[[httpx.Response], Exception],
    **kwargs: Any,
) -> httpx.Response:
    """Make one request; a non-2xx answer raises what ``describe`` makes of it (a PlatformError, mostly)."""
    host = urlsplit(url).netloc
    try:
        response = http.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise PlatformError(f"{host} did not answer in time", permanent=False) from None
    except httpx.HTTPError as exc:
        raise PlatformError(f"cannot reach {host}: {type(exc).__name__}", permanent=False) from None
    if response.is_success:
        return response
    raise describe(response)


def is_transient(status: int) -> bool:
    return status >= 500 or status in TRANSIENT_STATUSES


def json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def object_at(data: Any, key: str) -> dict[str, Any]:
    """``data[key]`` when both are JSON objects, else an empty object."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def short_text(response: httpx.Response, limit: int = 200) -> str:
    return " ".join(response.text.split())[:limit]


def retry_after(response: httpx.Response, *reset_headers: str) -> float | None:
    """Seconds to wait: ``Retry-After`` (seconds or an HTTP date), else the first of ``reset_headers``
    that holds a reset time, as epoch seconds or an ISO-8601 timestamp (Mastodon sends the latter,
    some servers the former)."""
    value = response.headers.get("Retry-After")
    if value:
        seconds = _seconds_or_date(value.strip())
        if seconds is not None:
            return seconds
    for header in reset_headers:
        value = response.headers.get(header)
        if value:
            at = reset_instant(value.strip())
            if at is not None:
                return max(0.0, at - time.time())
    return None


def reset_instant(value: str) -> float | None:
    """An epoch-seconds or ISO-8601 reset time, as epoch seconds."""
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _seconds_or_date(value: str) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
