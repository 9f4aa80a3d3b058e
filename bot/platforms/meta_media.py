"""What comes with a Meta message besides its text: attachments (Messenger and Instagram DMs carry
``message.attachments[{type, payload: {url, title}}]``; a Page feed comment carries ``photo`` or
``video`` URLs), and which change a delivery reports (a feed comment's ``verb: edited|remove``, a
Messenger ``message_edit``, an Instagram DM unsent with ``is_deleted``)."""

from __future__ import annotations

from typing import Any

from bot.inbound import DELETED, EDITED, Attachment

_KINDS = {"image": "image", "sticker": "image", "animated_image_share": "image", "video": "video",
          "ig_reel": "video", "reel": "video"}


def messaging_attachments(items: Any) -> tuple[Attachment, ...]:
    found = []
    for item in items if isinstance(items, list) else []:
        payload = item.get("payload") if isinstance(item, dict) else None
        url = payload.get("url") if isinstance(payload, dict) else None
        if not isinstance(url, str) or not url:
            continue
        title = payload.get("title") if isinstance(payload, dict) else None
        found.append(Attachment(_KINDS.get(str(item.get("type")), "file"), url,
                                name=title if isinstance(title, str) and title else None))
    return tuple(found)


def feed_attachments(value: dict[str, Any]) -> tuple[Attachment, ...]:
    found = []
    for field, kind in (("photo", "image"), ("video", "video")):
        url = value.get(field)
        if isinstance(url, str) and url:
            found.append(Attachment(kind, url))
    return tuple(found)


def feed_change(verb: Any) -> str | None:
    """The change a feed comment's verb reports: None for a new comment (``add``)."""
    return {"edited": EDITED, "remove": DELETED}.get(str(verb))
