"""``socialdesk triage``: measure triage on a labelled file, explain one message, export corrections."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import add_command, config_path
from bot.config import Config, ConfigError, load_config, parse_config

if TYPE_CHECKING:
    from bot.cli.common import Commands
    from bot.triage.evaluation import Predicted
    from bot.triage.rules import Verdict

# Used when there is no app.yaml: one brand, no rules of its own, the built-in categories.
_BARE_CONFIG = "brands: {brand: {name: Brand, ref_prefix: B, slack_channel: C0BRAND01}}\n"


def add_triage(commands: Commands) -> None:
    triage = commands.add_parser("triage", help="measure and explain the triage of messages",
                                 description="measure and explain the triage of messages")
    subcommands = triage.add_subparsers(title="commands", metavar="COMMAND")
    sub = add_command(subcommands, "eval", _eval, "recall per category and language, false alarms, sentiment "
                                                  "accuracy and a confusion table, for a labelled JSONL file")
    sub.add_argument("file", type=Path, help="one JSON object a line: text, lang, category, priority, sentiment")
    sub.add_argument("--split", help="only the lines with this split (e.g. test)")
    sub.add_argument("--brand", help="triage as this brand of app.yaml (default: the first)")
    sub = add_command(subcommands, "explain", _explain,
                      "the priority, sentiment, category and evidence triage gives a text")
    sub.add_argument("text")
    sub.add_argument("--brand", help="triage as this brand of app.yaml (default: the first)")
    sub = add_command(subcommands, "export-corrections", _export,
                      "teammates' corrections as labelled JSONL, oldest first")
    sub.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")
    sub.add_argument("--since", help="only corrections on or after this date (YYYY-MM-DD)")
    sub.add_argument("--brand", help="only this brand")


def _config() -> Config:
    path = config_path()
    return load_config(path) if os.path.exists(path) else parse_config(_BARE_CONFIG, "built-in defaults")


def classifier(config: Config, brand_id: str | None = None) -> Callable[[str], tuple[Verdict, Predicted]]:
    """A function from text to what triage predicts, as a comment to the brand with no rating."""
    from bot.inbound import Author, InboundMessage
    from bot.triage.evaluation import Predicted
    from bot.triage.rules import triage

    brand = brand_id or next(iter(config.brands))
    if brand not in config.brands:
        raise ConfigError(f"--brand: unknown brand {brand!r} (known: {', '.join(config.brands)})")
    author = Author("triage-eval", "Customer")
    now = datetime.now(UTC)

    def classify(text: str) -> tuple[Verdict, Predicted]:
        inbound = InboundMessage(source_id="triage-eval", external_id="-", conversation_external_id="-",
                                 kind="comment", author=author, text=text, url=None, sent_at=now)
        verdict = triage(config, brand, inbound)
        return verdict, Predicted(verdict.category, verdict.priority, verdict.sentiment.value)

    return classify


def _eval(args: argparse.Namespace) -> int:
    from bot.triage.evaluation import LabelledFileError, evaluate, format_report, load

    try:
        rows = load(args.file, args.split)
    except FileNotFoundError:
        raise ConfigError(f"{args.file}: file not found") from None
    except LabelledFileError as error:
        raise ConfigError(str(error)) from None
    if not rows:
        raise ConfigError(f"{args.file}: no labelled messages" + (f" with split {args.split!r}" if args.split else ""))
    classify = classifier(_config(), args.brand)
    print(format_report(evaluate(rows, lambda text: classify(text)[1])))
    return 0


def _explain(args: argparse.Namespace) -> int:
    verdict, _ = classifier(_config(), args.brand)(args.text)
    print(f"priority:  {verdict.priority}")
    print(f"sentiment: {verdict.sentiment.value} ({verdict.sentiment_score:+.2f})")
    found_by = ""
    if verdict.category:
        found_by = (f" (the model, probability {verdict.model_probability:.2f}" if verdict.model_probability
                    else " (the patterns")
        if verdict.tentative:
            found_by += ", not sure" if verdict.model_probability else ", doubted by the model"
        found_by += ")"
    print(f"category:  {verdict.category or 'none'}{found_by}")
    print(f"evidence:  {verdict.evidence or '-'}")
    if verdict.tags:
        print(f"tags:      {' '.join(verdict.tags)}")
    if verdict.channel:
        print(f"channel:   {verdict.channel}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from bot.triage.evaluation import as_line
    from bot.settings import database_url
    from storage.corrections import corrections
    from storage.db import Database

    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since).replace(tzinfo=UTC)
        except ValueError:
            raise ConfigError(f"--since: {args.since!r} is not a date; write it like 2026-11-01") from None
    db = Database(database_url())
    db.migrate()
    with db.transaction() as session:
        found = corrections(session, since, args.brand)
    lines = [
        as_line(c.text, c.category if c.priority in ("urgent", "high") else None, c.priority, c.sentiment,
                ref=c.ref, previous_priority=c.previous, previous_category=c.category, corrected_by=c.by,
                corrected_at=c.at.isoformat(timespec="seconds"))
        for c in found
    ]
    text = "".join(line + "\n" for line in lines)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"socialdesk: {len(lines)} correction(s) exported", file=sys.stderr)
    return 0
