"""A brand's figures over a period: ``digest`` (posted or printed) and ``report`` (CSV or JSON)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import add_command, config_path
from bot.config import Config, ConfigError, load_config

if TYPE_CHECKING:
    from bot.cli.common import Commands
    from bot.digest import DigestComposer


def add_digest(commands: Commands) -> None:
    sub = add_command(commands, "digest", _digest, "post a brand's digest now (or print it with --dry-run)")
    _period_arguments(sub)
    sub.add_argument("--dry-run", action="store_true", help="print the text instead of posting it")
    sub.add_argument("--chart", metavar="PATH", help="also write the chart PNG to PATH")


def add_report(commands: Commands) -> None:
    sub = add_command(commands, "report", _report, "print a brand's figures as CSV or JSON")
    _period_arguments(sub)
    sub.add_argument("--format", choices=("csv", "json"), default="csv")


def _period_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--brand", required=True, help="brand id from app.yaml")
    sub.add_argument("--since", help="start, YYYY-MM-DD (brand's local midnight) or ISO-8601 "
                                     "(default: 7 days before --until)")
    sub.add_argument("--until", help="end, YYYY-MM-DD or ISO-8601 (default: now)")


def _period(config: Config, args: argparse.Namespace) -> tuple[datetime, datetime]:
    if args.brand not in config.brands:
        raise ConfigError(f"--brand: unknown brand {args.brand!r} (known: {', '.join(config.brands)})")
    zone = config.brands[args.brand].zone

    def moment(text: str | None, name: str) -> datetime | None:
        if text is None:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ConfigError(f"--{name}: {text!r} is not a date; write 2026-11-16 or 2026-11-16T09:00+09:00") from None
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)

    until = moment(args.until, "until") or datetime.now(UTC)
    since = moment(args.since, "since") or until - timedelta(days=7)
    if since >= until:
        raise ConfigError("--since must be before --until")
    return since, until


def _offline_parts(args: argparse.Namespace) -> tuple[DigestComposer, datetime, datetime]:
    from bot.clock import SystemClock
    from bot.digest import DigestComposer
    from bot.settings import database_url
    from storage.db import open_existing

    path = config_path()
    config = load_config(path)
    since, until = _period(config, args)
    db = open_existing(database_url())
    return DigestComposer(db, config, SystemClock(), Path(path).parent), since, until


def _digest(args: argparse.Namespace) -> int:
    if args.dry_run:
        composer, since, until = _offline_parts(args)
        report = composer.report(args.brand, since, until)
        print(composer.text(report))
        if args.chart:
            with open(args.chart, "wb") as out:
                out.write(composer.chart(report))
            print(f"socialdesk: chart written to {args.chart}", file=sys.stderr)
        return 0
    from bot.app import build_runtime
    from bot.cli.serving import slack_ready
    from bot.settings import load_everything

    settings, config = load_everything()
    since, until = _period(config, args)
    slack_ready(settings, config, warn=False)
    runtime = build_runtime(settings, config)
    try:
        runtime.worker.post_digest(args.brand, since.isoformat(), until.isoformat())
        while runtime.worker.run_once():
            pass
    except Exception as error:  # the one line says what Slack answered
        raise ConfigError(f"digest not posted: {error}") from None
    finally:
        runtime.stop()
    print(f"socialdesk: digest for {args.brand} posted to {config.brands[args.brand].slack_channel}")
    return 0


def _report(args: argparse.Namespace) -> int:
    import csv
    import json

    composer, since, until = _offline_parts(args)
    report = composer.report(args.brand, since, until)
    if args.format == "json":
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0
    writer = csv.writer(sys.stdout)
    writer.writerow(["metric", "this period", "previous period"])
    writer.writerows(report.rows())
    return 0
