"""Slack's request signature (v0, HMAC-SHA256 of ``v0:<timestamp>:<body>``), checked on the raw
bytes before Bolt reads the request. Bolt's own check logs a refused request with its whole body;
this one says why in a few words of its own, never with what the sender chose."""

from __future__ import annotations

import hashlib
import hmac
import time

MAX_AGE_SECONDS = 60 * 5
_MAX_TIMESTAMP_DIGITS = 12


def refusal(secret: str, body: bytes, timestamp: str | None, signature: str | None,
            now: float | None = None) -> str | None:
    """Why the request is not Slack's, or None when it is."""
    if not timestamp or not signature:
        return "missing X-Slack-Signature or X-Slack-Request-Timestamp"
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > _MAX_TIMESTAMP_DIGITS:
        return "X-Slack-Request-Timestamp is not a Unix time"
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE_SECONDS:
        return "X-Slack-Request-Timestamp is more than five minutes away"
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return "wrong X-Slack-Signature"
    return None
