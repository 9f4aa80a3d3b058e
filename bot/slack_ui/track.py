"""The message shortcut "Track in social inbox": its modal, and what it shows once tracked."""

from __future__ import annotations

import json
from typing import Any

from bot.slack_ui.conversation_lines import KIND_LABELS
from bot.slack_ui.kit import Blocks, input_value, modal
from bot.slack_ui.text import NOTE_QUOTE_LIMIT, clip, link, quoted

TRACK_SHORTCUT = "track_message"
"""The message shortcut's callback_id, as declared in the app manifest."""
TRACK_MODAL = "track_modal"
BRAND_BLOCK = "brand"
"""The brand picker; a refusal is shown under it."""
URL_BLOCK = "url"
METADATA_LIMIT = 3000


def track_modal(brands: dict[str, str], brand_id: str, text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """Turn a Slack message into a conversation: which brand, what kind, who wrote it."""
    brand_options = [{"text": {"type": "plain_text", "text": clip(name, 75)[0]}, "value": key}
                     for key, name in brands.items()]
    kind_options = [{"text": {"type": "plain_text", "text": label}, "value": key} for key, label in KIND_LABELS.items()]
    blocks: Blocks = [
        {"type": "section", "block_id": "message", "text": {"type": "mrkdwn", "text": quoted(text, NOTE_QUOTE_LIMIT)}},
        {"type": "input", "block_id": BRAND_BLOCK, "label": {"type": "plain_text", "text": "Brand"},
         "element": {"type": "static_select", "action_id": "brand", "options": brand_options[:100],
                     "initial_option": next(o for o in brand_options if o["value"] == brand_id)}},
        {"type": "input", "block_id": "kind", "label": {"type": "plain_text", "text": "Kind"},
         "element": {"type": "static_select", "action_id": "kind", "options": kind_options,
                     "initial_option": kind_options[2]}},
        {"type": "input", "block_id": "author", "optional": True,
         "label": {"type": "plain_text", "text": "Customer's name"},
         "element": {"type": "plain_text_input", "action_id": "name", "max_length": 200}},
        {"type": "input", "block_id": URL_BLOCK, "optional": True,
         "label": {"type": "plain_text", "text": "Link to the original"},
         "element": {"type": "url_text_input", "action_id": "url"}},
    ]
    return modal(TRACK_MODAL, "Track conversation", "Track", blocks, metadata)


def track_metadata(channel: str, ts: str, text: str) -> dict[str, str]:
    """What the submission needs, the text cut so that it fits private_metadata's 3,000 characters."""
    limit = len(text)
    while True:
        metadata = {"channel": channel, "ts": ts, "text": text[:limit]}
        excess = len(json.dumps(metadata, ensure_ascii=False)) - METADATA_LIMIT
        if excess <= 0:
            return metadata
        limit -= excess


class TrackForm:
    """A submitted Track modal, read back."""

    def __init__(self, view: dict[str, Any]) -> None:
        # Read strictly: a form without its metadata is not one the bot opened.
        metadata = json.loads(view.get("private_metadata") or "{}")
        self.view = view
        self.metadata = metadata

    @property
    def url(self) -> str | None:
        return input_value(self.view, URL_BLOCK, "url")

    @property
    def brand(self) -> str:
        return input_value(self.view, BRAND_BLOCK, "brand") or ""

    @property
    def kind(self) -> str:
        return input_value(self.view, "kind", "kind") or "mention"

    @property
    def author(self) -> str:
        return input_value(self.view, "author", "name") or ""

    @property
    def message(self) -> tuple[str, str, str]:
        """The tracked message's channel, ts and text; KeyError when the form lacks them."""
        return self.metadata["channel"], self.metadata["ts"], self.metadata["text"]


def tracked_view(ref: str, duplicate: bool, permalink: str | None) -> dict[str, Any]:
    what = (f"This message is already tracked as *{ref}*." if duplicate
            else f"Tracking as *{ref}*: it is in the brand's channel now.")
    if permalink:
        what += f"\n{link(permalink, 'Open the thread')}"
    return {"type": "modal", "title": {"type": "plain_text", "text": "Track conversation"},
            "close": {"type": "plain_text", "text": "Done"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": what}}]}
