"""What came with a customer message: images as image blocks, videos and files as links, and an
address that is not http(s) as plain text, never a link."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from bot import slack_limits as limits
from bot.slack_ui.kit import Blocks
from bot.slack_ui.text import escaped, lines_within, safe_url

MAX_IMAGES = 10
"""Image blocks under one message: with the message's own few blocks, well inside Slack's 50."""
ALT_TEXT_BUDGET = 6000
"""The alt texts of one message's images together; each also within Slack's 2000."""
LINKS_LIMIT = 2900
SHOWN_NAME = 200
SHOWN_URL = 300
_LABELS = {"image": "Image", "video": "Video", "file": "File", "link": "Link"}

Attachment = Mapping[str, str | None]


def attachment_blocks(attachments: Sequence[Attachment] | None) -> Blocks:
    """Image blocks for the images (up to MAX_IMAGES), then one section listing the rest."""
    attachments = attachments or []
    images = [item for item in attachments if item.get("type") == "image" and image_url(item.get("url"))]
    shown, rest = images[:MAX_IMAGES], [item for item in attachments if item not in images[:MAX_IMAGES]]
    alt_limit = min(limits.IMAGE_ALT_TEXT, ALT_TEXT_BUDGET // max(1, len(shown)))
    blocks: Blocks = [{"type": "image", "image_url": image_url(item.get("url")),
                       "alt_text": alt_text(item, alt_limit)} for item in shown]
    if rest:
        heading = "*Attached:*" if not shown else "*Also attached:*"
        text = lines_within(heading, [attachment_line(item) for item in rest], LINKS_LIMIT)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    return blocks


def image_url(url: str | None) -> str | None:
    """The address Slack fetches the image from: http(s) and at most 3000 characters, or None."""
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return None
    encoded = quote(url, safe=":/?#[]@!$&'()*+,;=%-._~")
    return encoded if limits.text_units(encoded) <= limits.IMAGE_URL else None


def alt_text(item: Attachment, limit: int) -> str:
    described = (item.get("alt") or item.get("name") or "").strip()
    return escaped(described, limit) if described else "Image sent by the customer"


def attachment_line(item: Attachment) -> str:
    """One attachment as a link, named by its file name; an unsafe address is shown, not linked."""
    label = _LABELS.get(str(item.get("type")), "File")
    name = (item.get("name") or item.get("alt") or "").strip()
    url = item.get("url") or ""
    named = f"{label}: {escaped(name, SHOWN_NAME)}" if name else label
    target = safe_url(url)
    if target:
        return f"• <{target}|{named}>"
    return f"• {named} (not a web link: `{escaped(url, SHOWN_URL)}`)"
