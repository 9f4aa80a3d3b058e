"""Cross-validation of the triage model's settings on the tuning data: train on all folds but one,
read the one left out, and sum the figures that the targets are about, per language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.config.triage import DEFAULT_RISK_PRIORITIES
from bot.triage.evaluation import LANGUAGES, Labelled
from bot.triage.model import read
from bot.triage.risk import signs
from bot.triage.sentiment import score
from bot.triage.training import Settings, folds, train

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)


Reading = tuple[Labelled, list[str], dict[float, str | None], str, str, float]


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
        text = row.text
        found = signs(text)
        mood = score(text)
        reading = read(text, found, mood, weights)
        by_threshold = {threshold: reading.likeliest if reading.probability >= threshold else None
                        for threshold in THRESHOLDS}
        lexicon = [sign.category for sign in found]
        readings.append((row, lexicon, by_threshold, reading.sentiment, mood.label.value, reading.probability))
    return readings


def _table(title: str, readings: list[Reading], settings: Settings) -> str:
    lines = [title]
    lines.append("strategy | threshold | " + " | ".join(
        f"{what} {lang}" for what in ("recall", "false alarm", "exact", "sentiment", "lexicon sentiment")
        for lang in LANGUAGES))
    for strategy in ("lexicon", "model", "either"):
        for threshold in THRESHOLDS if strategy != "lexicon" else THRESHOLDS[:1]:
            counts: Counter[tuple[str, str]] = Counter()
            for row, lexicon, by_threshold, sentiment, lexicon_sentiment, probability in readings:
                got = _choose(strategy, lexicon, by_threshold[threshold])
                model_only = [category for category in got if category not in lexicon]
                if "press" in got:
                    got = ["press"]
                priorities = [DEFAULT_RISK_PRIORITIES[category] for category in got]
                if model_only and probability < settings.sure and model_only[0] in got:
                    priorities[got.index(model_only[0])] = "high"
                priority = max(priorities, key=_rank, default="normal")
                category = _most_pressing(got)
                if row.priority == "urgent":
                    counts[row.lang, "urgent"] += 1
                    counts[row.lang, "recall"] += priority in ("urgent", "high")
                else:
                    counts[row.lang, "other"] += 1
                    counts[row.lang, "false alarm"] += priority == "urgent"
                counts[row.lang, "exact"] += category == row.category
                counts[row.lang, "sentiment"] += sentiment == row.sentiment
                counts[row.lang, "lexicon sentiment"] += lexicon_sentiment == row.sentiment
                counts[row.lang, "all"] += 1
            cells = []
            for what, base in (("recall", "urgent"), ("false alarm", "other"), ("exact", "all"), ("sentiment", "all"),
                               ("lexicon sentiment", "all")):
                cells += [f"{counts[lang, what] / max(counts[lang, base], 1):.3f}" for lang in LANGUAGES]
            lines.append(f"{strategy} | {threshold} | " + " | ".join(cells))
    return "\n".join(lines)


def _choose(strategy: str, lexicon: list[str], model: str | None) -> list[str]:
    if strategy == "lexicon":
        return lexicon
    if strategy == "model":
        return [model] if model else []
    return lexicon + ([model] if model and model not in lexicon else [])


def _rank(priority: str) -> int:
    return ("low", "normal", "high", "urgent").index(priority)


def _most_pressing(categories: list[str]) -> str | None:
    if "press" in categories:
        return "press"
    return max(categories, key=lambda category: _rank(DEFAULT_RISK_PRIORITIES[category]), default=None)
