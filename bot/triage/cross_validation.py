"""Cross-validation of the triage model's settings on the tuning data: train on all folds but one,
read the one left out, and sum the figures that the targets are about, per language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.config.triage import DEFAULT_RISK_PRIORITIES
from bot.triage.evaluation import LANGUAGES, Labelled
from bot.triage.model import NONE, read
from bot.triage.risk import signs
from bot.triage.rules import rank
from bot.triage.sentiment import score
from bot.triage.training import Settings, folds, train

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
DECISIONS = ("likeliest", "any risk")
"""What must reach the threshold: the likeliest category's probability, or that of any category (1 - P(none))."""
VETOES = (None, 0.8, 0.9, 0.95)
"""P(none) from which a category the patterns found raises the priority to ``high`` at most."""
COLUMNS = (("recall", "urgent"), ("urgent kept", "urgent"), ("false alarm", "other"), ("flagged", "none"),
           ("flagged ordinary", "ordinary"), ("exact", "all"), ("sentiment", "all"), ("lexicon sentiment", "all"))
"""Each figure, and the rows it is a share of."""


@dataclass(frozen=True)
class Reading:
    row: Labelled
    lexicon: list[str]
    likeliest: str
    probability: float
    any_risk: float
    sentiment: str
    lexicon_sentiment: str


def report(rows: Sequence[Labelled], settings: Settings, count: int) -> str:
    readings: list[Reading] = []
    for tuning, left_out in folds(rows, count):
        readings += _readings(tuning, left_out, settings)
    return _table(f"{len(rows)} messages, {count} folds, {settings}", readings, settings)


def report_on(tuning: Sequence[Labelled], held: Sequence[Labelled], settings: Settings) -> str:
    return _table(f"trained on {len(tuning)}, read {len(held)}, {settings}", _readings(tuning, held, settings),
                  settings)


def _readings(tuning: Sequence[Labelled], left_out: Sequence[Labelled], settings: Settings) -> list[Reading]:
    weights, _ = train(tuning, settings)
    readings: list[Reading] = []
    for row in left_out:
        found = signs(row.text)
        mood = score(row.text)
        reading = read(row.text, found, mood, weights)
        readings.append(Reading(row, [sign.category for sign in found], reading.likeliest, reading.probability,
                                1.0 - reading.by_category[NONE], reading.sentiment, mood.label.value))
    return readings


def _table(title: str, readings: list[Reading], settings: Settings) -> str:
    lines = [title, "strategy | decision | threshold | veto | " + " | ".join(
        f"{what} {lang}" for what, _ in COLUMNS for lang in LANGUAGES)]
    choices: list[tuple[str, str, float, float | None]] = [("lexicon", DECISIONS[0], THRESHOLDS[0], None)]
    choices += [("model", decision, threshold, None) for decision in DECISIONS for threshold in THRESHOLDS]
    choices += [("either", decision, threshold, veto) for veto in VETOES for decision in DECISIONS
                for threshold in THRESHOLDS]
    for strategy, decision, threshold, veto in choices:
        counts: Counter[tuple[str, str]] = Counter()
        for reading in readings:
            _count(counts, reading, _priority_and_category(reading, strategy, decision, threshold, veto, settings))
        cells = [f"{counts[lang, what] / max(counts[lang, base], 1):.3f}" for what, base in COLUMNS
                 for lang in LANGUAGES]
        lines.append(f"{strategy} | {decision} | {threshold} | {veto} | " + " | ".join(cells))
    return "\n".join(lines)


def _priority_and_category(reading: Reading, strategy: str, decision: str, threshold: float, veto: float | None,
                           settings: Settings) -> tuple[str, str | None]:
    chance = reading.probability if decision == "likeliest" else reading.any_risk
    model = reading.likeliest if chance >= threshold else None
    lexicon = reading.lexicon if strategy != "model" else []
    got = list(lexicon)
    if strategy != "lexicon" and model and model not in got:
        got.append(model)
    if "press" in got:
        got = ["press"]
    doubted = veto is not None and 1.0 - reading.any_risk >= veto
    ranked = []  # as rules._risk ranks them: the priority a category gives, then not tentative
    for category in got:
        priority = DEFAULT_RISK_PRIORITIES[category]
        unsure = category not in lexicon and round(reading.probability, 2) < settings.sure
        tentative = unsure or (category in lexicon and doubted)
        if tentative:
            priority = "high" if priority == "urgent" else priority
        ranked.append(((rank(priority), not tentative), priority, category))
    if not ranked:
        return "normal", None
    _, priority, category = max(ranked, key=lambda entry: entry[0])
    return priority, category


def _count(counts: Counter[tuple[str, str]], reading: Reading, outcome: tuple[str, str | None]) -> None:
    row, (priority, category) = reading.row, outcome
    lang = row.lang
    if row.priority == "urgent":
        counts[lang, "urgent"] += 1
        counts[lang, "recall"] += priority in ("urgent", "high")
        counts[lang, "urgent kept"] += priority == "urgent"
    else:
        counts[lang, "other"] += 1
        counts[lang, "false alarm"] += priority == "urgent"
    if row.category is None:
        counts[lang, "none"] += 1
        counts[lang, "flagged"] += priority in ("urgent", "high")
        if not row.hard_negative:
            counts[lang, "ordinary"] += 1
            counts[lang, "flagged ordinary"] += priority in ("urgent", "high")
    counts[lang, "exact"] += category == row.category
    counts[lang, "sentiment"] += reading.sentiment == row.sentiment
    counts[lang, "lexicon sentiment"] += reading.lexicon_sentiment == row.sentiment
    counts[lang, "all"] += 1

