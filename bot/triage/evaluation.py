"""How well triage does on a labelled file: recall per category and language, false alarms,
sentiment accuracy and a confusion table, printed as Markdown tables.

A labelled file is JSON Lines, one message a line: ``text`` (required), ``lang`` (en or ko;
guessed from the script when missing), ``category`` (a risk category, or null), ``priority``
(urgent, high, normal or low), ``sentiment`` (negative, neutral or positive) and optionally
``split``. ``socialdesk triage export-corrections`` writes the same format.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.config.triage import RISK_CATEGORIES

PRIORITIES = ("urgent", "high", "normal", "low")
SENTIMENTS = ("negative", "neutral", "positive")
LANGUAGES = ("en", "ko")
NONE = "none"
_HANGUL = re.compile(r"[가-힣]")


class LabelledFileError(ValueError):
    """A line of a labelled file that cannot be used; the message names the line."""


@dataclass(frozen=True)
class Labelled:
    text: str
    lang: str
    category: str | None
    priority: str
    sentiment: str | None
    split: str | None = None
    hard_negative: bool = False
    """A message without a category that looks like one (for the figures on ordinary traffic)."""


@dataclass(frozen=True)
class Predicted:
    category: str | None
    priority: str
    sentiment: str


def language_of(text: str) -> str:
    hangul = len(_HANGUL.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "ko" if hangul and hangul * 2 >= latin / 3 else "en"


def load(path: Path, split: str | None = None) -> list[Labelled]:
    rows: list[Labelled] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise LabelledFileError(f"{path}:{number}: not valid JSON: {error.msg}") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise LabelledFileError(f"{path}:{number}: expected an object with a \"text\" string")
        if split is not None and row.get("split") != split:
            continue
        rows.append(_labelled(row, f"{path}:{number}"))
    return rows


def _labelled(row: dict[str, object], where: str) -> Labelled:
    category = row.get("category") or None
    if category is not None and category not in RISK_CATEGORIES:
        raise LabelledFileError(f"{where}: unknown category {category!r}; use {', '.join(RISK_CATEGORIES)} or null")
    priority = row.get("priority") or "normal"
    if priority not in PRIORITIES:
        raise LabelledFileError(f"{where}: unknown priority {priority!r}; use {', '.join(PRIORITIES)}")
    sentiment = row.get("sentiment") or None
    if sentiment is not None and sentiment not in SENTIMENTS:
        raise LabelledFileError(f"{where}: unknown sentiment {sentiment!r}; use {', '.join(SENTIMENTS)}")
    text = str(row["text"])
    lang = row.get("lang") or language_of(text)
    if lang not in LANGUAGES:
        raise LabelledFileError(f"{where}: unknown lang {lang!r}; use en or ko")
    split = row.get("split")
    return Labelled(text, str(lang), category, str(priority), sentiment, str(split) if split else None,
                    row.get("hard_negative") is True)


@dataclass
class Report:
    rows: int
    seen: Counter[tuple[str, str]]
    hit: Counter[tuple[str, str]]
    confusion: Counter[tuple[str, str]]

    def rate(self, lang: str, what: str) -> float | None:
        seen = self.seen[lang, what]
        return self.hit[lang, what] / seen if seen else None


def evaluate(rows: Iterable[Labelled], classify: Callable[[str], Predicted]) -> Report:
    """Counts per language (and "all"): urgent messages caught (urgent or high), each category
    found, non-urgent messages marked urgent, sentiment right."""
    seen: Counter[tuple[str, str]] = Counter()
    hit: Counter[tuple[str, str]] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    count = 0
    for row in rows:
        count += 1
        got = classify(row.text)
        confusion[row.category or NONE, got.category or NONE] += 1
        checks: list[tuple[str, bool]] = []
        if row.priority == "urgent":
            checks.append(("urgent caught", got.priority in ("urgent", "high")))
        else:
            checks.append(("false alarm", got.priority == "urgent"))
        if row.category:
            checks.append((f"category {row.category}", got.category == row.category))
            checks.append(("any risk", got.category is not None))
        else:
            checks.append(("flagged without risk", got.category is not None))
            if not row.hard_negative:
                checks.append(("flagged ordinary", got.category is not None))
        if row.sentiment:
            checks.append(("sentiment", got.sentiment == row.sentiment))
        for lang in (row.lang, "all"):
            for what, ok in checks:
                seen[lang, what] += 1
                hit[lang, what] += ok
    return Report(count, seen, hit, confusion)


def _figure(report: Report, lang: str, what: str) -> str:
    rate = report.rate(lang, what)
    return "–" if rate is None else f"{rate:.2f} ({report.hit[lang, what]}/{report.seen[lang, what]})"


def format_report(report: Report) -> str:
    columns = (*LANGUAGES, "all")
    lines = [f"{report.rows} messages", "", "| figure | " + " | ".join(columns) + " |",
             "|---|" + "---|" * len(columns)]
    summary = [
        ("urgent-or-high recall of urgent messages", "urgent caught"),
        ("false-alarm rate (not urgent, marked urgent)", "false alarm"),
        ("risk found in risk messages (any category)", "any risk"),
        ("risk category on messages without one", "flagged without risk"),
        ("… of them, not look-alikes (hard_negative false)", "flagged ordinary"),
        ("sentiment accuracy", "sentiment"),
    ]
    for label, what in summary:
        lines.append(f"| {label} | " + " | ".join(_figure(report, lang, what) for lang in columns) + " |")
    lines += ["", "| recall of category | " + " | ".join(columns) + " |", "|---|" + "---|" * len(columns)]
    for category in RISK_CATEGORIES:
        what = f"category {category}"
        if report.seen["all", what]:
            lines.append(f"| {category} | " + " | ".join(_figure(report, lang, what) for lang in columns) + " |")
    lines += ["", *confusion_table(report.confusion)]
    return "\n".join(lines)


def confusion_table(confusion: Counter[tuple[str, str]]) -> list[str]:
    labels = [label for label in (*RISK_CATEGORIES, NONE)
              if any(confusion[label, other] or confusion[other, label] for other in (*RISK_CATEGORIES, NONE))]
    lines = ["| labelled ↓ / found → | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
    for expected in labels:
        lines.append(f"| {expected} | " + " | ".join(str(confusion[expected, got] or ".") for got in labels) + " |")
    return lines


def as_line(text: str, category: str | None, priority: str, sentiment: str, **extra: object) -> str:
    """One message in the labelled format (what export-corrections writes)."""
    row = {"text": text, "lang": language_of(text), "category": category, "priority": priority,
           "sentiment": sentiment, **extra}
    return json.dumps(row, ensure_ascii=False)
