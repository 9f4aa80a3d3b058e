"""Running the bot: ``serve``, ``migrate`` and the offline ``demo``."""

from __future__ import annotations

import argparse
import logging
import os
from typing import TYPE_CHECKING

from bot.cli.common import add_command
from bot.config import Config, ConfigError

if TYPE_CHECKING:
    from bot.cli.common import Commands
    from bot.settings import Settings


def add_serve(commands: Commands) -> None:
    add_command(commands, "serve", _serve, "run the bot's HTTP server (creates or migrates the database first)")


def add_demo(commands: Commands) -> None:
    sub = add_command(commands, "demo", _demo, "run the bot offline against a local Slack stand-in and show each step")
    sub.add_argument("--quiet", action="store_true", help="print only the summary")


def add_migrate(commands: Commands) -> None:
    add_command(commands, "migrate", _migrate, "create or upgrade the database schema and exit")


def _serve(_args: argparse.Namespace) -> int:
    import uvicorn

    from bot.app import build_runtime
    from bot.http_protocol import UVICORN_OPTIONS
    from bot.logs import configure_logging
    from bot.settings import load_everything
    from handlers.socket_mode import open_link_url

    configure_logging(os.environ)
    settings, config = load_everything()
    # A refused app token stops the start before anything else happens.
    link_url = open_link_url(settings.slack_api_url, settings.slack_app_token) if settings.slack_app_token else None
    slack_ready(settings, config)
    runtime = build_runtime(settings, config)
    if runtime.socket_mode is not None:
        runtime.socket_mode.first_url = link_url
    logging.getLogger("socialdesk").info(
        "serving %d brand(s), %d source(s) on %s:%d%s", len(config.brands), len(config.sources), settings.host,
        settings.port, "; Slack over Socket Mode" if runtime.socket_mode else "",
    )
    # log_config=None: uvicorn keeps the configuration above (same format, level from LOG_LEVEL).
    uvicorn.run(runtime.asgi, host=settings.host, port=settings.port, log_config=None, access_log=False,
                **UVICORN_OPTIONS)
    return 0


def slack_ready(settings: Settings, config: Config, warn: bool = True) -> None:
    """Refuse to start on a token Slack does not accept; log what else the install lacks."""
    from bot.install_check import slack_client
    from bot.slack_check import check_slack

    _slack_token_read()
    result = check_slack(slack_client(settings.slack_bot_token, {"SLACK_API_URL": settings.slack_api_url}), config)
    blocking = [finding for finding in result.problems if finding.blocking]
    if blocking:
        first = blocking[0]
        raise ConfigError(f"{first.what}: {first.fix}" + (f" (and {len(blocking) - 1} more: run `socialdesk check`)"
                                                          if len(blocking) > 1 else ""))
    log = logging.getLogger("socialdesk")
    for finding in result.problems if warn else []:
        log.warning("slack: %s; fix: %s", finding.what, finding.fix)


def _slack_token_read() -> None:
    """The token now lives in the settings. Left in the environment, Bolt would read it again and warn
    on every start that the client's token wins; out of it, it is not passed to child processes either."""
    os.environ.pop("SLACK_BOT_TOKEN", None)


def _demo(args: argparse.Namespace) -> int:
    from bot.demo.run import run_demo

    return run_demo(quiet=args.quiet)


def _migrate(_args: argparse.Namespace) -> int:
    from bot.settings import database_url
    from storage.db import Database

    Database(database_url()).migrate()
    print("socialdesk: database is up to date")
    return 0
