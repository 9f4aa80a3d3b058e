"""One log format for every logger in the process: the bot's, uvicorn's, Bolt's and APScheduler's.

``LOG_LEVEL`` (DEBUG, INFO, WARNING, ERROR, CRITICAL) sets the level of all of them; ``LOG_FORMAT``
is ``text`` (one line per record, for people) or ``json`` (one JSON object per line, for a log
pipeline). Quiet by default: an idle bot logs nothing at INFO, so the scheduler's "Running job ..."
lines, and the HTTP client's line per request, are DEBUG.
"""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Mapping
from typing import Any

from bot.config import ConfigError

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"

CHATTY_AT_INFO = ("apscheduler", "httpx", "httpcore")
"""Libraries that log routine work at INFO: every scheduler tick, every HTTP request made."""
ROUTINE_AT_START = {"alembic.runtime.migration": ("Context impl ", "Will assume ")}
"""What Alembic says at every start whether or not it migrates (its "Running upgrade" lines stay INFO)."""
ROUTINE_WARNINGS = {"apscheduler": ("Execution of job ", "Run time of job ")}
"""A tick skipped because the previous one still runs, or late because the machine is busy: every job
here repeats and coalesces, so the next tick does the work and nothing is missed."""


class DemoteChattyLibraries(logging.Filter):
    """On the handler: the INFO records of CHATTY_AT_INFO's loggers (and their children) become
    DEBUG, and are dropped unless the level is DEBUG. Routine work is noise unless one is debugging."""

    def __init__(self, level: str) -> None:
        super().__init__()
        self.level = logging.getLevelName(level)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and _routine(record) or \
                record.levelno == logging.WARNING and _routine_warning(record):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return record.levelno >= self.level


def _routine(record: logging.LogRecord) -> bool:
    if record.name.partition(".")[0] in CHATTY_AT_INFO:
        return True
    return str(record.msg).startswith(ROUTINE_AT_START.get(record.name, ()))


def _routine_warning(record: logging.LogRecord) -> bool:
    return str(record.msg).startswith(ROUTINE_WARNINGS.get(record.name.partition(".")[0], ()))


def logging_settings(env: Mapping[str, str]) -> tuple[str, str]:
    """The level and format asked for, or a one-line ConfigError naming the accepted values."""
    level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LEVELS:
        raise ConfigError(f"LOG_LEVEL: {env['LOG_LEVEL']!r} is not a log level; use one of {', '.join(LEVELS)}")
    form = env.get("LOG_FORMAT", "text").strip().lower() or "text"
    if form not in FORMATS:
        raise ConfigError(f"LOG_FORMAT: {env['LOG_FORMAT']!r} is not a log format; use {' or '.join(FORMATS)}")
    return level, form


def logging_config(level: str, form: str) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` schema: one handler on the root logger, to stderr; every
    library's logger propagates to it, so uvicorn and Bolt print the same way as the bot."""
    formatter: dict[str, Any] = {"format": TEXT_FORMAT}
    if form == "json":
        from pythonjsonlogger.core import RESERVED_ATTRS

        formatter = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            # uvicorn adds its message again with terminal colours, for its own console format.
            "reserved_attrs": [*RESERVED_ATTRS, "color_message"],
        }
    # uvicorn's loggers print nothing themselves (it is run with log_config=None): they propagate.
    uvicorn = {"handlers": [], "propagate": True, "level": "NOTSET"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"quiet": {"()": DemoteChattyLibraries, "level": level}},
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr", "formatter": "default",
                       "filters": ["quiet"]},
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {name: dict(uvicorn) for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
    }


def configure_logging(env: Mapping[str, str]) -> None:
    logging.config.dictConfig(logging_config(*logging_settings(env)))
