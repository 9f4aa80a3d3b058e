"""A configuration whose response-window scan runs every 100 ms, for tests that move a ManualClock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.config import Config
from tests.support.config import make_config


def fast_config(receiver: Any) -> Config:
    return make_config(receiver.url, "").model_copy(
        update={"scheduler": make_config(receiver.url, "").scheduler.model_copy(update={"scan_interval": timedelta(milliseconds=100)})}
    )
