"""``socialdesk``: parse the command line, run the sub-command, turn a user's mistake into one line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import audit, figures, install, serving, triage
from bot.config import ConfigError
from bot.manifest import ManifestError
from storage.db import DatabaseError

USER_ERRORS = (ConfigError, DatabaseError, ManifestError)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except USER_ERRORS as error:
        print(f"socialdesk: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialdesk",
                                     description="Answer a brand's social-media messages together, in Slack.")
    parser.add_argument("--version", action="version", version=f"socialdesk {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    install.add_init(commands)
    serving.add_serve(commands)
    install.add_manifest(commands)
    serving.add_demo(commands)
    serving.add_migrate(commands)
    figures.add_digest(commands)
    figures.add_report(commands)
    install.add_check(commands)
    audit.add_audit(commands)
    triage.add_triage(commands)
    install.add_sources(commands)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("socialdesk")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"
