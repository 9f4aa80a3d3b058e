"""What every sub-command shares: how it is registered, and where app.yaml is."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

Run = Callable[[argparse.Namespace], int]


def add_command(commands: Commands, name: str, run: Run, help_text: str) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_text, description=help_text)
    sub.set_defaults(run=run)
    return sub


def config_path() -> str:
    return os.environ.get("SOCIALDESK_CONFIG") or "app.yaml"
