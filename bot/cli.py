"""The ``socialdesk`` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from bot.config import ConfigError, load_config
from bot.manifest import ManifestError, manifest_yaml
from storage.db import DatabaseError

USER_ERRORS = (ConfigError, DatabaseError, ManifestError)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except USER_ERRORS as error:
        print(f"socialdesk: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialdesk", description="Answer a brand's social-media messages together, in Slack.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    command("serve", _serve, "run the bot's HTTP server (creates or migrates the database first)")
    sub = command("manifest", _manifest, "print the Slack app manifest (YAML) for your deployment")
    sub.add_argument("--url", required=True, help="the bot's public base URL, e.g. https://bot.example.com")
    sub = command("demo", _demo, "run the bot offline against a local Slack stand-in and show each step")
    sub.add_argument("--quiet", action="store_true", help="print only the summary")
    command("migrate", _migrate, "create or upgrade the database schema and exit")
    command("check", _check, "validate app.yaml and the environment, then exit")
    return parser


def _serve(_args: argparse.Namespace) -> int:
    import uvicorn

    from bot.app import build_runtime
    from bot.settings import load_everything

    _configure_logging()
    settings, config = load_everything()
    runtime = build_runtime(settings, config)
    logging.getLogger("socialdesk").info(
        "serving %d brand(s), %d source(s) on %s:%d", len(config.brands), len(config.sources), settings.host, settings.port
    )
    uvicorn.run(runtime.asgi, host=settings.host, port=settings.port, log_level="info", access_log=False)
    return 0


def _manifest(args: argparse.Namespace) -> int:
    path = os.environ.get("SOCIALDESK_CONFIG") or "app.yaml"
    command = load_config(path).slash_command if os.path.exists(path) else "/social"
    sys.stdout.write(manifest_yaml(args.url, command))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return run_demo(quiet=args.quiet)


def _migrate(_args: argparse.Namespace) -> int:
    from storage.db import Database

    url = os.environ.get("DATABASE_URL") or "sqlite:///socialdesk.db"
    Database(url).migrate()
    print("socialdesk: database is up to date")
    return 0


def _check(_args: argparse.Namespace) -> int:
    from bot.settings import load_everything

    from pathlib import Path

    from bot.templates import TemplateBook

    settings, config = load_everything()
    TemplateBook(config, Path(settings.config_path).parent)
    print(f"socialdesk: configuration OK: {len(config.brands)} brand(s), {len(config.sources)} source(s), "
          f"{len(config.escalation)} escalation tier(s); database {settings!r}")
    return 0


def _configure_logging() -> None:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
