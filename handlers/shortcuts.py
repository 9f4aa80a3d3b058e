"""The message shortcut "Track in social inbox"."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import rendering
from bot.domain import ActionRefused, Desk
from bot.slack_ui import outcome_text
from handlers.views import user_of, value_of

METADATA_LIMIT = 3000


def register(app: App, desk: Desk) -> None:
    @app.shortcut("track_message")
    def track_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        channel = body["channel"]["id"]
        message = body["message"]
        text = message.get("text") or ""
        brands = {brand_id: brand.name for brand_id, brand in desk.config.brands.items()}
        view = rendering.track_modal(brands, _brand_for_channel(desk, channel), text,
                                     _metadata(channel, message["ts"], text))
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view("track_modal")
    def track_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = json.loads(view.get("private_metadata") or "{}")
        url = value_of(view, "url", "url")
        if url and not url.lower().startswith(("http://", "https://")):
            ack(response_action="errors", errors={"url": "Use an http:// or https:// link."})
            return
        try:
            result = desk.track(
                value_of(view, "brand", "brand") or "", metadata["channel"], metadata["ts"], user_of(body),
                value_of(view, "kind", "kind") or "mention", value_of(view, "author", "name") or "",
                metadata["text"], url,
            )
        except ActionRefused as refusal:
            ack(response_action="errors", errors={"brand": outcome_text.refusal(refusal)})
            return
        permalink = desk.get(result.conversation_id).slack_permalink
        ack(response_action="update", view=rendering.tracked_view(result.ref, result.duplicate, permalink))


def _brand_for_channel(desk: Desk, channel: str) -> str:
    for brand_id, brand in desk.config.brands.items():
        if brand.slack_channel == channel:
            return brand_id
    return next(iter(desk.config.brands))


def _metadata(channel: str, ts: str, text: str) -> dict[str, str]:
    """What the submission needs, the text cut so that it fits private_metadata's 3,000 characters."""
    limit = len(text)
    while True:
        metadata = {"channel": channel, "ts": ts, "text": text[:limit]}
        excess = len(json.dumps(metadata, ensure_ascii=False)) - METADATA_LIMIT
        if excess <= 0:
            return metadata
        limit -= excess
