"""``socialdesk audit``: who did what (and what was refused), oldest first."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli.common import add_command
from bot.config import ConfigError

if TYPE_CHECKING:
    from bot.cli.common import Commands

COLUMNS = ["at", "who", "ref", "action", "outcome", "detail"]


def add_audit(commands: Commands) -> None:
    sub = add_command(commands, "audit", _audit, "print who did what (and what was refused), oldest first")
    sub.add_argument("--ref", help="only this conversation, e.g. ACME-12")
    sub.add_argument("--user", help="only this Slack user id, e.g. U0123ABCD")
    sub.add_argument("--limit", type=int, default=200, help="at most this many of the newest entries (default 200)")
    sub.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _audit(args: argparse.Namespace) -> int:
    import csv
    import json

    from bot.settings import database_url
    from storage import repositories as repo
    from storage.audit import audit_trail
    from storage.db import open_existing

    db = open_existing(database_url())
    with db.transaction() as session:
        conversation_id = None
        if args.ref:
            conversation = repo.conversation_by_ref(session, args.ref)
            if conversation is None:
                raise ConfigError(f"--ref: no conversation {args.ref.upper()} in this database")
            conversation_id = conversation.id
        lines = audit_trail(session, conversation_id=conversation_id, actor=args.user, limit=args.limit)
    rows = [
        {"at": line.at.isoformat(timespec="seconds"), "who": line.actor_slack_id or "socialdesk",
         "ref": line.ref or "", "action": line.action, "outcome": line.outcome, "detail": _detail_text(line.detail)}
        for line in lines
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
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
