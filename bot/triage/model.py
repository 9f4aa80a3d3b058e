"""The triage model: two small linear classifiers over ``features``, shipped as package data.

One head tells the risk category (or none), the other the sentiment. Both are multinomial logistic
regressions trained by ``bot.triage.training`` on the labelled files in tests/data; the weights
(``data/model.npz``) and the vocabulary (``data/model_vocabulary.txt``) are read once, on first use.
A message costs a dictionary look-up per feature and two small sums: well under a millisecond.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import numpy as np

from bot.triage.features import WHOLE_TEXT, Feature, features, prepare, tokens
from bot.triage.risk import RiskSign
from bot.triage.sentiment import SentimentScore

NONE = "none"
EVIDENCE_WORDS = 4
_RIDER = 0.25


@dataclass(frozen=True)
class Weights:
    vocabulary: dict[str, int]
    categories: tuple[str, ...]
    category_weights: np.ndarray
    """(features + 1) × categories; the last row is the bias."""
    sentiments: tuple[str, ...]
    sentiment_weights: np.ndarray
    threshold: float
    """The least probability of the likeliest category for it to be reported."""
    sure: float = 1.0
    """The least probability for the category's own priority; below it, the priority is at most ``high``."""


@dataclass(frozen=True)
class Reading:
    category: str | None
    """The likeliest category, when its probability reaches the threshold."""
    likeliest: str
    probability: float
    """The likeliest category's probability."""
    by_category: dict[str, float]
    """Each category's probability, ``NONE`` included."""
    evidence: str | None
    sentiment: str
    sentiment_score: float
    """P(positive) - P(negative), -1 .. 1."""


def read(text: str, lexicon_signs: list[RiskSign], mood: SentimentScore, weights: Weights | None = None) -> Reading:
    """The model's reading of ``text``, given the lexicons' (see ``assessment``)."""
    weights = weights or load()
    text = prepare(text)
    found = features(text, lexicon_signs, mood)
    rows = _rows(weights, found)
    category_probabilities = _softmax(_logits(weights.category_weights, rows))
    none = weights.categories.index(NONE)
    sentiment_probabilities = _softmax(_logits(weights.sentiment_weights, rows))
    mood = int(np.argmax(sentiment_probabilities))
    best = next(int(index) for index in np.argsort(-category_probabilities) if index != none)
    probability = float(category_probabilities[best])
    category, evidence = None, None
    if probability >= weights.threshold:
        category = weights.categories[best]
        evidence = _evidence(text, weights, found, rows, best, none)
    by_sentiment = dict(zip(weights.sentiments, sentiment_probabilities.tolist(), strict=True))
    return Reading(category, weights.categories[best], probability,
                   dict(zip(weights.categories, category_probabilities.tolist(), strict=True)), evidence,
                   weights.sentiments[mood],
                   round(by_sentiment["positive"] - by_sentiment["negative"], 4))


@functools.cache
def load() -> Weights:
    folder = resources.files("bot.triage") / "data"
    vocabulary = (folder / "model_vocabulary.txt").read_text(encoding="utf-8").splitlines()
    with (folder / "model.npz").open("rb") as stream:
        arrays = np.load(stream)
        return Weights(
            vocabulary={name: index for index, name in enumerate(vocabulary)},
            categories=tuple(str(name) for name in arrays["categories"]),
            category_weights=arrays["category_weights"].astype(np.float32),
            sentiments=tuple(str(name) for name in arrays["sentiments"]),
            sentiment_weights=arrays["sentiment_weights"].astype(np.float32),
            threshold=float(arrays["threshold"]),
            sure=float(arrays["sure"]),
        )


def _rows(weights: Weights, found: list[Feature]) -> np.ndarray:
    vocabulary = weights.vocabulary
    known = {vocabulary[name] for name, _, _ in found if name in vocabulary}
    return np.fromiter(known, dtype=np.int64, count=len(known))


def _logits(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    scale = 1.0 / np.sqrt(max(len(rows), 1))
    return matrix[rows].sum(axis=0) * scale + matrix[-1]


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


def _evidence(text: str, weights: Weights, found: list[Feature], rows: np.ndarray, category: int,
              none: int) -> str | None:
    """The run of up to ``EVIDENCE_WORDS`` words whose features speak most for ``category``."""
    words = tokens(text)
    if not words:
        return None
    pull = weights.category_weights[:, category] - weights.category_weights[:, none]
    per_word = np.zeros(len(words))
    starts = np.array([word.start for word in words])
    for name, start, end in found:
        index = weights.vocabulary.get(name)
        if index is None or name.startswith(WHOLE_TEXT):
            continue
        first = int(np.searchsorted(starts, start, side="right")) - 1
        last = int(np.searchsorted(starts, end - 1, side="right")) - 1
        per_word[max(first, 0):last + 1] += pull[index] / (last - max(first, 0) + 1)
    best, best_span = 0.0, (0, 0)
    for first in range(len(words)):
        for last in range(first, min(first + EVIDENCE_WORDS, len(words))):
            total = float(per_word[first:last + 1].sum())
            if total > best:
                best, best_span = total, (first, last)
    if best <= 0.0:
        return None
    first, last = best_span
    strongest = float(per_word[first:last + 1].max())
    # Words that only ride along ("and", "the") are left out of the quote's ends.
    while first < last and per_word[first] < _RIDER * strongest:
        first += 1
    while last > first and per_word[last] < _RIDER * strongest:
        last -= 1
    best_span = first, last
    quoted = text[words[best_span[0]].start:words[best_span[1]].end]
    return " ".join(quoted.split())
