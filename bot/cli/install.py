"""Getting set up: ``init``, ``manifest``, ``check`` and ``sources check``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import add_command, config_path
from bot.config import ConfigError, load_config
from bot.manifest import ManifestError, manifest_yaml

if TYPE_CHECKING:
    from bot.cli.common import Commands

STARTER_NAME = "app.yaml"
"""What `socialdesk init` writes, from the package's bot/samples/app.yaml (the commented example)."""


def add_init(commands: Commands) -> None:
    add_command(commands, "init", _init, f"write a commented starter {STARTER_NAME} to the current folder")


def add_manifest(commands: Commands) -> None:
    sub = add_command(commands, "manifest", _manifest, "print the Slack app manifest (YAML) for your deployment")
    sub.add_argument("--url", help="the bot's public base URL, e.g. https://bot.example.com")
    sub.add_argument("--socket-mode", action="store_true",
                     help="for Socket Mode (SLACK_APP_TOKEN): Slack reaches the bot over its own link, no URL needed")
    sub.add_argument("--name", default="socialdesk", help="the app's name in Slack (default: socialdesk)")


def add_check(commands: Commands) -> None:
    add_command(commands, "check", _check,
                "check app.yaml, the environment, the database and (with SLACK_BOT_TOKEN) the Slack install")


def add_sources(commands: Commands) -> None:
    sources = commands.add_parser("sources", help="the message sources in app.yaml",
                                  description="the message sources in app.yaml")
    source_commands = sources.add_subparsers(title="commands", metavar="COMMAND")
    add_command(source_commands, "check", _sources_check,
                "verify every source's credentials against its platform's API")


def _init(_args: argparse.Namespace) -> int:
    from importlib import resources

    target = Path(STARTER_NAME)
    starter = resources.files("bot.samples").joinpath(STARTER_NAME).read_text(encoding="utf-8")
    try:
        with open(target, "x", encoding="utf-8") as out:  # "x": never overwrite
            out.write(starter)
    except FileExistsError:
        raise ConfigError(f"{target.resolve()} already exists; edit it, or move it away to start afresh") from None
    print(f"socialdesk: wrote {target.resolve()}: put in your brands' channels and sources, "
          "then run `socialdesk check`")
    return 0


def _manifest(args: argparse.Namespace) -> int:
    path = config_path()
    command = load_config(path).slash_command if os.path.exists(path) else "/social"
    if not args.url and not args.socket_mode:
        raise ManifestError("--url: give the bot's public https:// base URL, or --socket-mode to connect without one")
    if args.url and args.socket_mode:
        raise ManifestError("--url and --socket-mode: choose one (over Socket Mode Slack uses no request URL)")
    sys.stdout.write(manifest_yaml(args.url, command, args.name, socket_mode=args.socket_mode))
    return 0


def _check(_args: argparse.Namespace) -> int:
    from bot.install_check import run_check

    return run_check(os.environ, sys.stdout)


def _sources_check(_args: argparse.Namespace) -> int:
    """A table of every source: ok, or failed and why. Non-zero exit when any failed."""
    import httpx

    from bot.platforms.checks import check_sources

    config = load_config(config_path())
    with httpx.Client(timeout=config.delivery.http_timeout.total_seconds(), follow_redirects=False) as http:
        results = check_sources(config, os.environ, http)
    rows = [("SOURCE", "PLATFORM", "STATUS", "DETAIL")]
    rows += [(r.source_id, r.platform, r.status, r.detail) for r in results]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3])
    return 1 if any(result.status != "ok" for result in results) else 0
