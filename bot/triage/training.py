"""Train the triage model on labelled files (``python -m bot.triage.retrain`` runs it).

Multinomial logistic regression with an L2 penalty, fitted by full-batch gradient descent (Adam) on
binary features scaled by 1/sqrt(count), the way ``model.read`` scores them. Only features seen in at
least ``MIN_COUNT`` training messages are kept. Deterministic: the same files give the same weights.
Rows of the files with a ``split`` are used only when it is ``tune``: the ``test`` halves are for
reporting (``socialdesk triage eval FILE --split test``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.config.triage import RISK_CATEGORIES
from bot.triage.sentiment import score
from bot.triage.evaluation import Labelled, load
from bot.triage.features import LEXICON_FINDINGS, features
from bot.triage.model import NONE, Weights
from bot.triage.risk import signs

CATEGORIES = (NONE, *RISK_CATEGORIES)
SENTIMENTS = ("negative", "neutral", "positive")
MIN_COUNT = 2
DATA = Path(__file__).parent / "data"
_ROOT = Path(__file__).parents[2]
TRAINING_FILES = tuple(_ROOT / "tests" / "data" / name for name in (
    "triage_dev.jsonl", "triage_holdout.jsonl", "triage_more.jsonl", "triage_third.jsonl"))
TUNING_SPLIT = "tune"


@dataclass(frozen=True)
class Settings:
    penalty: float = 0.0
    """The category head stops after ``steps`` instead: with the word classes, a penalty cost recall."""
    sentiment_penalty: float = 1e-4
    steps: int = 400
    learning_rate: float = 0.05
    risk_weight: float = 3.0
    """How much more a risk message counts than one without a category: a missed risk costs more."""
    threshold: float = 0.3
    sure: float = 0.7
    doubt: float = 0.8
    category_lexicons: bool = False
    """Whether the category head sees the lexicons' findings. They were written from the development
    set, where they are nearly always right, so a head trained on it learns to trust them more than
    they deserve on new messages; without them it is a second opinion, which triage adds to theirs."""


def encode(rows: Sequence[Labelled]) -> list[list[str]]:
    encoded = []
    for row in rows:
        text = row.text
        found = signs(text)
        encoded.append([name for name, _, _ in features(text, found, score(text))])
    return encoded


def vocabulary_of(encoded: Sequence[list[str]]) -> list[str]:
    counts = Counter(name for names in encoded for name in set(names))
    return sorted(name for name, count in counts.items() if count >= MIN_COUNT)


def matrix(encoded: Sequence[list[str]], vocabulary: dict[str, int]) -> np.ndarray:
    rows = np.zeros((len(encoded), len(vocabulary) + 1), dtype=np.float32)
    for row, names in enumerate(encoded):
        known = {vocabulary[name] for name in names if name in vocabulary}
        if known:
            rows[row, list(known)] = 1.0 / np.sqrt(len(known))
        rows[row, -1] = 1.0  # the bias
    return rows


def fit(x: np.ndarray, labels: np.ndarray, classes: int, weights: np.ndarray, settings: Settings,
        penalty: float) -> np.ndarray:
    w = np.zeros((x.shape[1], classes), dtype=np.float32)
    first, second = np.zeros_like(w), np.zeros_like(w)
    target = np.eye(classes, dtype=np.float32)[labels]
    scale = weights[:, None] / weights.sum()
    for step in range(1, settings.steps + 1):
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        gradient = x.T @ ((probabilities - target) * scale)
        gradient[:-1] += penalty * w[:-1]
        first = 0.9 * first + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient * gradient
        w -= settings.learning_rate * (first / (1 - 0.9 ** step)) / (np.sqrt(second / (1 - 0.999 ** step)) + 1e-8)
    return w


def train(rows: Sequence[Labelled], settings: Settings) -> tuple[Weights, list[str]]:
    encoded = encode(rows)
    names = vocabulary_of(encoded)
    vocabulary = {name: index for index, name in enumerate(names)}
    x = matrix(encoded, vocabulary)
    categories = np.array([CATEGORIES.index(row.category or NONE) for row in rows])
    sentiments = np.array([SENTIMENTS.index(row.sentiment) for row in rows])
    risk = np.where(categories == 0, 1.0, settings.risk_weight).astype(np.float32)
    even = np.ones(len(rows), dtype=np.float32)
    x_categories = x
    if not settings.category_lexicons:
        x_categories = x.copy()
        x_categories[:, [index for name, index in vocabulary.items() if name.startswith(LEXICON_FINDINGS)]] = 0.0
    weights = Weights(
        vocabulary, CATEGORIES, fit(x_categories, categories, len(CATEGORIES), risk, settings, settings.penalty),
        SENTIMENTS, fit(x, sentiments, len(SENTIMENTS), even, settings, settings.sentiment_penalty), settings.threshold,
        settings.sure, settings.doubt)
    return weights, names


def save(weights: Weights, names: list[str], folder: Path = DATA) -> None:
    (folder / "model_vocabulary.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    np.savez_compressed(folder / "model.npz", categories=np.array(weights.categories),
                        category_weights=weights.category_weights.astype(np.float16),
                        sentiments=np.array(weights.sentiments),
                        sentiment_weights=weights.sentiment_weights.astype(np.float16),
                        threshold=np.array(weights.threshold), sure=np.array(weights.sure),
                        doubt=np.array(weights.doubt))


def tuning_rows(files: Sequence[Path]) -> list[Labelled]:
    return [row for path in files for row in load(path) if row.split in (None, TUNING_SPLIT)]


def folds(rows: Sequence[Labelled], count: int) -> list[tuple[list[Labelled], list[Labelled]]]:
    """``count`` train/validation pairs; a message's fold is fixed by its place, every ``count``-th."""
    return [([row for index, row in enumerate(rows) if index % count != fold],
             [row for index, row in enumerate(rows) if index % count == fold]) for fold in range(count)]
