"""The ``socialdesk`` command: one module per family of sub-commands."""

from bot.cli.parser import main

__all__ = ["main"]
