"""The message shortcut "Track in social inbox" (its modal's submission: views.py)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.domain.desk import Desk
from bot.slack_ui.track import TRACK_SHORTCUT, track_metadata, track_modal


def register(app: App, desk: Desk) -> None:
    @app.shortcut(TRACK_SHORTCUT)
    def track_clicked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        channel = body["channel"]["id"]
        message = body["message"]
        text = message.get("text") or ""
        brands = {brand_id: brand.name for brand_id, brand in desk.config.brands.items()}
        metadata = track_metadata(channel, message["ts"], text)
        view = track_modal(brands, _brand_for_channel(desk, channel), text, metadata)
        client.views_open(trigger_id=body["trigger_id"], view=view)


def _brand_for_channel(desk: Desk, channel: str) -> str:
    for brand_id, brand in desk.config.brands.items():
        if brand.slack_channel == channel:
            return brand_id
    return next(iter(desk.config.brands))
