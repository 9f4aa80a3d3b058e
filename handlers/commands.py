"""The slash command (default /social)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot import rendering
from bot.domain import Desk


def register(app: App, desk: Desk) -> None:
    command_name = desk.config.slash_command

    @app.command(command_name)
    def social_command(ack: Ack, command: dict[str, Any]) -> None:
        words = (command.get("text") or "").split()
        if words and words[0] != "help":
            ack(response_type="ephemeral",
                text=f"Unknown subcommand `{rendering.escape(words[0])}`.\n\n{rendering.help_text(command_name)}")
            return
        ack(response_type="ephemeral", text=rendering.help_text(command_name))
