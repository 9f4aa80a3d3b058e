"""A Mastodon status's ``media_attachments`` (``type`` image, gifv, video, audio or unknown; ``url``,
``remote_url`` when the instance has not fetched it, ``description`` the author's alt text)."""

from __future__ import annotations

from typing import Any

from bot.inbound import Attachment

_KINDS = {"image": "image", "gifv": "video", "video": "video"}


def media_attachments(status: dict[str, Any]) -> tuple[Attachment, ...]:
    found = []
    for media in status.get("media_attachments") or []:
        if not isinstance(media, dict):
            continue
        url = media.get("url") or media.get("remote_url")
        if not isinstance(url, str) or not url:
            continue
        description = media.get("description")
        found.append(Attachment(_KINDS.get(str(media.get("type")), "file"), url,
                                alt=description if isinstance(description, str) and description else None))
    return tuple(found)
