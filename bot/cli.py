"""The ``socialdesk`` command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config, ConfigError, load_config
from bot.manifest import ManifestError, manifest_yaml
from bot.triage_cli import add_commands as add_triage_commands
from storage.db import DatabaseError

if TYPE_CHECKING:
    from bot.digest import DigestComposer
    from bot.settings import Settings

USER_ERRORS = (ConfigError, DatabaseError, ManifestError)
STARTER_NAME = "app.yaml"
"""What `socialdesk init` writes, from the package's bot/samples/app.yaml (the commented example)."""


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
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialdesk", description="Answer a brand's social-media messages together, in Slack.")
    parser.add_argument("--version", action="version", version=f"socialdesk {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    command("init", _init, f"write a commented starter {STARTER_NAME} to the current folder")
    command("serve", _serve, "run the bot's HTTP server (creates or migrates the database first)")
    sub = command("manifest", _manifest, "print the Slack app manifest (YAML) for your deployment")
    sub.add_argument("--url", help="the bot's public base URL, e.g. https://bot.example.com")
    sub.add_argument("--socket-mode", action="store_true",
                     help="for Socket Mode (SLACK_APP_TOKEN): Slack reaches the bot over its own link, no URL needed")
    sub.add_argument("--name", default="socialdesk", help="the app's name in Slack (default: socialdesk)")
    sub = command("demo", _demo, "run the bot offline against a local Slack stand-in and show each step")
    sub.add_argument("--quiet", action="store_true", help="print only the summary")
    command("migrate", _migrate, "create or upgrade the database schema and exit")
    sub = command("digest", _digest, "post a brand's digest now (or print it with --dry-run)")
    _period_arguments(sub)
    sub.add_argument("--dry-run", action="store_true", help="print the text instead of posting it")
    sub.add_argument("--chart", metavar="PATH", help="also write the chart PNG to PATH")
    sub = command("report", _report, "print a brand's figures as CSV or JSON")
    _period_arguments(sub)
    sub.add_argument("--format", choices=("csv", "json"), default="csv")
    command("check", _check, "check app.yaml, the environment, the database and (with SLACK_BOT_TOKEN) the Slack install")
    sub = command("audit", _audit, "print who did what (and what was refused), oldest first")
    sub.add_argument("--ref", help="only this conversation, e.g. ACME-12")
    sub.add_argument("--user", help="only this Slack user id, e.g. U0123ABCD")
    sub.add_argument("--limit", type=int, default=200, help="at most this many of the newest entries (default 200)")
    sub.add_argument("--format", choices=("table", "csv", "json"), default="table")
    add_triage_commands(commands)
    sources = commands.add_parser("sources", help="the message sources in app.yaml",
                                  description="the message sources in app.yaml")
    source_commands = sources.add_subparsers(title="commands", metavar="COMMAND")
    sub = source_commands.add_parser("check", help="verify every source's credentials against its platform's API",
                                     description="verify every source's credentials against its platform's API")
    sub.set_defaults(run=_sources_check)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("socialdesk")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def _init(_args: argparse.Namespace) -> int:
    from importlib import resources

    target = Path(STARTER_NAME)
    starter = resources.files("bot.samples").joinpath(STARTER_NAME).read_text(encoding="utf-8")
    try:
        with open(target, "x", encoding="utf-8") as out:  # "x": never overwrite
            out.write(starter)
    except FileExistsError:
        raise ConfigError(f"{target.resolve()} already exists; edit it, or move it away to start afresh") from None
    print(f"socialdesk: wrote {target.resolve()}: put in your brands' channels and sources, then run `socialdesk check`")
    return 0


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
    _slack_ready(settings, config)
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


def _slack_ready(settings: Settings, config: Config, warn: bool = True) -> None:
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


def _manifest(args: argparse.Namespace) -> int:
    path = os.environ.get("SOCIALDESK_CONFIG") or "app.yaml"
    command = load_config(path).slash_command if os.path.exists(path) else "/social"
    if not args.url and not args.socket_mode:
        raise ManifestError("--url: give the bot's public https:// base URL, or --socket-mode to connect without one")
    if args.url and args.socket_mode:
        raise ManifestError("--url and --socket-mode: choose one (over Socket Mode Slack uses no request URL)")
    sys.stdout.write(manifest_yaml(args.url, command, args.name, socket_mode=args.socket_mode))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from bot.demo.run import run_demo

    return run_demo(quiet=args.quiet)


def _migrate(_args: argparse.Namespace) -> int:
    from storage.db import Database

    url = os.environ.get("DATABASE_URL") or "sqlite:///socialdesk.db"
    Database(url).migrate()
    print("socialdesk: database is up to date")
    return 0


def _check(_args: argparse.Namespace) -> int:
    from bot.install_check import run_check

    return run_check(os.environ, sys.stdout)


def _sources_check(_args: argparse.Namespace) -> int:
    """A table of every source: ok, or failed and why. Non-zero exit when any failed."""
    import httpx

    from bot.platforms.checks import check_sources

    config = load_config(os.environ.get("SOCIALDESK_CONFIG") or "app.yaml")
    with httpx.Client(timeout=config.delivery.http_timeout.total_seconds(), follow_redirects=False) as http:
        results = check_sources(config, os.environ, http)
    rows = [("SOURCE", "PLATFORM", "STATUS", "DETAIL")] + [(r.source_id, r.platform, r.status, r.detail) for r in results]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3])
    return 1 if any(result.status != "ok" for result in results) else 0


def _period_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--brand", required=True, help="brand id from app.yaml")
    sub.add_argument("--since", help="start, YYYY-MM-DD (brand's local midnight) or ISO-8601 (default: 7 days before --until)")
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
    from storage.db import open_existing

    path = os.environ.get("SOCIALDESK_CONFIG") or "app.yaml"
    config = load_config(path)
    since, until = _period(config, args)
    db = open_existing(os.environ.get("DATABASE_URL") or "sqlite:///socialdesk.db")
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
    from bot.settings import load_everything

    settings, config = load_everything()
    since, until = _period(config, args)
    _slack_ready(settings, config, warn=False)
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


def _audit(args: argparse.Namespace) -> int:
    import csv
    import json

    from sqlalchemy import select

    from storage import repositories as repo
    from storage.db import open_existing
    from storage.models import Conversation

    db = open_existing(os.environ.get("DATABASE_URL") or "sqlite:///socialdesk.db")
    with db.transaction() as session:
        conversation_id = None
        if args.ref:
            conversation = repo.conversation_by_ref(session, args.ref)
            if conversation is None:
                raise ConfigError(f"--ref: no conversation {args.ref.upper()} in this database")
            conversation_id = conversation.id
        entries = repo.audit_entries(session, conversation_id=conversation_id, actor=args.user, limit=args.limit)
        ids = {entry.conversation_id for entry in entries if entry.conversation_id}
        found = session.execute(select(Conversation.id, Conversation.ref).where(Conversation.id.in_(ids)))
        refs = {row.id: row.ref for row in found}
    rows = [
        {"at": entry.at.isoformat(timespec="seconds"), "who": entry.actor_slack_id or "socialdesk",
         "ref": refs.get(entry.conversation_id, ""), "action": entry.action, "outcome": entry.outcome,
         "detail": _detail_text(entry.detail)}
        for entry in entries
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["at", "who", "ref", "action", "outcome", "detail"])
        writer.writeheader()
        writer.writerows(rows)
    elif not rows:
        print("socialdesk: no audit entries match")
    else:
        _print_table(rows)
    return 0


def _detail_text(detail: dict[str, object]) -> str:
    return "; ".join(f"{key}={value}" for key, value in detail.items())[:200]


def _print_table(rows: list[dict[str, str]]) -> None:
    columns = list(rows[0])
    widths = {column: min(80, max(len(column), *(len(row[column]) for row in rows))) for column in columns}
    print("  ".join(column.ljust(widths[column]) for column in columns).rstrip())
    for row in rows:
        print("  ".join(row[column][:widths[column]].ljust(widths[column]) for column in columns).rstrip())

